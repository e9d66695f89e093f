/** How tasks look in a terminal: short ids, date chips, attention colour, ↻ and late marks. */
import { daysBetween } from "../core/calendar.ts";
import type { LogEntry, RankedTask, Task } from "../protocol/task-schemas.ts";
import { paint } from "./output.ts";

/** today / tomorrow / yesterday / MM-DD this year / YYYY-MM-DD. */
export function dateChip(date: string | null, today: string): string {
  if (!date) return "";
  const offset = daysBetween(today, date);
  if (offset === 0) return "today";
  if (offset === 1) return "tomorrow";
  if (offset === -1) return "yesterday";
  return date.slice(0, 4) === today.slice(0, 4) ? date.slice(5) : date;
}

/**
 * The shortest prefix length that tells every shown id apart, and at least 10: a ULID's first
 * 10 characters are its millisecond, so shorter prefixes often match other tasks in the store.
 */
export function shortIdLength(ids: readonly string[]): number {
  for (let length = 10; length < 26; length++) {
    if (new Set(ids.map((id) => id.slice(0, length))).size === ids.length) return length;
  }
  return 26;
}

const ATTENTION_COLOUR = { red: 31, orange: 33, blue: 34, white: 0 } as const;

function attentionMark(task: Task): string {
  if (task.attention === "white") return " ";
  return paint(ATTENTION_COLOUR[task.attention], "●");
}

function lateBy(task: Task, today: string): number {
  return task.late_on && task.late_on < today ? daysBetween(task.late_on, today) : 0;
}

/** One line per task: id, attention, title (↻ when recurring), project, do and late chips. */
export function taskTable(
  tasks: readonly (Task | RankedTask)[],
  today: string,
  options: { explain?: boolean } = {},
): string {
  const idLength = shortIdLength(tasks.map((task) => task.id));
  const titleWidth = Math.min(
    60,
    Math.max(5, ...tasks.map((task) => task.title.length + (task.recurrence ? 2 : 0))),
  );
  return tasks
    .map((task) => {
      const late = task.state === "outstanding" ? lateBy(task, today) : 0;
      const title = `${task.title}${task.recurrence ? " ↻" : ""}`;
      const cells = [
        task.id.slice(0, idLength),
        attentionMark(task),
        (title.length > titleWidth ? `${title.slice(0, titleWidth - 1)}…` : title).padEnd(
          titleWidth,
        ),
        task.project ? paint(36, `#${task.project}`) : "",
        task.do_date ? `do ${dateChip(task.do_date, today)}` : "",
        late > 0
          ? paint(31, `late ${late}d`)
          : task.late_on
            ? `late on ${dateChip(task.late_on, today)}`
            : "",
        task.state !== "outstanding" ? `[${task.state}]` : "",
      ];
      const line = cells
        .filter((cell, index) => index < 3 || cell !== "")
        .join("  ")
        .trimEnd();
      const explain =
        "explain" in task && task.explain && options.explain
          ? `\n      ${paint(2, task.explain.summary)}`
          : "";
      return `${line}${explain}`;
    })
    .join("\n");
}

export function taskDetails(task: Task, today: string): string {
  const rows: Array<[string, string]> = [
    ["id", task.id],
    ["state", task.state],
    ["attention", task.attention],
    ["do", task.do_date ? `${task.do_date} (${dateChip(task.do_date, today)})` : "—"],
    ["late on", task.late_on ? `${task.late_on} (${dateChip(task.late_on, today)})` : "—"],
    ["repeats", task.recurrence_text ? `${task.recurrence_text} (${task.recurrence})` : "—"],
    ["project", task.project ?? "—"],
    ["created", task.created_at],
  ];
  if (task.tags.length > 0) rows.push(["tags", task.tags.join(", ")]);
  const width = Math.max(...rows.map(([label]) => label.length));
  return [
    paint(1, task.title),
    ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`),
  ].join("\n");
}

export function logLines(entries: readonly LogEntry[]): string {
  return entries
    .map((entry) =>
      `  ${entry.at.slice(0, 16).replace("T", " ")}  ${entry.kind.padEnd(8)} ${entry.text}`.trimEnd(),
    )
    .join("\n");
}
