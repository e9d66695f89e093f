/** The task vocabulary shared by core logic, the store and the protocol (BRIEF §6). */

export const TASK_STATES = ["outstanding", "done", "dropped"] as const;
export type TaskState = (typeof TASK_STATES)[number];

/** white is the default; red means a consequence if late; blue is "on deck" (hidden from next). */
export const ATTENTIONS = ["white", "orange", "red", "blue"] as const;
export type Attention = (typeof ATTENTIONS)[number];

/** A local calendar date, `YYYY-MM-DD`. Dates carry no time and no zone. */
export type LocalDate = string;

/** What ranking needs to know about a task. */
export interface RankableTask {
  id: string;
  created_at: string;
  state: TaskState;
  attention: Attention;
  do_date: LocalDate | null;
  late_on: LocalDate | null;
  deleted_at: string | null;
}

/** The built-in views (`view {name}`, `heph view <name>`). */
export const VIEW_NAMES = ["inbox", "ondeck", "today", "late", "upcoming"] as const;
