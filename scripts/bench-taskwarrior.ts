/**
 * heph beside Taskwarrior on the same data set (called by scripts/bench.ts). For each set:
 * generates N tasks of which exactly M are outstanding (descriptions, projects, due dates,
 * priorities; the sets are 10,000 all outstanding and 100,000 with a fifth outstanding),
 * loads them into Taskwarrior with `task import` (temp TASKDATA and TASKRC) and into a heph
 * store with openStore, starts hephd, then times `task next` / `heph next`, `task add` /
 * `heph add` and `task <uuid> done` / `heph done <id>` as whole processes, alternating the two
 * tools within each run so that they share the machine's noise.
 */

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { addDays } from "../src/core/dates.ts";
import type { Attention, LocalDate } from "../src/core/task-types.ts";
import { openStore } from "../src/store/store.ts";
import { hephBinary, out, startHephd } from "./bench.ts";
import {
  hephEnv,
  makeTempDir,
  ms,
  percentile,
  prng,
  progress,
  removeTempDir,
  stopDaemon,
  timeProcess,
} from "./bench-lib.ts";

const WORDS = "review plan write fix call email book pay order clean check update draft send read"
  .concat(" invoice report garden car taxes doctor slides backup budget notes lease")
  .split(" ");
const WARMUP = 2;

export interface Row {
  uuid: string;
  description: string;
  project: string;
  due: LocalDate | null;
  priority: "H" | "M" | "L" | null;
  done: boolean;
  entryMs: number;
}

/** A data set: how many tasks, and how many of them are outstanding. */
export interface TaskSet {
  tasks: number;
  outstanding: number;
}

/** "10000/10000,100000/20000" → sets; a bare "10000" means a fifth outstanding. */
export function parseTaskSets(text: string): TaskSet[] {
  return text.split(",").map((part) => {
    const [tasks, outstanding] = part.split("/").map(Number) as [number, number | undefined];
    const set = { tasks, outstanding: outstanding ?? Math.round(tasks / 5) };
    if (!Number.isInteger(set.tasks) || set.tasks < 1)
      throw new Error(`--tw-sets: ${JSON.stringify(part)} is not TASKS or TASKS/OUTSTANDING`);
    if (!Number.isInteger(set.outstanding) || set.outstanding < 1 || set.outstanding > set.tasks)
      throw new Error(`--tw-sets: ${JSON.stringify(part)} needs 1 ≤ OUTSTANDING ≤ TASKS`);
    return set;
  });
}

export function generate({ tasks: size, outstanding }: TaskSet, today: LocalDate): Row[] {
  const random = prng(size + outstanding);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const base = Date.now() - 86_400_000 - size * 3000;
  // Exactly `outstanding` tasks stay pending, chosen by a seeded shuffle.
  const order = Array.from({ length: size }, (_, i) => i);
  for (let i = size - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const pending = new Set(order.slice(0, outstanding));
  return Array.from({ length: size }, (_, i) => {
    const roll = random();
    return {
      uuid: crypto.randomUUID(),
      description: `${Array.from({ length: 2 + Math.floor(random() * 4) }, () => pick(WORDS)).join(" ")} ${i + 1}`,
      project: `proj${1 + Math.floor(random() * 20)}`,
      due: random() < 0.3 ? addDays(today, Math.floor(random() * 121) - 60) : null,
      priority: roll < 0.1 ? "H" : roll < 0.3 ? "M" : roll < 0.5 ? "L" : null,
      done: !pending.has(i),
      entryMs: base + i * 3000,
    };
  });
}

const twDate = (ms: number) => `${new Date(ms).toISOString().replace(/[-:]|\.\d{3}/g, "")}`;
const ATTENTION: Record<string, Attention> = { H: "red", M: "orange", L: "white" };

/**
 * A Taskwarrior data dir for `rows` in `dir` (a temp TASKDATA and TASKRC) and the JSON array to
 * load with `task import`; returns the environment that points `task` at it.
 */
export function writeTaskwarriorData(
  dir: string,
  rows: readonly Row[],
): { env: Record<string, string>; importFile: string } {
  const taskData = join(dir, "taskdata");
  const taskrc = join(dir, "taskrc");
  writeFileSync(
    taskrc,
    `data.location=${taskData}\nconfirmation=off\nverbose=nothing\nhooks=off\nnews.version=2.6.0\n`,
  );
  const json = rows.map((row) => ({
    uuid: row.uuid,
    description: row.description,
    project: row.project,
    status: row.done ? "completed" : "pending",
    entry: twDate(row.entryMs),
    ...(row.done ? { end: twDate(row.entryMs + 60_000) } : {}),
    ...(row.due ? { due: `${row.due.replaceAll("-", "")}T120000Z` } : {}),
    ...(row.priority ? { priority: row.priority } : {}),
  }));
  const importFile = join(dir, "import.json");
  writeFileSync(importFile, JSON.stringify(json));
  return {
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: dir,
      TASKDATA: taskData,
      TASKRC: taskrc,
    },
    importFile,
  };
}

