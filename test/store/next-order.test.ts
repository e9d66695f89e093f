/**
 * The store's SQL "next" order must be exactly core/ranking.ts's order: random stores, random
 * days, compared task for task. `list` (read out of the same ordered indexes, in parts, when it
 * asks for outstanding tasks) and `count` are checked the same way against a plain filter and
 * sort of every task, over random filters.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { compareForNext, rankForNext } from "../../src/core/ranking.ts";
import { ATTENTIONS, type Attention, TASK_STATES } from "../../src/core/task-types.ts";
import type { ListFilter, Task } from "../../src/protocol/task-schemas.ts";
import { openStore, type Store } from "../../src/store/store.ts";
import { tempDir } from "../helpers/tmp.ts";

function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function dayOffset(base: string, days: number): string {
  const date = new Date(`${base}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

const TODAYS = ["2026-06-01", "2026-06-15", "2026-06-29", "2026-07-10"];

interface RandomStore {
  seed: number;
  store: Store;
  /** Every task, deleted ones too, as the store reads them. */
  all: Task[];
  /** The project each task was last filed in (null: none), as the test wrote it. */
  projectOf: Map<string, string | null>;
  projects: string[];
  cleanup(): void;
}

/** 80 random tasks: random colours and dates, three projects, some done, dropped or deleted. */
function randomStore(seed: number): RandomStore {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const dir = tempDir("heph-order-");
  let now = Date.parse("2026-06-01T00:00:00Z");
  const store = openStore(join(dir.path, "heph.db"), () => new Date(now));
  const home = store.projects.create("Home", null).id;
  const projects = [
    home,
    store.projects.create("Beds", home).id,
    store.projects.create("Work", null).id,
  ];
  const projectOf = new Map<string, string | null>();
  for (let i = 0; i < 80; i++) {
    // Several tasks per millisecond sometimes: ties on created_at fall back to the id.
    now += random() < 0.3 ? 0 : Math.floor(random() * 86_400_000);
    const maybeDate = () =>
      random() < 0.5 ? null : dayOffset("2026-06-15", Math.floor(random() * 30) - 15);
    const project = random() < 0.3 ? null : pick(projects);
    const task = store.tasks.create({
      title: `t${i}`,
      body: "",
      attention: pick(ATTENTIONS) as Attention,
      do_date: maybeDate(),
      late_on: maybeDate(),
      recurrence: null,
      project_id: project,
      tags: [],
    });
    projectOf.set(task.id, project);
    // Some are filed again or unfiled later (the copied project follows the link).
    if (random() < 0.2) {
      const moved = random() < 0.3 ? null : pick(projects);
      store.tasks.update(task.id, { project_id: moved });
      projectOf.set(task.id, moved);
    }
    const roll = random();
    if (roll < 0.1) store.tasks.setState(task.id, "done");
    else if (roll < 0.15) store.tasks.setState(task.id, "dropped");
    else if (roll < 0.2) store.nodes.delete(task.id);
  }
  const all = [...projectOf.keys()].map((id) => store.tasks.get(id) as Task);
  return {
    seed,
    store,
    all,
    projectOf,
    projects,
    cleanup: () => {
      store.close();
      dir.cleanup();
    },
  };
}

/** What list and count must answer, by a plain filter over every task. */
function matches(
  task: Task,
  filter: ListFilter,
  projectIds: string[] | null,
  projectOf: Map<string, string | null>,
  today: string,
): boolean {
  const project = projectOf.get(task.id) ?? null;
  const within = (value: string | null, from?: string, to?: string) =>
    (from === undefined || (value !== null && value >= from)) &&
    (to === undefined || (value !== null && value <= to));
  return (
    task.deleted_at === null &&
    filter.state.includes(task.state) &&
    (projectIds === null || (project !== null && projectIds.includes(project))) &&
    (!filter.unfiled || project === null) &&
    (!filter.attention || filter.attention.includes(task.attention)) &&
    !filter.exclude_attention?.includes(task.attention) &&
    (!filter.actionable ||
      (task.state === "outstanding" &&
        task.attention !== "blue" &&
        (task.do_date === null || task.do_date <= today))) &&
    within(task.do_date, filter.do_from, filter.do_to) &&
    within(task.late_on, filter.late_from, filter.late_to)
  );
}

