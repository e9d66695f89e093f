/**
 * Todoist's project template CSV → ImportItems. Pure: text, file name, today and the file's
 * time in. Columns as Todoist documents them: TYPE (task, section, note), CONTENT, DESCRIPTION,
 * PRIORITY (1 = p1 … 4 = p4), INDENT (1 = top, 2 = sub-task …), AUTHOR, RESPONSIBLE, DATE,
 * DATE_LANG, TIMEZONE, DURATION, DURATION_UNIT, DEADLINE, DEADLINE_LANG. The project is named
 * after the file; sections become sub-projects; a note row is a comment on the task above it.
 */
import { parse } from "csv-parse/sync";
import { parseDate } from "../core/dates.ts";
import type { LocalDate } from "../core/task-types.ts";
import type { ImportItem } from "../protocol/import-schemas.ts";
import { canonicalJson, withHash } from "./hash.ts";
import type { ImporterOutput, RecordNote, RecordProblem } from "./run.ts";
import { labels, projectName, titleAndBody } from "./text.ts";
import { parseDueString } from "./todoist-dates.ts";

type Task = Extract<ImportItem, { kind: "task" }>;

/** UI priorities p1…p4 (the CSV writes them as 1…4) to attention. */
export const UI_PRIORITY: { [p: string]: Task["attention"] } = {
  1: "red",
  2: "orange",
  3: "blue",
  4: "white",
};

export interface CsvOptions {
  /** The file's name: the project's name is it without its extension. */
  fileName: string;
  today: LocalDate;
  /** When the file was written: the CSV has no times, so its comments are dated then. */
  fileTime: string;
}

/** `@label` words in a task's content are its labels (Todoist's own rule for the template). */
function splitLabels(content: string): { text: string; tags: string[] } {
  const tags: string[] = [];
  const text = content.replace(
    /(^|\s)@([\p{L}\p{N}_\-/.]+)/gu,
    (_m, space: string, label: string) => {
      tags.push(label);
      return space;
    },
  );
  return { text: text.replace(/\s+/g, " ").trim(), tags };
}