/** The same rows straight into a heph store at `db`; returns the heph id of each row. */
export function fillHephStore(db: string, rows: readonly Row[]): string[] {
  const store = openStore(db, () => new Date());
  const hephIds: string[] = [];
  store.transaction(() => {
    const projects = new Map<string, string>();
    for (const row of rows) {
      let projectId = projects.get(row.project);
      if (projectId === undefined) {
        projectId = store.projects.create(row.project, null).id;
        projects.set(row.project, projectId);
      }
      const task = store.tasks.create({
        title: row.description,
        body: "",
        attention: row.priority ? (ATTENTION[row.priority] as Attention) : "white",
        do_date: null,
        late_on: row.due,
        recurrence: null,
        project_id: projectId,
        tags: [],
      });
      if (row.done) store.tasks.setState(task.id, "done");
      hephIds.push(task.id);
    }
  });
  store.close();
  return hephIds;
}

export async function taskwarriorSection(sets: TaskSet[], runs: number, today: LocalDate) {
  const table: string[] = [];
  const setup: string[] = [];
  for (const set of sets) {
    const size = set.tasks;
    progress(`taskwarrior vs heph at ${size} tasks, ${set.outstanding} outstanding`);
    const dir = makeTempDir("hbt-");
    const rows = generate(set, today);
    const { env: twEnv, importFile } = writeTaskwarriorData(dir, rows);
    const twImportMs = await timeProcess(["task", "import", importFile], twEnv);
    await timeProcess(["task", "next"], twEnv); // the first command after import runs gc
    const hephStart = performance.now();
    const db = join(dir, "heph.db");
    const hephIds = fillHephStore(db, rows);
    const hephFillMs = performance.now() - hephStart;
    const daemon = await startHephd(dir, db);
    const hEnv = hephEnv(dir, daemon.socket);
    const outstanding = rows.flatMap((row, i) => (row.done ? [] : [i]));
    const samples = { next: [[], []], add: [[], []], done: [[], []] } as Record<string, number[][]>;
    const timePair = async (key: string, i: number, tw: string[], heph: string[]) => {
      const pair = [
        () => timeProcess(["task", ...tw], twEnv),
        () => timeProcess([hephBinary, ...heph], hEnv),
      ];
      const order = i % 2 === 0 ? [0, 1] : [1, 0];
      for (const which of order) {
        const ms = await (pair[which] as () => Promise<number>)();
        if (i >= WARMUP) samples[key]?.[which]?.push(ms);
      }
    };
    try {
      for (let i = 0; i < WARMUP + runs; i++) {
        await timePair("next", i, ["next"], ["next"]);
        await timePair("add", i, ["add", "x"], ["add", "x"]);
        const k = outstanding[i] as number;
        await timePair("done", i, [(rows[k] as Row).uuid, "done"], ["done", hephIds[k] as string]);
      }
    } finally {
      await stopDaemon(daemon);
      removeTempDir(dir);
    }
    setup.push(
      `| ${size} | ${outstanding.length} | ${ms(twImportMs / 1000, 1)} | ${ms(hephFillMs / 1000, 1)} |`,
    );
    for (const [key, label] of [
      ["next", "`next`"],
      ["add", '`add "x"`'],
      ["done", "`done`"],
    ] as const) {
      const [tw, heph] = (samples[key] as number[][]).map((s) => percentile(s, 50)) as [
        number,
        number,
      ];
      table.push(
        `| ${size} | ${set.outstanding} | ${label} | ${ms(tw, 1)} | ${ms(heph, 1)} | ${ms(tw / heph, 1)}× |`,
      );
    }
  }
  out.push("### heph beside Taskwarrior (same tasks; process wall time, p50)", "");
  out.push(
    `${runs} timed runs each after ${WARMUP} warm-ups, the two tools alternating in one loop.`,
    "",
  );
  out.push("| tasks | outstanding | `task import` s | heph fill (openStore) s |");
  out.push("| ---: | ---: | ---: | ---: |", ...setup, "");
  out.push("| tasks | outstanding | command | task p50 ms | heph p50 ms | task/heph |");
  out.push("| ---: | ---: | --- | ---: | ---: | ---: |", ...table, "");
}
