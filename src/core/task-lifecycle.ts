/**
 * What done, skip and creation do to a recurring task's dates: pure, `today` passed in.
 * A recurring task is one node rolled forward in place (BRIEF §6).
 */
import { addDays } from "./dates.ts";
import { nextOccurrence } from "./recurrence.ts";
import type { LocalDate } from "./task-types.ts";

export interface Schedule {
  do_date: LocalDate | null;
  recurrence: string | null;
}

export type Advance =
  /** Not recurring, or the rule has no occurrence left: the task closes. */
  | { kind: "close"; occurrence: LocalDate }
  /** Rolled forward: `occurrence` is the one completed (or skipped), `do_date` the next. */
  | { kind: "advance"; occurrence: LocalDate; do_date: LocalDate };

function later(a: LocalDate, b: LocalDate): LocalDate {
  return a > b ? a : b;
}

/**
 * The next do-date after finishing (or skipping) the current occurrence: the first occurrence
 * after today, or after the current do-date when that is still ahead (finishing early moves to
 * the following occurrence, not back to this one). Missed occurrences are skipped, not piled up.
 */
export function advance(schedule: Schedule, today: LocalDate): Advance {
  const occurrence = schedule.do_date ?? today;
  if (!schedule.recurrence) return { kind: "close", occurrence };
  const next = nextOccurrence(schedule.recurrence, occurrence, later(today, occurrence));
  return next ? { kind: "advance", occurrence, do_date: next } : { kind: "close", occurrence };
}

/** A new recurring task without a do-date starts at its first occurrence on or after today. */
export function firstDoDate(recurrence: string, today: LocalDate): LocalDate | null {
  return nextOccurrence(recurrence, today, addDays(today, -1));
}
