/**
 * How much heph's CLI adds on top of the runtime (docs/benchmarks.md, "The CLI beside the
 * runtime's floor"). One interleaved run, per data set, of:
 *   - a Bun binary that only prints a line, compiled with heph's own flags (scripts/build.ts);
 *   - a Bun binary that only connects, sends daemon.info and next, and prints the replies
 *     (scripts/floor-client.ts, same flags): the floor including the daemon's round trip;
 *   - heph --version, next, list, add and done against a hephd on the set;
 *   - Taskwarrior's task next, add and done on the same tasks.
 *   bun scripts/bench-floor.ts [--sets 10000/10000,100000/20000] [--runs 40] [--binary PATH]
 * --binary measures another heph build instead of dist/heph; its daemon must read the current
 * schema (the stores are filled from src/).
 * Wall time, CPU time and peak RSS of each process come from scripts/measure-processes.py
 * (wait4). Progress goes to stderr, the Markdown report to stdout.
 */

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { localDate } from "../src/core/dates.ts";
import {
  cleanUp,
  hephEnv,
  installCleanup,
  machineLines,
  makeTempDir,
  percentile,
  positiveInt,
  prepareBinary,
  progress,
  repoRoot,
  startDaemon,
  stopDaemon,
  taskwarriorVersion,
  timeProcess,
} from "./bench-lib.ts";
import {
  fillHephStore,
  generate,
  parseTaskSets,
  type TaskSet,
  writeTaskwarriorData,
} from "./bench-taskwarrior.ts";
import { compile } from "./build.ts";

const WARMUP = 3;

interface Item {
  label: string;
  argvs: string[][];
  env: Record<string, string>;
}
type Samples = Record<string, { wall_ms: number[]; cpu_ms: number[]; rss_mb: number[] }>;

function measure(items: Item[], runs: number): Samples {
  const result = Bun.spawnSync(["python3", join(repoRoot, "scripts", "measure-processes.py")], {
    stdin: new TextEncoder().encode(JSON.stringify({ runs, warmup: WARMUP, items })),
    stdout: "pipe",
    stderr: "pipe",
  });
  if (result.exitCode !== 0)
    throw new Error(`measure-processes.py failed: ${result.stderr.toString().trim()}`);
  return JSON.parse(result.stdout.toString()) as Samples;
}

/** The reference binaries, compiled exactly as scripts/build.ts compiles heph. */
function compileReferences(dir: string) {
  const bareSource = join(dir, "bare.ts");
  writeFileSync(bareSource, 'console.log("0.1.0");\n');
  const bare = join(dir, "bare");
  compile(undefined, bare, "bench", { quiet: true, entries: [bareSource] });
  const client = join(dir, "floor-client");
  compile(undefined, client, "bench", {
    quiet: true,
    entries: [join(repoRoot, "scripts", "floor-client.ts")],
  });
  return { bare, client };
}

async function measureSet(
  set: TaskSet,
  runs: number,
  binaries: { heph: string; bare: string; client: string },
) {
  progress(`data set: ${set.tasks} tasks, ${set.outstanding} outstanding`);
  const dir = makeTempDir("hbf-");
  const rows = generate(
    set,
    localDate(new Date(), Intl.DateTimeFormat().resolvedOptions().timeZone),
  );
  const tw = writeTaskwarriorData(dir, rows);
  await timeProcess(["task", "import", tw.importFile], tw.env);
  await timeProcess(["task", "next"], tw.env); // the first command after an import runs gc
  const hephIds = fillHephStore(join(dir, "heph.db"), rows);
  const daemon = await startDaemon(binaries.heph, dir, join(dir, "heph.db"), join(dir, "s.sock"));
  // As a user runs it: colour decided by asking whether stdout is a terminal.
  const { NO_COLOR: _noColour, ...env } = hephEnv(dir, daemon.socket);
  const outstanding = rows.flatMap((row, index) => (row.done ? [] : [index]));
  const rounds = WARMUP + runs;
  // done takes a different outstanding task each round, the same one for both tools.
  const doneRows = outstanding.slice(-rounds);
  const items: Item[] = [
    { label: "bare", argvs: [[binaries.bare]], env },
    { label: "floor-client", argvs: [[binaries.client]], env },
    { label: "heph --version", argvs: [[binaries.heph, "--version"]], env },
    { label: "heph next", argvs: [[binaries.heph, "next"]], env },
    { label: "heph list", argvs: [[binaries.heph, "list"]], env },
    { label: "heph add", argvs: [[binaries.heph, "add", "Bench task tomorrow p2 #Bench"]], env },
    {
      label: "heph done",
      argvs: doneRows.map((index) => [binaries.heph, "done", hephIds[index] as string]),
      env,
    },
    { label: "task next", argvs: [["task", "next"]], env: tw.env },
    { label: "task add", argvs: [["task", "add", "Bench task"]], env: tw.env },
    {
      label: "task done",
      argvs: doneRows.map((index) => ["task", rows[index]?.uuid as string, "done"]),
      env: tw.env,
    },
  ];
  try {
    return measure(items, runs);
  } finally {
    await stopDaemon(daemon);
  }
}

