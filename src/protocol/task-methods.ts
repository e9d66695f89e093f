/** The task, project, "next" and log methods (BRIEF §5–§7), in the shared method table. */
import { z } from "zod";
import { spec } from "./method-spec.ts";
import { Node } from "./schemas.ts";
import {
  Attention,
  CountFilter,
  IdRef,
  ListFilter,
  LogEntry,
  Project,
  ProjectRef,
  RankedTask,
  Task,
  TaskFields,
  VIEW_NAMES,
} from "./task-schemas.ts";

const byId = z.strictObject({ id: IdRef });

export const taskMethods = {
  "task.create": spec(
    "Creates a task with its context doc; an unknown project name creates the project. A recurring task without a do-date starts at its first occurrence.",
    z.strictObject({
      title: TaskFields.title,
      body: TaskFields.body.default(""),
      attention: TaskFields.attention.default("white"),
      do_date: TaskFields.do_date.default(null),
      late_on: TaskFields.late_on.default(null),
      recurrence: TaskFields.recurrence.default(null),
      project: TaskFields.project.default(null),
      tags: TaskFields.tags.default([]),
    }),
    Task,
    true,
  ),
  "task.add": spec(
    'Quick add: parses one line ("Pay rent tomorrow p1 #Home every month") and creates the task.',
    z.strictObject({ line: z.string().trim().min(1, "must not be empty").max(2000) }),
    Task,
    true,
  ),
  "task.parse": spec(
    "Parses a quick-add line without creating anything, so a surface can preview it.",
    z.strictObject({ line: z.string().trim().min(1, "must not be empty").max(2000) }),
    z.object({
      title: z.string(),
      do_date: z.string().nullable(),
      late_on: z.string().nullable(),
      attention: Attention.nullable(),
      project: z.string().nullable(),
      recurrence: z.string().nullable(),
    }),
    false,
  ),
  "task.get": spec("Reads a task by id or unique id prefix.", byId, Task, false),
  "task.update": spec(
    "Changes the given fields of a task; null clears a date, the rule or the project.",
    z.strictObject({
      id: IdRef,
      title: TaskFields.title.optional(),
      body: TaskFields.body.optional(),
      attention: TaskFields.attention.optional(),
      do_date: TaskFields.do_date.optional(),
      late_on: TaskFields.late_on.optional(),
      recurrence: TaskFields.recurrence.optional(),
      project: TaskFields.project.optional(),
      tags: TaskFields.tags.optional(),
    }),
    Task,
    true,
  ),
  "task.done": spec(
    "Completes a task. A recurring one logs the occurrence, resets its checklist and moves to its next occurrence after today.",
    byId,
    Task,
    true,
  ),
  "task.skip": spec(
    "Moves a recurring task to its next occurrence after today without logging a completion.",
    byId,
    Task,
    true,
  ),
  "task.drop": spec("Ends a task without doing it (kept, state dropped).", byId, Task, true),
  "task.reopen": spec("Makes a done or dropped task outstanding again.", byId, Task, true),
  "task.set_attention": spec(
    "Sets the attention colour: white, orange, red, or blue (on deck).",
    z.strictObject({ id: IdRef, attention: Attention }),
    Task,
    true,
  ),
  "task.set_schedule": spec(
    "Sets or clears (null) the do-date, the late-on date and the recurrence; absent fields are kept.",
    z.strictObject({
      id: IdRef,
      do_date: TaskFields.do_date.optional(),
      late_on: TaskFields.late_on.optional(),
      recurrence: TaskFields.recurrence.optional(),
    }),
    Task,
    true,
  ),
  "task.set_project": spec(
    "Files a task in a project (by name or id; an unknown name creates it), or unfiles it (null).",
    z.strictObject({ id: IdRef, project: ProjectRef.nullable() }),
    Task,
    true,
  ),
  "task.delete": spec("Tombstones a task and its context doc.", byId, Task, true),
  "project.create": spec(
    "Creates a project, optionally under a parent project.",
    z.strictObject({ name: TaskFields.title, parent: ProjectRef.nullable().default(null) }),
    Project,
    true,
  ),
  "project.list": spec(
    "Every project with its parent, path and outstanding task count.",
    z.strictObject({}),
    z.array(Project),
    false,
  ),
  "project.move": spec(
    "Moves a project under another (null: to the top). Moving it under itself or its own descendant is refused.",
    z.strictObject({ project: ProjectRef, parent: ProjectRef.nullable() }),
    Project,
    true,
  ),
  "project.rename": spec(
    "Renames a project.",
    z.strictObject({ project: ProjectRef, name: TaskFields.title }),
    Project,
    true,
  ),
  next: spec(
    "What to do next: outstanding, not blue, do-date reached; late first (longest late first), then red, orange, white, then oldest.",
    z.strictObject({
      limit: z.number().int().min(1).max(10_000).default(20),
      explain: z.boolean().default(false),
    }),
    z.array(RankedTask),
    false,
  ),
  list: spec(
    "Tasks matching a filter, in the next order; at most limit (default 1000, null: no cap).",
    ListFilter,
    z.array(Task),
    false,
  ),
  "list.count": spec(
    "How many tasks match a list filter (list's params without limit): the whole list, for a pager's \"… N more\".",
    CountFilter,
    z.object({ count: z.number().int().min(0) }),
    false,
  ),
  view: spec(
    "A built-in view: inbox (no project), ondeck (blue), today (do-date or late-on reached), late (past late-on), upcoming (do-date in the next 7 days).",
    z.strictObject({
      name: z.enum(VIEW_NAMES),
      limit: z.number().int().min(1).max(100_000).default(1000),
    }),
    z.array(Task),
    false,
  ),
  "log.append": spec(
    "Appends a note to a task's log.",
    z.strictObject({ id: IdRef, text: z.string().trim().min(1, "must not be empty").max(100_000) }),
    LogEntry,
    true,
  ),
  "log.tail": spec(
    "The last entries of a task's log, oldest first.",
    z.strictObject({ id: IdRef, limit: z.number().int().min(1).max(10_000).default(20) }),
    z.array(LogEntry),
    false,
  ),
  "node.append": spec(
    "Appends text to a node's body (on a new line), in one step: no lost update against other writers.",
    z.strictObject({ id: IdRef, text: z.string().min(1, "must not be empty") }),
    Node,
    true,
  ),
};
