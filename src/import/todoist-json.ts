/**
 * A Todoist Sync API backup (the JSON of `sync` with every resource type: items, projects,
 * sections, labels, notes, project_notes) → ImportItems. Pure: the parsed JSON, today and the
 * daemon's time zone in. Todoist's API numbers priorities the other way round from its UI:
 * API 4 is what the app shows as p1 (red), 3 is p2 (orange), 2 is p3 (blue), 1 is p4 (white).
 */
import { z } from "zod";
import { localDate } from "../core/calendar.ts";
import type { LocalDate } from "../core/task-types.ts";
import type { ImportItem } from "../protocol/import-schemas.ts";
import { withHash } from "./hash.ts";
import type { ImporterOutput, RecordNote, RecordProblem } from "./run.ts";
import { isoTimestamp, labels, projectName, titleAndBody } from "./text.ts";
import { parseDueString } from "./todoist-dates.ts";

type Task = Extract<ImportItem, { kind: "task" }>;

/** API priorities (4 = p1) to attention: the inversion of the UI numbers. */
export const API_PRIORITY: { [p: string]: Task["attention"] } = {
  4: "red",
  3: "orange",
  2: "blue",
  1: "white",
};

const Id = z.union([z.string().min(1), z.number()]).transform(String);
const When = z.string().transform((text, ctx) => {
  const iso = isoTimestamp(Date.parse(text));
  if (iso === undefined) {
    ctx.addIssue({ code: "custom", message: `${JSON.stringify(text)} is not a date-time` });
    return z.NEVER;
  }
  return iso;
});
const Flag = z.union([z.boolean(), z.number()]).transform(Boolean);
const Due = z.looseObject({
  date: z.string(),
  is_recurring: Flag.optional(),
  string: z.string().nullish(),
  timezone: z.string().nullish(),
});
const Item = z.looseObject({
  id: Id,
  content: z.string(),
  description: z.string().nullish(),
  project_id: Id.nullish(),
  section_id: Id.nullish(),
  parent_id: Id.nullish(),
  priority: z.number().int().nullish(),
  due: Due.nullish(),
  deadline: z.looseObject({ date: z.string() }).nullish(),
  labels: z.array(z.union([z.string(), z.number()])).nullish(),
  checked: Flag.nullish(),
  is_deleted: Flag.nullish(),
  added_at: When.nullish(),
  date_added: When.nullish(),
  completed_at: When.nullish(),
  date_completed: When.nullish(),
});
const Project = z.looseObject({
  id: Id,
  name: z.string(),
  parent_id: Id.nullish(),
  inbox_project: Flag.nullish(),
  is_deleted: Flag.nullish(),
  is_archived: Flag.nullish(),
});
const Section = z.looseObject({
  id: Id,
  name: z.string(),
  project_id: Id,
  is_deleted: Flag.nullish(),
});
const Note = z.looseObject({
  item_id: Id.optional(),
  project_id: Id.optional(),
  content: z.string(),
  posted_at: When.nullish(),
  is_deleted: Flag.nullish(),
  file_attachment: z
    .looseObject({ file_name: z.string().nullish(), file_url: z.string().nullish() })
    .nullish(),
});
const Label = z.looseObject({ id: Id, name: z.string() });

export interface JsonOptions {
  name: string;
  today: LocalDate;
  timeZone: string;
}

/** Whether `value` looks like a Sync backup at all. */
export function isTodoistBackup(value: unknown): value is { [key: string]: unknown } {
  return (
    value !== null &&
    typeof value === "object" &&
    !Array.isArray(value) &&
    ("items" in value || "projects" in value)
  );
}

