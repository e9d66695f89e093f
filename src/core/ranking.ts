/**
 * "What is next?" (BRIEF §7): which tasks are candidates, and in what order.
 *
 * Everything here is pure: `today` is a local calendar date passed in by the caller. Lateness is
 * the only urgency signal; age (created_at) only breaks ties inside an attention band.
 */
import { toUtcMillis } from "./calendar.ts";
import type { Attention, LocalDate, RankableTask } from "./task-types.ts";

const MS_PER_DAY = 86_400_000;

/** Lower ranks first. Blue is never a candidate; it gets a rank only so keys stay total. */
const ATTENTION_RANK: Record<Attention, number> = { red: 0, orange: 1, white: 2, blue: 3 };

/** Days since the epoch for a `YYYY-MM-DD`; throws RangeError on malformed or impossible dates. */
function dayNumber(date: LocalDate): number {
  return toUtcMillis(date) / MS_PER_DAY;
}

/** Plain code-unit order, the same as SQLite's BINARY collation for the ASCII ids/timestamps. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Candidates: outstanding, not tombstoned, not blue, and do-date empty or not in the future. */
export function isCandidate(task: RankableTask, today: LocalDate): boolean {
  return (
    task.state === "outstanding" &&
    task.deleted_at === null &&
    task.attention !== "blue" &&
    // Fixed-width YYYY-MM-DD strings sort like the dates they name.
    (task.do_date === null || task.do_date <= today)
  );
}

/** Whole days past late_on; a task is late from the day after its late_on date. */
export function lateByDays(task: RankableTask, today: LocalDate): number {
  if (task.late_on === null) return 0;
  // Day arithmetic (not string order) so a malformed date throws instead of ranking silently.
  const past = dayNumber(today) - dayNumber(task.late_on);
  return Math.max(past, 0);
}

/** The total order of `next`: late first, more overdue first, red > orange > white, older, id. */
export function compareForNext(a: RankableTask, b: RankableTask, today: LocalDate): number {
  // Non-late tasks count 0 days, so "more days late first" also puts late before not late.
  const late = lateByDays(b, today) - lateByDays(a, today);
  if (late !== 0) return late;
  const band = ATTENTION_RANK[a.attention] - ATTENTION_RANK[b.attention];
  if (band !== 0) return band;
  return compareStrings(a.created_at, b.created_at) || compareStrings(a.id, b.id);
}

/**
 * A sort key equivalent to compareForNext: compare tuples element by element, numbers ascending,
 * strings by code unit. The store mirrors it in SQL (store/tasks.ts NEXT_ORDER) by sorting late
 * tasks on their late_on date (an older one is longer late) ahead of a sentinel for the rest,
 * then attention rank, created_at and id; test/store/next-order.test.ts checks they agree.
 */
export function rankKey(
  task: RankableTask,
  today: LocalDate,
): [number, number, number, string, string] {
  const late = lateByDays(task, today);
  // The late flag is implied by the day count but kept explicit so the SQL mirror reads plainly;
  // `0 - late` rather than `-late`, so a non-late task gets 0 and never -0.
  return [late > 0 ? 0 : 1, 0 - late, ATTENTION_RANK[task.attention], task.created_at, task.id];
}

/** The candidates among `tasks`, best first; at most `limit` of them when given. */
export function rankForNext<T extends RankableTask>(
  tasks: readonly T[],
  today: LocalDate,
  limit?: number,
): T[] {
  const ranked = tasks
    .filter((task) => isCandidate(task, today))
    .sort((a, b) => compareForNext(a, b, today));
  return limit === undefined ? ranked : ranked.slice(0, Math.max(0, limit));
}

export interface RankExplanation {
  late_by_days: number;
  attention: Attention;
  /** Whole days from created_at's UTC date to today (0 if created "after" today). */
  age_days: number;
  reasons: string[];
  summary: string;
}

function days(n: number): string {
  return n === 1 ? "1 day" : `${n} days`;
}

/** Why a task is hidden from `next`, or null when it is a candidate. */
function exclusion(task: RankableTask, today: LocalDate): string | null {
  if (task.deleted_at !== null) return "deleted";
  if (task.state !== "outstanding") return task.state;
  if (task.attention === "blue") return "on deck (blue)";
  if (task.do_date !== null && task.do_date > today) return `not before ${task.do_date}`;
  return null;
}

/** For `heph next --explain`: the facts that place a task, in the order they matter. */
export function explainRank(task: RankableTask, today: LocalDate): RankExplanation {
  const late = lateByDays(task, today);
  const created = Date.parse(task.created_at);
  if (Number.isNaN(created)) throw new RangeError(`not a timestamp: ${task.created_at}`);
  // Clock skew can put created_at after today; a negative age would be nonsense.
  const age = Math.max(0, dayNumber(today) - Math.floor(created / MS_PER_DAY));

  const reasons: string[] = [];
  const hidden = exclusion(task, today);
  if (hidden !== null) reasons.push(hidden);
  if (late > 0) reasons.push(`late by ${days(late)}`);
  else if (task.late_on !== null) reasons.push(`late after ${task.late_on}`);
  reasons.push(`attention ${task.attention}`);
  reasons.push(age === 0 ? "created today" : `waiting ${days(age)}`);

  const waited = age === 0 ? "created today" : `waiting ${days(age)}`;
  let summary: string;
  if (hidden !== null) {
    summary = `Not shown by next: ${hidden}.`;
  } else if (late > 0) {
    summary =
      `Late by ${days(late)}, so it comes before every task that is not late or less late; ` +
      `among tasks equally late, ${task.attention} attention then age (${waited}) decide.`;
  } else {
    summary =
      `Not late, so it follows every late task; it sits in the ${task.attention} band, ` +
      `ordered by age within it (${waited}).`;
  }
  return { late_by_days: late, attention: task.attention, age_days: age, reasons, summary };
}