/** A random filter: often outstanding only (the indexed path), sometimes other states. */
function randomFilter(
  random: () => number,
  projects: string[],
  today: string,
): { filter: ListFilter; projectIds: string[] | null } {
  const some = <T>(items: readonly T[]): T[] => {
    const chosen = items.filter(() => random() < 0.5);
    return chosen.length > 0 ? chosen : [items[Math.floor(random() * items.length)] as T];
  };
  const day = () => dayOffset(today, Math.floor(random() * 21) - 10);
  const filter: ListFilter = {
    subprojects: true,
    state: random() < 0.6 ? ["outstanding"] : some(TASK_STATES),
    limit: [1, 3, 10, 1000, null][Math.floor(random() * 5)] as number | null,
  };
  let projectIds: string[] | null = null;
  const where = random();
  if (where < 0.2) projectIds = some(projects);
  else if (where < 0.3) filter.unfiled = true;
  if (random() < 0.2) filter.attention = some(ATTENTIONS);
  if (random() < 0.2) filter.exclude_attention = some(ATTENTIONS);
  if (random() < 0.2) filter.actionable = true;
  if (random() < 0.15) filter.do_from = day();
  if (random() < 0.15) filter.do_to = day();
  // Late-on windows wholly before today, or from today on, leave out whole parts of the query.
  if (random() < 0.2) filter.late_from = day();
  if (random() < 0.2) filter.late_to = day();
  return { filter, projectIds };
}

const stores: RandomStore[] = [];
beforeAll(() => {
  for (let seed = 1; seed <= 25; seed++) stores.push(randomStore(seed));
});
afterAll(() => {
  for (const random of stores) random.cleanup();
});

describe("SQL next order equals the pure ranking", () => {
  test("on 25 random stores of 80 tasks, for several days each", () => {
    for (const { store, all } of stores) {
      for (const today of TODAYS) {
        // Each part of the SQL is cut to the limit before the parts are merged: check the cut.
        for (const limit of [1, 2, 5, 10, 10_000]) {
          const sql = store.tasks.next(today, limit).map((task) => task.id);
          const pure = rankForNext(all, today, limit).map((task) => task.id);
          expect(sql).toEqual(pure);
        }
      }
    }
  });
});

describe("list and count equal a plain filter and sort", () => {
  test("every state with no filter, at several limits", () => {
    for (const { store, all } of stores) {
      const live = all.filter((task) => task.deleted_at === null);
      for (const today of TODAYS) {
        const sorted = [...live].sort((a, b) => compareForNext(a, b, today));
        for (const limit of [1, 5, 1000, null]) {
          const filter: ListFilter = { subprojects: true, state: [...TASK_STATES], limit };
          const sql = store.tasks.list(filter, today, null).map((task) => task.id);
          expect(sql).toEqual(sorted.slice(0, limit ?? undefined).map((task) => task.id));
        }
        const count = store.tasks.count(
          { subprojects: true, state: [...TASK_STATES] },
          today,
          null,
        );
        expect(count).toBe(live.length);
      }
    }
  });

  test("60 random filters per store and day: the same tasks, in the same order, and the same count", () => {
    for (const { seed, store, all, projectOf, projects } of stores) {
      const random = mulberry32(seed * 7919);
      for (const today of TODAYS) {
        for (let i = 0; i < 60; i++) {
          const { filter, projectIds } = randomFilter(random, projects, today);
          const expected = all
            .filter((task) => matches(task, filter, projectIds, projectOf, today))
            .sort((a, b) => compareForNext(a, b, today));
          const context = JSON.stringify({ seed, today, filter, projectIds });
          const sql = store.tasks.list(filter, today, projectIds).map((task) => task.id);
          expect({ context, ids: sql }).toEqual({
            context,
            ids: expected.slice(0, filter.limit ?? undefined).map((task) => task.id),
          });
          expect({ context, count: store.tasks.count(filter, today, projectIds) }).toEqual({
            context,
            count: expected.length,
          });
        }
      }
    }
  });

  test("each task reads back the project it was last filed in", () => {
    for (const { all, projectOf } of stores) {
      for (const task of all) expect(task.project_id).toBe(projectOf.get(task.id) ?? null);
    }
  });
});