export function mapTodoistJson(
  backup: { [key: string]: unknown },
  options: JsonOptions,
): ImporterOutput {
  const problems: RecordProblem[] = [];
  const notes: RecordNote[] = [];
  const where = new Map<string, string>();
  const list = <S extends z.ZodType>(field: string, schema: S): Array<z.output<S>> => {
    const raw = backup[field];
    if (raw === undefined) return [];
    if (!Array.isArray(raw)) {
      problems.push({ where: `${options.name} ${field}`, reason: "must be a list" });
      return [];
    }
    return raw.flatMap((value, index) => {
      const parsed = schema.safeParse(value);
      if (parsed.success) return [parsed.data as z.output<S>];
      problems.push({
        where: `${options.name} ${field}[${index}]`,
        reason: parsed.error.issues
          .map((i) => `${i.path.join(".") || field}: ${i.message}`)
          .join("; "),
      });
      return [];
    });
  };
  const projects = list("projects", Project).filter((p) => !p.is_deleted);
  const sections = list("sections", Section).filter((s) => !s.is_deleted);
  const labelNames = new Map(list("labels", Label).map((l) => [l.id, l.name]));
  const comments = list("notes", Note).filter((n) => !n.is_deleted);
  const projectNotes = list("project_notes", Note).filter((n) => !n.is_deleted);
  const tasks = list("items", Item);

  const byId = new Map(projects.map((p) => [p.id, p]));
  const pathOf = (id: string | null | undefined): string[] | null => {
    const path: string[] = [];
    const seen = new Set<string>();
    for (
      let p = id ? byId.get(id) : undefined;
      p && !seen.has(p.id);
      p = p.parent_id ? byId.get(p.parent_id) : undefined
    ) {
      seen.add(p.id);
      // The Inbox is heph's inbox: tasks in no project.
      if (!p.inbox_project) path.unshift(projectName(p.name) || "(unnamed)");
    }
    return path.length > 0 ? path : null;
  };
  const text = (n: z.output<typeof Note>) => {
    const file = n.file_attachment?.file_url ?? n.file_attachment?.file_name;
    return [n.content.trim(), file ? `(attachment: ${file})` : ""]
      .filter((t) => t !== "")
      .join(" ");
  };
  const items: ImportItem[] = [];
  for (const project of projects) {
    const path = pathOf(project.id);
    if (!path) continue;
    const key = `project:${project.id}`;
    where.set(key, `${options.name} project ${project.id}`);
    const body = projectNotes
      .filter((n) => n.project_id === project.id && text(n) !== "")
      .map((n) => `${n.posted_at ? `${n.posted_at.slice(0, 10)}: ` : ""}${text(n)}\n`)
      .join("\n");
    items.push(
      withHash({
        kind: "project",
        key,
        title: path.at(-1) as string,
        body,
        path,
        properties: {
          todoist: { id: project.id, ...(project.is_archived ? { archived: true } : {}) },
        },
      }),
    );
  }
  const sectionPath = new Map<string, string[]>();
  for (const section of sections) {
    const path = [...(pathOf(section.project_id) ?? []), projectName(section.name) || "(unnamed)"];
    sectionPath.set(section.id, path);
    items.push(
      withHash({
        kind: "project",
        key: `section:${section.id}`,
        title: path.at(-1) as string,
        path,
        properties: { todoist: { section_id: section.id } },
      }),
    );
  }
  const dayOf = (date: string) =>
    /Z$|[+-]\d\d:?\d\d$/.test(date)
      ? localDate(new Date(date), options.timeZone)
      : date.slice(0, 10);
  for (const task of tasks) {
    const key = `item:${task.id}`;
    const at = `${options.name} item ${task.id}`;
    where.set(key, at);
    const note = (message: string) => notes.push({ key, where: at, message });
    let recurrence: string | null = null;
    if (task.due?.is_recurring) {
      const parsed = task.due.string ? parseDueString(task.due.string, options.today) : undefined;
      recurrence = parsed?.recurrence ?? null;
      if (!recurrence)
        note(
          `the recurring due ${JSON.stringify(task.due.string ?? "")} has no heph rule; imported without recurrence`,
        );
      else if (parsed?.rest)
        note(`due ${JSON.stringify(task.due.string)}: heph kept no meaning for "${parsed.rest}"`);
    }
    const doDate = task.due ? dayOf(task.due.date) : null;
    const lateOn = task.deadline ? dayOf(task.deadline.date) : null;
    const state: Task["state"] = task.is_deleted
      ? "dropped"
      : task.checked
        ? "done"
        : "outstanding";
    const { title, body: overflow } = titleAndBody(task.content, "(no content)");
    const tags = (task.labels ?? []).map((l) => labelNames.get(String(l)) ?? String(l));
    const log = comments
      .filter((c) => c.item_id === task.id && text(c) !== "")
      .map((c) => ({
        at: c.posted_at ?? task.added_at ?? task.date_added ?? "1970-01-01T00:00:00.000Z",
        text: text(c),
      }))
      .sort((a, b) => a.at.localeCompare(b.at));
    const created = task.added_at ?? task.date_added ?? null;
    items.push(
      withHash({
        kind: "task",
        key,
        title,
        body: [overflow, task.description ?? ""].filter((t) => t.trim() !== "").join("\n"),
        tags: labels(tags),
        properties: { todoist: { id: task.id } },
        ...(created ? { created_at: created } : {}),
        state,
        attention: API_PRIORITY[String(task.priority ?? 1)] ?? "white",
        do_date: doDate && /^\d{4}-\d{2}-\d{2}$/.test(doDate) ? doDate : null,
        late_on: lateOn && /^\d{4}-\d{2}-\d{2}$/.test(lateOn) ? lateOn : null,
        recurrence,
        project:
          (task.section_id ? sectionPath.get(task.section_id) : undefined) ??
          pathOf(task.project_id),
        closed_at:
          state === "outstanding" ? null : (task.completed_at ?? task.date_completed ?? null),
        log,
        parent_key: task.parent_id ? `item:${task.parent_id}` : null,
        from_line: null,
      }),
    );
  }
  return { items, problems, notes, where };
}
