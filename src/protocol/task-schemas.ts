/** Wire shapes of tasks, projects and task logs (BRIEF §6). Dates are local `YYYY-MM-DD`. */
import { z } from "zod";
import { ATTENTIONS, TASK_STATES, VIEW_NAMES } from "../core/task-types.ts";
import { Label, LocalDateText, Node, Timestamp, Title } from "./schemas.ts";

export { LocalDateText };

export const Attention = z.enum(ATTENTIONS);
export const TaskState = z.enum(TASK_STATES);

/**
 * A date as a client may send it: `YYYY-MM-DD`, or a phrase the daemon resolves against its
 * today (today, tomorrow, friday, +3d, in 2 weeks, dec 24). Replies always carry YYYY-MM-DD.
 */
export const DateInput = z
  .string()
  .trim()
  .min(1, "must be a date such as 2026-12-24, today, tomorrow, friday or +3d")
  .max(100);

/** A task, a project or any node by its id, or a unique prefix of at least 4 characters. */
export const IdRef = z
  .string()
  .trim()
  .regex(
    /^[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{4,26}$/,
    "must be an id or a unique prefix of one (4+ characters)",
  );

/** A project by name or id: a project name follows the title rules (one line, 1–1000 chars). */
export const ProjectRef = Title;

export const Task = Node.extend({
  kind: z.literal("task"),
  state: TaskState,
  attention: Attention,
  do_date: LocalDateText.nullable(),
  late_on: LocalDateText.nullable(),
  /** The RRULE body (e.g. FREQ=WEEKLY;BYDAY=MO), or null. */
  recurrence: z.string().nullable(),
  /** The rule in words ("every Monday"), or null. */
  recurrence_text: z.string().nullable(),
  project: z.string().nullable(),
  project_id: z.string().nullable(),
  context_id: z.string().nullable(),
  closed_at: Timestamp.nullable(),
});
export type Task = z.infer<typeof Task>;

export const RankedTask = Task.extend({
  explain: z
    .object({
      position: z.number().int(),
      late_by_days: z.number().int(),
      attention: Attention,
      age_days: z.number().int(),
      reasons: z.array(z.string()),
      summary: z.string(),
    })
    .optional(),
});
export type RankedTask = z.infer<typeof RankedTask>;

export const Project = z.object({
  id: z.string(),
  name: z.string(),
  parent: z.string().nullable(),
  parent_id: z.string().nullable(),
  /** Names from the top project down to this one. */
  path: z.array(z.string()),
  outstanding: z.number().int(),
  created_at: Timestamp,
});
export type Project = z.infer<typeof Project>;

export const LOG_KINDS = ["note", "created", "done", "dropped", "reopened"] as const;
export const LogEntry = z.object({
  seq: z.number().int(),
  task_id: z.string(),
  at: Timestamp,
  kind: z.enum(LOG_KINDS),
  text: z.string(),
});
export type LogEntry = z.infer<typeof LogEntry>;

/** Fields a task can be given at creation or changed later; null clears a date or rule. */
export const TaskFields = {
  title: Title,
  body: z.string(),
  attention: Attention,
  do_date: DateInput.nullable(),
  late_on: DateInput.nullable(),
  /** A preset (daily, weekdays…), a phrase (every 3 days…) or an RRULE; null clears. */
  recurrence: z.string().trim().min(1).nullable(),
  project: ProjectRef.nullable(),
  tags: z.array(Label).max(100),
};

export { VIEW_NAMES };

export const ListFilter = z.strictObject({
  /** A project and, unless `subprojects` is false, everything under it. */
  project: ProjectRef.optional(),
  subprojects: z.boolean().default(true),
  /** Only tasks in no project. */
  unfiled: z.boolean().optional(),
  attention: z.array(Attention).optional(),
  exclude_attention: z.array(Attention).optional(),
  state: z.array(TaskState).default(["outstanding"]),
  /** Only what `next` would consider: outstanding, not blue, do-date reached. */
  actionable: z.boolean().optional(),
  do_from: DateInput.optional(),
  do_to: DateInput.optional(),
  late_from: DateInput.optional(),
  late_to: DateInput.optional(),
  /** At most this many; null: every match, no cap. */
  limit: z.number().int().min(1).max(100_000).nullable().default(1000),
});
export type ListFilter = z.output<typeof ListFilter>;

/** What `list.count` takes: the filter of `list`, without the limit a count has no use for. */
export const CountFilter = ListFilter.omit({ limit: true });
export type CountFilter = z.output<typeof CountFilter>;
