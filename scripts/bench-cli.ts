/**
 * `heph next`, `heph list` and `heph add` as whole processes, spawn to exit, on stores of
 * several sizes (called by scripts/bench.ts). Each store is filled directly with the mix of
 * scripts/bench-next.ts (a fifth of the tasks outstanding); `heph --version` runs beside them
 * as the cost of starting the CLI at all, and `heph next --limit 50` as next with as many rows
 * as list's page. The commands take turns within each round, in a rotating order, so they share
 * the machine's noise.
 */

import { join } from "node:path";
import type { LocalDate } from "../src/core/task-types.ts";
import { hephBinary, out, startHephd } from "./bench.ts";
import {
  hephEnv,
  makeTempDir,
  ms,
  percentile,
  progress,
  removeTempDir,
  stopDaemon,
  timeProcess,
} from "./bench-lib.ts";
import { fillStore } from "./bench-next.ts";

const WARMUP = 3;
const COMMANDS: ReadonlyArray<[label: string, args: string[]]> = [
  ["`heph next`", ["next"]],
  ["`heph next --limit 50`", ["next", "--limit", "50"]],
  ["`heph list`", ["list"]],
  ['`heph add "…"`', ["add", "Bench task tomorrow p2 #Bench"]],
  ["`heph --version`", ["--version"]],
];

export async function cliSection(sizes: number[], runs: number, today: LocalDate) {
  const rows: string[] = [];
  for (const size of sizes) {
    progress(`heph commands at ${size} tasks`);
    const dir = makeTempDir("hbc-");
    const db = join(dir, "heph.db");
    const filled = fillStore(db, size, today);
    const daemon = await startHephd(dir, db);
    const env = hephEnv(dir, daemon.socket);
    const samples = COMMANDS.map((): number[] => []);
    try {
      for (let round = 0; round < WARMUP + runs; round++) {
        for (let k = 0; k < COMMANDS.length; k++) {
          const index = (round + k) % COMMANDS.length;
          const [, args] = COMMANDS[index] as [string, string[]];
          const ms = await timeProcess([hephBinary, ...args], env);
          if (round >= WARMUP) samples[index]?.push(ms);
        }
      }
    } finally {
      await stopDaemon(daemon);
      removeTempDir(dir);
    }
    COMMANDS.forEach(([label], index) => {
      const taken = samples[index] as number[];
      rows.push(
        `| ${size} | ${filled.outstanding} | ${label} | ${ms(percentile(taken, 50), 1)} | ${ms(percentile(taken, 90), 1)} |`,
      );
    });
  }
  out.push("### heph commands as whole processes (spawn to exit)", "");
  out.push(
    `${runs} timed runs of each after ${WARMUP} warm-ups, the commands taking turns; \`list\` prints its first page, 50 rows of the outstanding tasks in the next order, and the "… N more" line on stderr (its count asked on the same connection).`,
    "",
  );
  out.push("| tasks | outstanding | command | p50 ms | p90 ms |");
  out.push("| ---: | ---: | --- | ---: | ---: |", ...rows, "");
}
