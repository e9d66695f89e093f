/**
 * One Markdown checklist line in the Obsidian Tasks plugin's emoji format → heph task fields.
 * Pure. Follows the plugin's own reader (Tasks docs, "Tasks Emoji Format"; its
 * DefaultTaskSerializer): fields are read only from the END of the line, stripped one at a time
 * in any order, with tags among them kept for the description. The first text that is not a
 * field ends the run, so an emoji earlier in the line is just part of the description.
 */
import { isLocalDate } from "../../core/dates.ts";
import type { LocalDate } from "../../core/task-types.ts";
import { parseDueString } from "../todoist-dates.ts";

export interface TasksLine {
  /** The line's checkbox status character: " " , "x", "X", "/", "-", or another. */
  status: string;
  /** The description with every recognised emoji field removed, whitespace collapsed; the global filter tag (e.g. "#task") removed when given. Never empty unless the line had only fields. */
  description: string;
  /** [ ], [/] (in progress) and any unknown status → outstanding; [x]/[X] → done; [-] → dropped. */
  state: "outstanding" | "done" | "dropped";
  /** 🔺 highest, ⏫ high → red; 🔼 medium → orange; none, 🔽 low → white; ⏬ lowest → blue. */
  attention: "red" | "orange" | "white" | "blue";
  /** 📅 (also 📆 🗓). */
  due: LocalDate | null;
  /** ⏳ (also ⌛). */
  scheduled: LocalDate | null;
  /** 🛫 */
  start: LocalDate | null;
  /** ➕ */
  created: LocalDate | null;
  /** ✅ */
  done: LocalDate | null;
  /** ❌ */
  cancelled: LocalDate | null;
  /** The recurrence text after 🔁 as written ("every week on Monday when done"), or null. */
  recurrenceText: string | null;
  /** An RRULE body like "FREQ=MONTHLY" made from recurrenceText, or null when absent or not expressible. */
  recurrence: string | null;
  /**
   * True when recurrenceText ends in "when done" (Tasks: count from the completion day). heph has
   * no such switch: it rolls a recurring task to the rule's first occurrence after the day it is
   * finished, so the flag is reported for the caller, not turned into a different rule.
   */
  whenDone: boolean;
  /** 🆔 id, if any; ⛔ depends-on ids; 🏁 on-completion action text; a trailing block id "^abc" (without ^). */
  taskId: string | null;
  dependsOn: string[];
  onCompletion: string | null;
  blockId: string | null;
  /** Human-readable notes about what could not be mapped (bad date "📅 2025-13-40", recurrence heph cannot express, …). */
  problems: string[];
}

type DateField = "due" | "scheduled" | "start" | "created" | "done" | "cancelled";

// Tasks' own line shape: indentation (">" too, for blockquotes and callouts), a list marker, a
// checkbox holding any one character, then the body.
const CHECKLIST = /^[\s>]*(?:[-*+]|\d+\.) +\[(.)\] *(.*)$/u;
// Tasks' block link: only at the very end of the line, after a space.
const BLOCK_ID = / \^([a-zA-Z0-9-]+)$/u;
const VS = "\\uFE0F?"; // the emoji variation selector, which some editors add
const ID = "[a-zA-Z0-9_-]+";

// biome-ignore format: a table
const DATE_FIELDS: [DateField, string, string][] = [
  ["due", "📅📆🗓", "a due date"], ["scheduled", "⏳⌛", "a scheduled date"],
  ["start", "🛫", "a start date"], ["created", "➕", "a created date"],
  ["done", "✅", "a done date"], ["cancelled", "❌", "a cancelled date"],
];
const ATTENTION: Record<string, TasksLine["attention"]> = {
  "🔺": "red",
  "⏫": "red",
  "🔼": "orange",
  "🔽": "white",
  "⏬": "blue",
};
/** Tasks' wordings that heph's grammar spells differently; both mean the same rule. */
const RECURRENCE_REWRITES: [RegExp, string][] = [
  [/^every week on /i, "every "],
  [/^every month on the last$/i, "every last day of the month"],
];
const WHEN_DONE = /\s*\bwhen done$/i;

/** A field that may end the line: its pattern (anchored at the end) and what taking it does. */
interface Reader {
  pattern: RegExp;
  take(match: RegExpExecArray, out: TasksLine, tags: string[]): void;
}

function dateReader([field, emoji, label]: [DateField, string, string]): Reader {
  return {
    pattern: new RegExp(`([${emoji}])${VS} *(\\d{4}-\\d{2}-\\d{2})$`, "u"),
    take(match, out) {
      const value = match[2] ?? "";
      // Tasks reads any \d{4}-\d{2}-\d{2} as the field, so an impossible date is still taken
      // off the description; it just maps to nothing.
      out[field] = isLocalDate(value) ? value : null;
      if (out[field] === null) {
        out.problems.push(`${match[1]} "${value}": not a real date; imported without ${label}`);
      }
    },
  };
}

