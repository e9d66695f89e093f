/**
 * Todoist's date strings ("every monday", "every 2 weeks", "Jan 15", "tomorrow") through heph's
 * own quick-add grammar, so there is one parser of such phrases in heph, not two.
 */
import { parseQuickAdd, QuickAddError } from "../core/quick-add.ts";
import type { LocalDate } from "../core/task-types.ts";

/** Stands in for a title: quick add needs one, and this character means nothing to it. */
const PLACEHOLDER = "\u2063";

export interface DueString {
  recurrence: string | null;
  date: LocalDate | null;
  /** Words the grammar did not take (a time of day, a phrase it does not know); "" when none. */
  rest: string;
}

export function parseDueString(text: string, today: LocalDate): DueString {
  try {
    const parsed = parseQuickAdd(`${PLACEHOLDER} ${text}`, { today, projects: [] });
    const rest = parsed.title.replace(PLACEHOLDER, "").trim();
    return { recurrence: parsed.recurrence, date: parsed.do_date ?? parsed.late_on, rest };
  } catch (error) {
    if (error instanceof QuickAddError) return { recurrence: null, date: null, rest: text.trim() };
    throw error;
  }
}
