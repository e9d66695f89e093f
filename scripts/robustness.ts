/**
 * The robustness suites (test/robustness), run longer than in `npm test`: more fuzz rounds, more
 * crash rounds. Each file runs in its own `bun test`, timed; a summary follows.
 *
 *   bun scripts/robustness.ts                         fuzz ×10 (20 rounds), 50 crash rounds
 *   bun scripts/robustness.ts --fuzz-rounds 50 --crash-rounds 200 --seed 7
 *   bun scripts/robustness.ts --seed random           a fresh seed, printed so it can be replayed
 *   bun scripts/robustness.ts fuzz crash              only the files whose names contain these
 *
 * Env passed to the tests: HEPH_FUZZ_SEED, HEPH_FUZZ_ROUNDS, HEPH_CRASH_ROUNDS.
 */
import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

const root = resolve(import.meta.dir, "..");
const suiteDir = join(root, "test", "robustness");

const { values, positionals } = parseArgs({
  args: process.argv.slice(2),
  options: {
    "fuzz-rounds": { type: "string", default: "20" },
    "crash-rounds": { type: "string", default: "50" },
    seed: { type: "string", default: "20261126" },
    timeout: { type: "string", default: "600000" },
    help: { type: "boolean", short: "h" },
  },
  allowPositionals: true,
});

if (values.help) {
  console.log(
    "Usage: bun scripts/robustness.ts [--fuzz-rounds N] [--crash-rounds N] [--seed N|random] [--timeout MS] [FILTER…]",
  );
  process.exit(0);
}

function count(name: string, raw: string | undefined): string {
  if (raw === undefined || !/^\d+$/.test(raw)) {
    console.error(`--${name} must be a non-negative integer, got ${raw}`);
    process.exit(2);
  }
  return raw;
}

const seed =
  values.seed === "random"
    ? String(Math.floor(Math.random() * 2 ** 31))
    : count("seed", values.seed);
const env = {
  ...process.env,
  HEPH_FUZZ_SEED: seed,
  HEPH_FUZZ_ROUNDS: count("fuzz-rounds", values["fuzz-rounds"]),
  HEPH_CRASH_ROUNDS: count("crash-rounds", values["crash-rounds"]),
};
const timeout = count("timeout", values.timeout);

const files = readdirSync(suiteDir)
  .filter((name) => name.endsWith(".test.ts"))
  .filter((name) => positionals.length === 0 || positionals.some((part) => name.includes(part)))
  .sort();
if (files.length === 0) {
  console.error(`no test file in ${suiteDir} matches ${positionals.join(" ")}`);
  process.exit(2);
}

console.log(
  `robustness: seed ${seed}, fuzz rounds ${env.HEPH_FUZZ_ROUNDS}, crash rounds ${env.HEPH_CRASH_ROUNDS}, ${files.length} files`,
);

interface FileResult {
  file: string;
  pass: number;
  fail: number;
  seconds: number;
  exitCode: number;
  failed: string[];
  notes: string[];
}

/** Copies a stream to `sink` as it comes, and returns all of it. */
async function tee(stream: ReadableStream<Uint8Array>, sink: NodeJS.WriteStream): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  for await (const chunk of stream) {
    sink.write(chunk);
    text += decoder.decode(chunk, { stream: true });
  }
  return text;
}

const results: FileResult[] = [];
for (const file of files) {
  console.log(`\n=== ${file}`);
  const started = performance.now();
  const child = Bun.spawn(
    [process.execPath, "test", "--timeout", timeout, join("test", "robustness", file)],
    { cwd: root, env, stdout: "pipe", stderr: "pipe", stdin: "ignore" },
  );
  const [stdout, stderr, exitCode] = await Promise.all([
    tee(child.stdout, process.stdout),
    tee(child.stderr, process.stderr),
    child.exited,
  ]);
  const output = `${stdout}\n${stderr}`;
  const number = (label: string) =>
    Number(output.match(new RegExp(`^\\s*(\\d+) ${label}$`, "m"))?.[1] ?? 0);
  results.push({
    file,
    pass: number("pass"),
    fail: number("fail"),
    seconds: (performance.now() - started) / 1000,
    exitCode,
    failed: [...new Set(output.split("\n").filter((line) => line.startsWith("(fail)")))],
    notes: output.split("\n").filter((line) => /^(fuzz|crash|concurrency|stalls): /.test(line)),
  });
}

console.log(
  `\n=== robustness summary (seed ${seed}, fuzz rounds ${env.HEPH_FUZZ_ROUNDS}, crash rounds ${env.HEPH_CRASH_ROUNDS})`,
);
for (const result of results) {
  console.log(
    `${result.file.padEnd(24)} ${String(result.pass).padStart(4)} pass ${String(result.fail).padStart(3)} fail  ${result.seconds.toFixed(1).padStart(7)} s${result.exitCode !== 0 && result.fail === 0 ? `  (exit ${result.exitCode})` : ""}`,
  );
  for (const note of result.notes) console.log(`    ${note}`);
  for (const line of result.failed) console.log(`    ${line}`);
}
const failed = results.some((result) => result.fail > 0 || result.exitCode !== 0);
const total = results.reduce((sum, result) => sum + result.seconds, 0);
console.log(
  `${failed ? "FAILED" : "ok"}: ${results.reduce((s, r) => s + r.pass, 0)} passed, ${results.reduce((s, r) => s + r.fail, 0)} failed in ${total.toFixed(1)} s`,
);
process.exit(failed ? 1 : 0);