function report(set: TaskSet, samples: Samples): string[] {
  const p50 = (label: string, key: "wall_ms" | "cpu_ms" | "rss_mb") =>
    percentile(samples[label]?.[key] ?? [], 50);
  const bare = { wall: p50("bare", "wall_ms"), rss: p50("bare", "rss_mb") };
  const client = p50("floor-client", "wall_ms");
  const lines = [
    `#### ${set.tasks.toLocaleString("en")} tasks, ${set.outstanding.toLocaleString("en")} outstanding`,
    "",
    "| process | wall p50 ms | × bare | × floor client | peak RSS MB | × bare | CPU p50 ms | Taskwarrior p50 ms | task ÷ heph |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const label of Object.keys(samples)) {
    if (label.startsWith("task ")) continue;
    const wall = p50(label, "wall_ms");
    const rss = p50(label, "rss_mb");
    const twLabel = label.replace(/^heph /, "task ");
    const tw = label.startsWith("heph ") && samples[twLabel] ? p50(twLabel, "wall_ms") : undefined;
    lines.push(
      `| ${label} | ${wall.toFixed(2)} | ${(wall / bare.wall).toFixed(2)}× | ${(wall / client).toFixed(2)}× | ${rss.toFixed(1)} | ${(rss / bare.rss).toFixed(2)}× | ${p50(label, "cpu_ms").toFixed(2)} | ${tw === undefined ? "–" : tw.toFixed(1)} | ${tw === undefined ? "–" : `${(tw / wall).toFixed(1)}×`} |`,
    );
  }
  return [...lines, ""];
}

async function main() {
  const { values } = parseArgs({
    options: {
      sets: { type: "string", default: "10000/10000,100000/20000" },
      runs: { type: "string", default: "40" },
      binary: { type: "string" },
    },
  });
  const runs = positiveInt(values.runs, "--runs");
  const sets = parseTaskSets(values.sets);
  if (taskwarriorVersion().exitCode !== 0)
    throw new Error("Taskwarrior (`task`) is needed for the comparison; install it first.");
  const dir = makeTempDir("hbf-bin-");
  const heph = values.binary
    ? { path: values.binary, source: values.binary, version: "given with --binary" }
    : prepareBinary(dir);
  const references = compileReferences(dir);
  const out = [
    "### The CLI beside the runtime's floor",
    "",
    ...machineLines(),
    `- heph ${heph.version} (${heph.source}); ${runs} interleaved runs after ${WARMUP} warm-ups`,
    "",
  ];
  for (const set of sets) {
    const samples = await measureSet(set, runs, { heph: heph.path, ...references });
    out.push(...report(set, samples));
  }
  process.stdout.write(`${out.join("\n")}\n`);
}

if (import.meta.main) {
  installCleanup();
  try {
    await main();
  } catch (error) {
    progress(`bench-floor: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  } finally {
    cleanUp();
  }
}