// Later readers run on what earlier ones left; a loop repeats them until none matches, as Tasks
// does, so when a field is given twice the leftmost one wins, as in Tasks.
const READERS: Reader[] = [
  {
    pattern: new RegExp(`([🔺⏫🔼🔽⏬])${VS}$`, "u"),
    take: (m, out) => {
      out.attention = ATTENTION[m[1] ?? ""] ?? "white";
    },
  },
  ...DATE_FIELDS.map(dateReader),
  {
    // Tasks' character set for the rule: it stops at any emoji, so at the field before it.
    pattern: new RegExp(`🔁${VS} *([a-zA-Z0-9, !]+)$`, "u"),
    take: (m, out) => {
      out.recurrenceText = (m[1] ?? "").trim();
    },
  },
  {
    pattern: new RegExp(`🏁${VS} *([a-zA-Z]+)$`, "u"),
    take: (m, out) => {
      out.onCompletion = m[1] ?? null;
    },
  },
  {
    // Tags mixed in with the fields belong to the description; kept in their order.
    pattern: /(?:^|\s)(#[^\s!@#$%^&*(),.?":{}|<>]+)$/u,
    take: (m, _out, tags) => {
      tags.unshift(m[1] ?? "");
    },
  },
  {
    pattern: new RegExp(`🆔${VS} *(${ID})$`, "u"),
    take: (m, out) => {
      out.taskId = m[1] ?? null;
    },
  },
  {
    pattern: new RegExp(`⛔${VS} *(${ID}(?: *, *${ID} *)*)$`, "u"),
    take: (m, out) => {
      out.dependsOn = (m[1] ?? "").split(",").map((id) => id.trim());
    },
  },
];

/** heph's RRULE for a Tasks rule (without "when done"), or null when heph has no equal. */
function toRrule(text: string, today: LocalDate): string | null {
  const phrase = RECURRENCE_REWRITES.reduce((t, [from, to]) => t.replace(from, to), text);
  const { recurrence, date, rest } = parseDueString(phrase, today);
  // A date taken out of the phrase means a word was read as a day, not as part of the rule
  // ("every month on the 2nd Wednesday" would become the 2nd of the month plus a Wednesday).
  return rest === "" && date === null ? recurrence : null;
}

/** null when the line is not a checklist item (`- [ ] …`, `* [x] …`, `+ [/] …`, `1. [ ] …`, indented allowed). */
export function parseTasksLine(
  line: string,
  options: { today: LocalDate; globalFilter?: string | null },
): TasksLine | null {
  const checklist = CHECKLIST.exec(line.replace(/[\r\n]+$/, ""));
  if (!checklist) return null;
  const status = checklist[1] ?? " ";
  const out: TasksLine = {
    status,
    description: "",
    state: status === "x" || status === "X" ? "done" : status === "-" ? "dropped" : "outstanding",
    attention: "white",
    due: null,
    scheduled: null,
    start: null,
    created: null,
    done: null,
    cancelled: null,
    recurrenceText: null,
    recurrence: null,
    whenDone: false,
    taskId: null,
    dependsOn: [],
    onCompletion: null,
    blockId: null,
    problems: [],
  };

  let body = (checklist[2] ?? "").trim();
  const block = BLOCK_ID.exec(body);
  if (block) {
    out.blockId = block[1] ?? null;
    body = body.slice(0, block.index).trim();
  }
  const tags: string[] = [];
  for (let matched = true; matched; ) {
    matched = false;
    for (const reader of READERS) {
      const match = reader.pattern.exec(body);
      if (!match) continue;
      reader.take(match, out, tags);
      body = body.slice(0, match.index).trim();
      matched = true;
    }
  }

  if (out.recurrenceText !== null) {
    out.whenDone = WHEN_DONE.test(out.recurrenceText);
    out.recurrence = toRrule(out.recurrenceText.replace(WHEN_DONE, ""), options.today);
    if (out.recurrence === null) {
      out.problems.push(
        `🔁 "${out.recurrenceText}": heph cannot express this recurrence; imported without one`,
      );
    }
  }

  // Like Tasks with "remove global filter from description": the filter as a whole word, anywhere.
  const filter = options.globalFilter?.trim() || null;
  out.description = [...body.split(/\s+/), ...tags]
    .filter((word) => word !== "" && word !== filter)
    .join(" ");
  return out;
}
