/**
 * `heph import taskwarrior` of a 100,000-task Taskwarrior export, end to end, beside `task import`
 * of the same tasks. Generates the tasks (descriptions, nested projects, tags, priorities, due
 * dates, annotations; a fifth outstanding), loads them into a real Taskwarrior with `task import`
 * (temp TASKDATA and TASKRC), `task export`s them, then times `heph import taskwarrior FILE`
 * against a fresh hephd (first import: all created), again (all unchanged) and a --dry-run, with
 * the CLI's peak RSS (wait4) and the daemon's (VmHWM). Prints a Markdown section.
 *
 *   bun scripts/bench-import.ts [--tasks 100000] [--runs 3]
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  hephEnv,
  installCleanup,
  machineLines,
  makeTempDir,
  ms,
  positiveFlag,
  prepareBinary,
  prng,
  progress,
  removeTempDir,
  runTimed,
  startDaemon,
  stopDaemon,
  taskwarriorVersion,
  timedHeph,
} from "./bench-lib.ts";

const WORDS = "review plan write fix call email book pay order clean check update draft send read"
  .concat(" invoice report garden car taxes doctor slides backup budget notes lease")
  .split(" ");

const twDate = (ms: number) => new Date(ms).toISOString().replace(/[-:]|\.\d{3}/g, "");

function generate(size: number): unknown[] {
  const random = prng(size);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const base = Date.now() - 86_400_000 - size * 3000;
  return Array.from({ length: size }, (_, i) => {
    const entry = base + i * 3000;
    const done = random() >= 0.2;
    const roll = random();
    return {
      uuid: crypto.randomUUID(),
      description: `${Array.from({ length: 2 + Math.floor(random() * 4) }, () => pick(WORDS)).join(" ")} ${i + 1}`,
      project: `Area${1 + Math.floor(random() * 5)}.proj${1 + Math.floor(random() * 20)}`,
      status: done ? "completed" : "pending",
      entry: twDate(entry),
      ...(done ? { end: twDate(entry + 60_000) } : {}),
      ...(random() < 0.3
        ? { due: twDate(Date.now() + Math.floor(random() * 121 - 60) * 86_400_000) }
        : {}),
      ...(roll < 0.1
        ? { priority: "H" }
        : roll < 0.3
          ? { priority: "M" }
          : roll < 0.5
            ? { priority: "L" }
            : {}),
      ...(random() < 0.3 ? { tags: [pick(WORDS), pick(WORDS)] } : {}),
      ...(random() < 0.1
        ? { annotations: [{ entry: twDate(entry + 1000), description: `note on ${pick(WORDS)}` }] }
        : {}),
    };
  });
}

installCleanup();
const size = positiveFlag("tasks", 100_000);
const runs = positiveFlag("runs", 3);
const tw = taskwarriorVersion();
if (tw.exitCode !== 0) throw new Error("Taskwarrior (task) is needed: apt-get install taskwarrior");
const dir = makeTempDir("hbi-");
const binary = prepareBinary(dir);
const taskData = join(dir, "taskdata");
const taskrc = join(dir, "taskrc");
writeFileSync(
  taskrc,
  `data.location=${taskData}\nconfirmation=off\nverbose=nothing\nhooks=off\nnews.version=2.6.0\n`,
);
const twEnv = {
  PATH: process.env.PATH ?? "/usr/bin:/bin",
  HOME: dir,
  TASKDATA: taskData,
  TASKRC: taskrc,
};
progress(`generating ${size} tasks`);
const source = join(dir, "generated.json");
writeFileSync(source, JSON.stringify(generate(size)));
progress("task import");
const twImport = await runTimed(["task", "import", source], twEnv, { timeoutMs: 1_800_000 });
progress("task export");
const twExport = await runTimed(["task", "export"], twEnv, { timeoutMs: 1_800_000 });
const exported = join(dir, "export.json");
writeFileSync(exported, twExport.stdout);
const exportMb = Buffer.byteLength(twExport.stdout) / 2 ** 20;

const rows: string[] = [];
try {
  for (let run = 1; run <= runs; run++) {
    const runDir = join(dir, `run${run}`);
    const db = join(runDir, "heph.db");
    const socket = join(runDir, "s");
    Bun.spawnSync(["mkdir", "-m", "700", "-p", runDir]);
    const daemon = await startDaemon(binary.path, runDir, db, socket);
    const env = { ...hephEnv(runDir, socket), TZ: "UTC" };
    try {
      for (const [label, extra] of [
        ["first import (all created)", []],
        ["again (all unchanged)", []],
        ["--dry-run (all unchanged)", ["--dry-run"]],
      ] as const) {
        progress(`run ${run}: ${label}`);
        const r = await timedHeph(
          binary.path,
          ["import", "taskwarrior", exported, "--json", ...extra],
          env,
          daemon.child.pid,
        );
        rows.push(
          `| ${run} | ${label} | ${ms(r.ms / 1000, 2)} | ${r.cliPeakMb.toFixed(0)} | ${r.daemonPeakMb.toFixed(0)} | ${r.counts?.created} / ${r.counts?.unchanged} / ${r.counts?.skipped} |`,
        );
      }
    } finally {
      await stopDaemon(daemon);
    }
  }
} finally {
  removeTempDir(dir);
}

console.log(
  [
    `### ${size.toLocaleString("en")} Taskwarrior tasks: \`heph import taskwarrior\` beside \`task import\``,
    "",
    ...machineLines(),
    `- heph: ${binary.version} (${binary.source}); Taskwarrior ${tw.stdout.toString().trim()}`,
    `- The export: ${size} tasks, ${exportMb.toFixed(1)} MiB of JSON; \`task import\` of the generated file took ${ms(twImport.ms / 1000, 2)} s, \`task export\` ${ms(twExport.ms / 1000, 2)} s`,
    "",
    "| run | heph import | wall s | CLI peak RSS MiB | daemon peak RSS MiB | created / unchanged / skipped |",
    "| ---: | --- | ---: | ---: | ---: | --- |",
    ...rows,
    "",
  ].join("\n"),
);
