/** "What is next?" ordering (BRIEF §7): seeded property tests plus readable examples. */
import { describe, expect, test } from "bun:test";
import {
  compareForNext,
  explainRank,
  isCandidate,
  lateByDays,
  rankForNext,
  rankKey,
} from "../../src/core/ranking.ts";
import { ATTENTIONS, type RankableTask, TASK_STATES } from "../../src/core/task-types.ts";

/** mulberry32: tiny seeded PRNG so every failure replays exactly. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)] as T;
}

const DAY = 86_400_000;
/** Independent date oracle for the tests (not the module's own helper). */
const epochDay = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY;
const addDays = (date: string, n: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
const oracleLate = (t: RankableTask, today: string) =>
  t.late_on === null ? 0 : Math.max(0, epochDay(today) - epochDay(t.late_on));
const band = (t: RankableTask) => ["red", "orange", "white", "blue"].indexOf(t.attention);
const sign = (n: number) => (n > 0 ? 1 : n < 0 ? -1 : 0);

// Around month, leap-day and year boundaries, where naive day arithmetic breaks.
const TODAYS = ["2024-03-01", "2024-02-29", "2025-01-01", "2024-12-31", "2023-03-01"];

function randomSet(rng: Rng): { today: string; tasks: RankableTask[] } {
  const today = pick(rng, TODAYS);
  // A small pool of timestamps and ids of mixed length force ties down to the id.
  const stamps = Array.from({ length: 4 }, () =>
    new Date(Date.parse(`${today}T12:00:00Z`) - int(rng, 0, 40) * 3_600_000 * 6).toISOString(),
  );
  const ids = new Set<string>();
  const size = int(rng, 0, 30);
  while (ids.size < size) {
    ids.add(Array.from({ length: int(rng, 1, 4) }, () => pick(rng, [..."0AZ9bm"])).join(""));
  }
  const tasks = [...ids].map(
    (id): RankableTask => ({
      id,
      created_at: pick(rng, stamps),
      state: rng() < 0.75 ? "outstanding" : pick(rng, TASK_STATES),
      attention: pick(rng, ATTENTIONS),
      do_date: rng() < 0.5 ? null : addDays(today, int(rng, -3, 3)),
      late_on: rng() < 0.4 ? null : addDays(today, int(rng, -5, 3)),
      deleted_at: rng() < 0.85 ? null : "2024-01-01T00:00:00.000Z",
    }),
  );
  return { today, tasks };
}

function shuffled<T>(rng: Rng, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = int(rng, 0, i);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

function compareKeys(a: (number | string)[], b: (number | string)[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number | string;
    const y = b[i] as number | string;
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
}

const SETS = 600;
function forEachSet(body: (rng: Rng, today: string, tasks: RankableTask[], seed: number) => void) {
  for (let seed = 1; seed <= SETS; seed++) {
    const rng = mulberry32(seed);
    const { today, tasks } = randomSet(rng);
    body(rng, today, tasks, seed);
  }
}

describe("properties over seeded random task sets", () => {
  test("compare is a total order: antisymmetric, never 0 for distinct tasks, transitive", () => {
    let triples = 0;
    forEachSet((rng, today, tasks) => {
      for (const a of tasks) {
        expect(compareForNext(a, a, today)).toBe(0);
        for (const b of tasks) {
          if (a === b) continue;
          const ab = compareForNext(a, b, today);
          expect(ab).not.toBe(0);
          expect(sign(ab)).toBe(-sign(compareForNext(b, a, today)));
        }
      }
      for (let k = 0; tasks.length >= 3 && k < 20; k++) {
        const [a, b, c] = shuffled(rng, tasks) as [RankableTask, RankableTask, RankableTask];
        // Of the six orderings of three distinct tasks exactly one chains; it must be transitive.
        for (const [x, y, z] of [
          [a, b, c],
          [a, c, b],
          [b, a, c],
          [b, c, a],
          [c, a, b],
          [c, b, a],
        ] as const) {
          if (compareForNext(x, y, today) < 0 && compareForNext(y, z, today) < 0) {
            expect(compareForNext(x, z, today)).toBeLessThan(0);
            triples++;
          }
        }
      }
    });
    expect(triples).toBeGreaterThan(1000);
  });

  test("shuffled input gives identical output", () => {
    forEachSet((rng, today, tasks) => {
      const ids = rankForNext(tasks, today).map((t) => t.id);
      for (let k = 0; k < 3; k++) {
        expect(rankForNext(shuffled(rng, tasks), today).map((t) => t.id)).toEqual(ids);
      }
    });
  });

  test("exactly the candidates are shown: no blue, future, done, dropped or deleted task", () => {
    let hidden = 0;
    forEachSet((_rng, today, tasks) => {
      const shown = new Set(rankForNext(tasks, today));
      for (const t of tasks) {
        const eligible =
          t.state === "outstanding" &&
          t.deleted_at === null &&
          t.attention !== "blue" &&
          (t.do_date === null || epochDay(t.do_date) <= epochDay(today));
        expect(shown.has(t)).toBe(eligible);
        expect(isCandidate(t, today)).toBe(eligible);
        if (!eligible) hidden++;
      }
    });
    expect(hidden).toBeGreaterThan(1000);
  });

  test("late before not late, more late first, then red > orange > white, older, id", () => {
    let lateRows = 0;
    forEachSet((_rng, today, tasks) => {
      const ranked = rankForNext(tasks, today);
      const lastLate = ranked.findLastIndex((t) => oracleLate(t, today) > 0);
      const firstOnTime = ranked.findIndex((t) => oracleLate(t, today) === 0);
      if (lastLate >= 0 && firstOnTime >= 0) expect(lastLate).toBeLessThan(firstOnTime);
      for (let i = 1; i < ranked.length; i++) {
        const prev = ranked[i - 1] as RankableTask;
        const next = ranked[i] as RankableTask;
        const [lp, ln] = [oracleLate(prev, today), oracleLate(next, today)];
        expect(lateByDays(prev, today)).toBe(lp);
        if (lp > 0) lateRows++;
        // Non-increasing lateness also puts every late task before every non-late one.
        expect(lp).toBeGreaterThanOrEqual(ln);
        if (lp !== ln) continue;
        expect(band(prev)).toBeLessThanOrEqual(band(next));
        if (band(prev) !== band(next)) continue;
        expect(prev.created_at <= next.created_at).toBe(true);
        if (prev.created_at === next.created_at) expect(prev.id < next.id).toBe(true);
      }
    });
    expect(lateRows).toBeGreaterThan(500);
  });

  test("rankKey tuple order agrees with compareForNext, candidates or not", () => {
    forEachSet((_rng, today, tasks) => {
      for (const a of tasks) {
        for (const b of tasks) {
          expect(sign(compareKeys(rankKey(a, today), rankKey(b, today)))).toBe(
            sign(compareForNext(a, b, today)),
          );
        }
      }
    });
  });

  test("limit takes a prefix of the full ranking", () => {
    forEachSet((rng, today, tasks) => {
      const full = rankForNext(tasks, today);
      const limit = int(rng, 0, 10);
      expect(rankForNext(tasks, today, limit)).toEqual(full.slice(0, limit));
    });
  });
});

function task(id: string, fields: Partial<RankableTask> = {}): RankableTask {
  return {
    id,
    created_at: "2024-05-01T09:00:00.000Z",
    state: "outstanding",
    attention: "white",
    do_date: null,
    late_on: null,
    deleted_at: null,
    ...fields,
  };
}

describe("examples", () => {
  const today = "2024-05-10";

  test("late_on today is not late; late_on yesterday is late by 1; across a month", () => {
    expect(lateByDays(task("A", { late_on: "2024-05-10" }), today)).toBe(0);
    expect(lateByDays(task("A", { late_on: "2024-05-09" }), today)).toBe(1);
    expect(lateByDays(task("A", { late_on: "2024-05-11" }), today)).toBe(0);
    expect(lateByDays(task("A", { late_on: "2024-02-28" }), "2024-03-01")).toBe(2);
  });

  test("malformed dates are rejected rather than ranked silently", () => {
    expect(() => lateByDays(task("A", { late_on: "2024-02-30" }), today)).toThrow(RangeError);
    expect(() => lateByDays(task("A", { late_on: "10/05/2024" }), today)).toThrow(RangeError);
  });

  test("an old white task does not outrank a new red one", () => {
    const old = task("OLD", { created_at: "2020-01-01T00:00:00.000Z" });
    const red = task("NEW", { attention: "red", created_at: "2024-05-10T08:00:00.000Z" });
    expect(rankForNext([old, red], today).map((t) => t.id)).toEqual(["NEW", "OLD"]);
  });

  test("a late white task outranks a non-late red one, and more late goes first", () => {
    const lateWhite = task("LW", { late_on: "2024-05-08" });
    const lateWhite1 = task("LW1", { late_on: "2024-05-09" });
    const red = task("R", { attention: "red", late_on: "2024-05-10" });
    expect(rankForNext([red, lateWhite1, lateWhite], today).map((t) => t.id)).toEqual([
      "LW",
      "LW1",
      "R",
    ]);
  });

  test("do-date gates, blue hides, orange sits between red and white", () => {
    const tasks = [
      task("W"),
      task("O", { attention: "orange" }),
      task("R", { attention: "red" }),
      task("B", { attention: "blue" }),
      task("F", { do_date: "2024-05-11" }),
      task("T", { do_date: "2024-05-10", created_at: "2024-06-01T00:00:00.000Z" }),
    ];
    expect(rankForNext(tasks, today).map((t) => t.id)).toEqual(["R", "O", "W", "T"]);
  });

  test("limit works", () => {
    const tasks = ["C", "A", "B"].map((id) => task(id));
    expect(rankForNext(tasks, today, 2).map((t) => t.id)).toEqual(["A", "B"]);
    expect(rankForNext(tasks, today, 0)).toEqual([]);
    expect(rankForNext(tasks, today, 10)).toHaveLength(3);
  });

  test("rankKey is the documented tuple", () => {
    const t = task("X", { attention: "orange", late_on: "2024-05-07" });
    expect(rankKey(t, today)).toEqual([0, -3, 1, "2024-05-01T09:00:00.000Z", "X"]);
    expect(rankKey(task("Y"), today)).toEqual([1, 0, 2, "2024-05-01T09:00:00.000Z", "Y"]);
  });

  test("explainRank for a late task", () => {
    const t = task("X", {
      attention: "red",
      late_on: "2024-05-07",
      created_at: "2024-04-28T23:30:00.000Z",
    });
    const e = explainRank(t, today);
    expect(e.late_by_days).toBe(3);
    expect(e.attention).toBe("red");
    expect(e.age_days).toBe(12);
    expect(e.reasons).toEqual(["late by 3 days", "attention red", "waiting 12 days"]);
    expect(e.summary).toBe(
      "Late by 3 days, so it comes before every task that is not late or less late; " +
        "among tasks equally late, red attention then age (waiting 12 days) decide.",
    );
  });

  test("explainRank for a task that is not late", () => {
    const e = explainRank(task("X", { late_on: "2024-05-10" }), today);
    expect(e.reasons).toEqual(["late after 2024-05-10", "attention white", "waiting 9 days"]);
    expect(e.summary).toContain("Not late");
    expect(e.summary).toContain("white band");
    const fresh = explainRank(task("Y", { created_at: "2024-05-10T00:00:00.000Z" }), today);
    expect(fresh.age_days).toBe(0);
    expect(fresh.reasons).toEqual(["attention white", "created today"]);
    const one = explainRank(task("Z", { created_at: "2024-05-09T23:59:59.999Z" }), today);
    expect(one.reasons).toContain("waiting 1 day");
  });

  test("explainRank says honestly when a task is hidden", () => {
    expect(explainRank(task("B", { attention: "blue" }), today).summary).toBe(
      "Not shown by next: on deck (blue).",
    );
    expect(explainRank(task("F", { do_date: "2024-05-12" }), today).reasons[0]).toBe(
      "not before 2024-05-12",
    );
    expect(explainRank(task("D", { state: "done" }), today).summary).toBe(
      "Not shown by next: done.",
    );
    expect(
      explainRank(task("G", { deleted_at: "2024-05-09T00:00:00.000Z" }), today).reasons[0],
    ).toBe("deleted");
  });
});
