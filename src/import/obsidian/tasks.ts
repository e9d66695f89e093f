/**
 * Obsidian Tasks checklist lines of one note as heph tasks (`heph import obsidian --tasks`).
 * Mapping (docs/reference/import-mapping.md): 📅 due → late-on; ⏳ scheduled, else 🛫 start →
 * do-date; 🔺⏫ → red, 🔼 → orange, 🔽 and none → white, ⏬ → blue; 🔁 → RRULE; `[x]` with ✅
 * → done then, `[-]` with ❌ → dropped then; ➕ → created. Dates without a time are taken at
 * 12:00 UTC, which is the same calendar day in every zone from UTC−12 to UTC+11.
 */

import { parseInlineTags } from "../../core/inline-tags.ts";
import { codeRanges, isInCode } from "../../core/markdown-code.ts";
import type { LocalDate } from "../../core/task-types.ts";
import type { ImportItem } from "../../protocol/import-schemas.ts";
import { withHash } from "../hash.ts";
import type { RecordNote } from "../run.ts";
import { labels, titleAndBody } from "../text.ts";
import type { ReadNote } from "./read-note.ts";
import { parseTasksLine } from "./tasks-line.ts";

/** A line already linked to a heph task (an earlier import, a heph export) is that task. */
const LINKED = /\[\[[0-9A-HJKMNP-TV-Z]{26}\]\]/i;

/** A calendar date as an instant: 12:00 UTC is that day from UTC−12 to UTC+11. */
export function middayUtc(date: LocalDate): string;
export function middayUtc(date: LocalDate | null): string | null;
export function middayUtc(date: LocalDate | null): string | null {
  return date === null ? null : `${date}T12:00:00.000Z`;
}

export function tasksOfNote(
  note: ReadNote,
  options: { today: LocalDate; globalFilter: string },
): { items: ImportItem[]; notes: RecordNote[] } {
  const items: ImportItem[] = [];
  const notes: RecordNote[] = [];
  const code = codeRanges(note.body);
  const seen = new Map<string, number>();
  let offset = 0;
  for (const raw of note.body.split("\n")) {
    const at = offset;
    offset += raw.length + 1;
    const line = raw.replace(/\r$/, "");
    if (isInCode(code, at) || LINKED.test(line)) continue;
    const filter = options.globalFilter;
    if (filter !== "" && !line.includes(filter)) continue;
    const parsed = parseTasksLine(line, { today: options.today, globalFilter: filter || null });
    if (parsed === null) continue;
    const described = parsed.description.trim();
    const base = parsed.blockId ? `${note.path}#^${parsed.blockId}` : `${note.path}#${described}`;
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    const key = count === 1 ? base : `${base} (${count})`;
    const where = `${note.path}: ${line.trim()}`;
    for (const problem of parsed.problems) notes.push({ key, where, message: problem });
    if (parsed.whenDone)
      notes.push({
        key,
        where,
        message:
          '🔁 "when done" is not kept: heph moves a done recurring task to the rule\'s next occurrence after today, counted from its do-date, not from the day it was done',
      });
    const plugin = {
      ...(parsed.taskId ? { id: parsed.taskId } : {}),
      ...(parsed.dependsOn.length > 0 ? { depends_on: parsed.dependsOn } : {}),
      ...(parsed.onCompletion ? { on_completion: parsed.onCompletion } : {}),
      ...(parsed.recurrenceText && parsed.recurrence === null
        ? { recurrence: parsed.recurrenceText }
        : {}),
    };
    const closed =
      parsed.state === "done" ? parsed.done : parsed.state === "dropped" ? parsed.cancelled : null;
    const created = middayUtc(parsed.created);
    items.push(
      withHash({
        kind: "task" as const,
        key,
        ...titleAndBody(described, "Untitled task"),
        aliases: [],
        tags: labels(parseInlineTags(described)),
        properties: Object.keys(plugin).length > 0 ? { obsidian_tasks: plugin } : {},
        // The line stays in its note; the task's own file goes with the other tasks on export.
        folder: null,
        ...(created ? { created_at: created } : {}),
        state: parsed.state,
        attention: parsed.attention,
        do_date: parsed.scheduled ?? parsed.start,
        late_on: parsed.due,
        recurrence: parsed.recurrence,
        project: null,
        closed_at: middayUtc(closed),
        log: [],
        parent_key: null,
        from_line: { key: note.path, text: line },
      }),
    );
  }
  return { items, notes };
}
