export {};

/**
 * The whole test suite, as `npm test` and .ci/run run it: typecheck, lint, build, then every
 * bun test (unit, integration against a real daemon, e2e on dist/heph). Ends with the plain line
 * "N passed, N failed".
 */
const bun = process.execPath;
const timeoutMs = process.env.HEPH_TEST_TIMEOUT_MS ?? "60000";

function step(name: string, command: string[]): boolean {
  process.stderr.write(`\n=== ${name}: ${command.join(" ")}\n`);
  const result = Bun.spawnSync(command, { stdout: "inherit", stderr: "inherit", env: process.env });
  if (result.exitCode !== 0) process.stderr.write(`=== ${name} failed (exit ${result.exitCode})\n`);
  return result.exitCode === 0;
}

const checks: Array<[string, string[]]> = [
  ["typecheck", [bun, "x", "tsc", "--noEmit"]],
  ["lint", [bun, "x", "biome", "check", "."]],
  ["build", [bun, "scripts/build.ts"]],
];
let checksFailed = 0;
for (const [name, command] of checks) if (!step(name, command)) checksFailed++;

process.stderr.write(`\n=== tests: bun test --timeout ${timeoutMs}\n`);
const tests = Bun.spawn([bun, "test", "--timeout", timeoutMs, ...process.argv.slice(2)], {
  stdout: "inherit",
  stderr: "pipe",
  env: process.env,
});
// bun prints its summary on stderr: pass it through and keep it to count.
let summary = "";
const decoder = new TextDecoder();
for await (const chunk of tests.stderr) {
  process.stderr.write(chunk);
  summary += decoder.decode(chunk, { stream: true });
}
const testExit = await tests.exited;
const count = (label: string) =>
  Number(summary.match(new RegExp(`^\\s*(\\d+) ${label}$`, "m"))?.[1] ?? 0);
const passed = count("pass");
const failed = count("fail") + checksFailed + (testExit !== 0 && count("fail") === 0 ? 1 : 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