export function mapTodoistCsv(text: string, options: CsvOptions): ImporterOutput {
  const problems: RecordProblem[] = [];
  const notes: RecordNote[] = [];
  const where = new Map<string, string>();
  let rows: string[][];
  try {
    rows = parse(text, {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      relax_quotes: true,
    });
  } catch (error) {
    return {
      items: [],
      problems: [
        { where: options.fileName, reason: `not a CSV file: ${(error as Error).message}` },
      ],
      notes,
    };
  }
  const header = (rows[0] ?? []).map((h) => h.trim().toUpperCase());
  const column = (name: string) => header.indexOf(name);
  if (column("TYPE") === -1 || column("CONTENT") === -1) {
    problems.push({
      where: options.fileName,
      reason: "not a Todoist template: the first row must name the columns TYPE and CONTENT",
    });
    return { items: [], problems, notes };
  }
  const project =
    projectName(options.fileName.replace(/^.*[\\/]/, "").replace(/\.[^.]*$/, "")) || "Todoist";
  const items: ImportItem[] = [];
  const fileKey = `csv:${project}`;
  items.push(withHash({ kind: "project", key: fileKey, title: project, path: [project] }));
  let section: string | null = null;
  /** The open task at each indent level, for sub-tasks and notes. */
  const stack: Array<{ task: Task; basis: unknown[]; keyPath: string }> = [];
  const seen = new Map<string, number>();
  const pending: Array<{ task: Task; basis: unknown[] }> = [];

  rows.slice(1).forEach((row, index) => {
    const at = `${options.fileName} row ${index + 2}`;
    const cell = (name: string) => (row[column(name)] ?? "").trim();
    const type = cell("TYPE").toLowerCase();
    const content = cell("CONTENT");
    if (type === "" && content === "") return;
    if (type === "section") {
      section = projectName(content) || null;
      stack.length = 0;
      if (section)
        items.push(
          withHash({
            kind: "project",
            key: `${fileKey}/${section}`,
            title: section,
            path: [project, section],
          }),
        );
      return;
    }
    if (type === "note") {
      const owner = stack.at(-1);
      if (!owner) problems.push({ where: at, reason: "a note row with no task above it" });
      else if (content !== "") {
        owner.task.log = [...(owner.task.log ?? []), { at: options.fileTime, text: content }];
        owner.basis.push(content);
      }
      return;
    }
    if (type !== "task") {
      problems.push({
        where: at,
        reason: `TYPE ${JSON.stringify(cell("TYPE"))} is not task, section or note`,
      });
      return;
    }
    const indent = Math.min(Math.max(Number.parseInt(cell("INDENT"), 10) || 1, 1), 5);
    stack.length = Math.min(stack.length, indent - 1);
    const parent = stack.at(-1);
    const { text: plain, tags } = splitLabels(content);
    const { title, body: overflow } = titleAndBody(plain, "(no content)");
    const keyPath = `${parent?.keyPath ?? `${fileKey}/${section ?? ""}`}/${title}`;
    const n = (seen.get(keyPath) ?? 0) + 1;
    seen.set(keyPath, n);
    const key = n === 1 ? keyPath : `${keyPath}#${n}`;
    where.set(key, at);
    const note = (message: string) => notes.push({ key, where: at, message });
    const priority = cell("PRIORITY");
    if (priority !== "" && !(priority in UI_PRIORITY))
      note(`PRIORITY ${priority} is not 1–4; attention stays white`);
    const due = cell("DATE") === "" ? null : parseDueString(cell("DATE"), options.today);
    if (due?.rest)
      note(
        `DATE ${JSON.stringify(cell("DATE"))}: heph kept no meaning for "${due.rest}" (heph dates have no times)`,
      );
    if (due && !due.date && !due.recurrence)
      note(`DATE ${JSON.stringify(cell("DATE"))} is not a date heph understands; left out`);
    const lang = cell("DATE_LANG");
    if (due && lang !== "" && lang.toLowerCase() !== "en")
      note(`DATE_LANG ${lang}: heph reads dates in English only`);
    const deadlineText = cell("DEADLINE");
    const deadline = deadlineText === "" ? null : (parseDate(deadlineText, options.today) ?? null);
    if (deadlineText !== "" && deadline === null)
      note(`DEADLINE ${JSON.stringify(deadlineText)} is not a date heph understands; left out`);
    const extra: { [k: string]: string } = {};
    for (const name of ["AUTHOR", "RESPONSIBLE", "TIMEZONE", "DURATION", "DURATION_UNIT"])
      if (cell(name) !== "") extra[name.toLowerCase()] = cell(name);
    const description = cell("DESCRIPTION");
    const task: Task = {
      kind: "task",
      key,
      hash: "",
      title,
      body: [overflow, description].filter((t) => t !== "").join("\n"),
      tags: labels(tags),
      properties: Object.keys(extra).length > 0 ? { todoist: extra } : {},
      state: "outstanding",
      attention: UI_PRIORITY[priority] ?? "white",
      do_date: due?.date ?? null,
      late_on: deadline,
      recurrence: due?.recurrence ?? null,
      project: section ? [project, section] : [project],
      log: [],
      parent_key: parent?.task.key ?? null,
    };
    // The hash is of the row as written (and its notes), not of dates resolved today: a
    // template with "tomorrow" in it is the same template tomorrow.
    const basis: unknown[] = [row, section, parent?.task.key ?? null];
    stack.push({ task, basis, keyPath });
    pending.push({ task, basis });
    items.push(task);
  });
  for (const { task, basis } of pending) {
    const { hash } = withHash({ kind: "task", key: task.key, title: canonicalJson(basis) });
    task.hash = hash;
  }
  return { items, problems, notes, where };
}
