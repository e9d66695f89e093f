/**
 * The store's SQL "next" order must be exactly core/ranking.ts's order: random stores, random
 * days, compared task for task.
 */
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { rankForNext } from "../../src/core/ranking.ts";
import { ATTENTIONS, type Attention } from "../../src/core/task-types.ts";
import { openStore } from "../../src/store/store.ts";
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

describe("SQL next order equals the pure ranking", () => {
  test("on 25 random stores of 80 tasks, for several days each", () => {
    for (let seed = 1; seed <= 25; seed++) {
      const random = mulberry32(seed);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
      const dir = tempDir("heph-order-");
      let now = Date.parse("2026-06-01T00:00:00Z");
      const store = openStore(join(dir.path, "heph.db"), () => new Date(now));
      try {
        for (let i = 0; i < 80; i++) {
          // Several tasks per millisecond sometimes: ties on created_at fall back to the id.
          now += random() < 0.3 ? 0 : Math.floor(random() * 86_400_000);
          const maybeDate = () =>
            random() < 0.5 ? null : dayOffset("2026-06-15", Math.floor(random() * 30) - 15);
          const task = store.tasks.create({
            title: `t${i}`,
            body: "",
            attention: pick(ATTENTIONS) as Attention,
            do_date: maybeDate(),
            late_on: maybeDate(),
            recurrence: null,
            project_id: null,
            tags: [],
          });
          const roll = random();
          if (roll < 0.1) store.tasks.setState(task.id, "done");
          else if (roll < 0.15) store.tasks.setState(task.id, "dropped");
          else if (roll < 0.2) store.nodes.delete(task.id);
        }
        const everything = store.tasks.list(
          { subprojects: true, state: ["outstanding", "done", "dropped"], limit: 100_000 },
          "2026-06-15",
          null,
        );
        const deleted = store.db
          .query<{ id: string }, []>(
            "SELECT id FROM nodes WHERE deleted_at IS NOT NULL AND kind = 'task'",
          )
          .all();
        const all = [
          ...everything,
          ...deleted.map(({ id }) => store.tasks.get(id)).filter((t) => t !== undefined),
        ];
        for (const today of ["2026-06-01", "2026-06-15", "2026-06-29", "2026-07-10"]) {
          // Each part of the SQL is cut to the limit before the parts are merged: check the cut.
          for (const limit of [1, 2, 5, 10, 10_000]) {
            const sql = store.tasks.next(today, limit).map((task) => task.id);
            const pure = rankForNext(all, today, limit).map((task) => task.id);
            expect(sql).toEqual(pure);
          }
        }
      } finally {
        store.close();
        dir.cleanup();
      }
    }
  });
});
