/**
 * Quick add (BRIEF §7): one line → title, dates, attention, project, recurrence. Pure.
 *
 * Grammar, applied in this order; each recognised token is removed from the title:
 *   1. `#"Two Words"` or `#[Two Words]` — a project named explicitly (new or existing).
 *   2. `"…"` (or `“…”`) — kept verbatim in the title, quotes removed, never parsed. URLs
 *      (`https://…`, `www.…`) are likewise kept whole, so `page#top` is never a project.
 *   3. `#Project` — `#` at the start of a word, followed by a letter. If the words after `#`
 *      begin an existing project's name (case-insensitive, longest wins) that project is taken,
 *      spelled as the project spells it; otherwise the single word names it. `#123`, `C#` and
 *      `a#b` stay in the title. The last project token wins.
 *   4. `p1` `p2` `p3` `p4` as whole words, any case → red, orange, blue, white. The last wins.
 *   5. Recurrence: `every …`, taking the longest run of words that parseRecurrence accepts
 *      (`every 3 days`, `every mon, wed, fri`, `every month on the 31st`), or a raw
 *      `FREQ=…` / `RRULE:FREQ=…` word.
 *   6. Late-on: `due <date>`, `by <date>` or `late <date>` (`due friday`, `by 2026-12-01`,
 *      `due in 3 days`). After the keyword, `sat` and `12/15` count as dates too.
 *   7. Do-date: the first date phrase left in the line (see findDate in dates.ts): `today`,
 *      `tomorrow`, weekdays, `next fri`, `+3d`, `in 2 weeks`, `2026-12-01`, `dec 24`, `May 5`…
 *      A bare month ("Call May"), a bare number or a time ("at 5") is not a date.
 *   8. A bare preset `daily|weekdays|weekly|monthly|yearly` is a recurrence only when it is the
 *      last word left after 1–7 (so "Write daily report" keeps its "daily").
 *   9. What remains, whitespace collapsed, is the title; empty is a QuickAddError.
 * With a recurrence and no do-date, do_date stays null: the daemon sets the first occurrence.
 */
import { HephError } from "../errors.ts";
import { dateAtStart, findDate } from "./dates.ts";
import { parseRecurrence } from "./recurrence.ts";
import type { Attention, LocalDate } from "./task-types.ts";

export class QuickAddError extends HephError {
  override name = "QuickAddError";
}

export interface QuickAdd {
  title: string;
  do_date: LocalDate | null;
  late_on: LocalDate | null;
  attention: Attention | null;
  project: string | null;
  /** An RRULE body, e.g. `FREQ=MONTHLY`. */
  recurrence: string | null;
}

export interface QuickAddContext {
  today: LocalDate;
  projects: readonly string[];
}

const ATTENTION_OF: Record<string, Attention> = { 1: "red", 2: "orange", 3: "blue", 4: "white" };
const PLACEHOLDER_BASE = 0xe000; // private-use characters stand in for protected text
const NOT_WORD_BEFORE = "(?<![\\p{L}\\p{N}_])";
const NOT_WORD_AFTER = "(?![\\p{L}\\p{N}_])";

/** The line being consumed. Removing a token blanks it, so every index stays valid. */
class Line {
  text: string;
  readonly kept: string[] = [];
  constructor(text: string) {
    this.text = text;
  }
  blank(start: number, end: number, replacement = ""): void {
    const filler = replacement.padEnd(end - start, " ");
    this.text = this.text.slice(0, start) + filler + this.text.slice(end);
  }
  protect(start: number, end: number, verbatim: string): void {
    this.blank(start, end, String.fromCharCode(PLACEHOLDER_BASE + this.kept.length));
    this.kept.push(verbatim);
  }
  title(): string {
    const collapsed = this.text.replace(/\s+/g, " ").trim();
    return collapsed.replace(
      /[\ue000-\uf8ff]/g,
      (c) => this.kept[c.charCodeAt(0) - PLACEHOLDER_BASE] ?? c,
    );
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The existing project whose name the text begins with (whole words), longest first. */
function existingProject(rest: string, projects: readonly string[]): [string, number] | undefined {
  let best: [string, number] | undefined;
  for (const project of projects) {
    const words = project.trim().split(/\s+/).map(escapeRegExp);
    if (words.join("") === "") continue;
    const match = new RegExp(`^${words.join("\\s+")}(?![\\p{L}\\p{N}_-])`, "iu").exec(rest);
    if (match && (!best || match[0].length > best[1])) best = [project, match[0].length];
  }
  return best;
}

function canonicalProject(name: string, projects: readonly string[]): string {
  const wanted = name.trim().replace(/\s+/g, " ").toLowerCase();
  return (
    projects.find((p) => p.trim().replace(/\s+/g, " ").toLowerCase() === wanted) ?? name.trim()
  );
}

function takeProjects(line: Line, projects: readonly string[]): string | null {
  const chosen = { index: -1, name: null as string | null };
  const choose = (index: number, name: string) => {
    if (index > chosen.index) Object.assign(chosen, { index, name });
  };
  for (const m of line.text.matchAll(/(?<!\S)#(?:"([^"]+)"|\[([^\]]+)\])/g)) {
    choose(m.index, canonicalProject(m[1] ?? m[2] ?? "", projects));
    line.blank(m.index, m.index + m[0].length);
  }
  const quoted = /"([^"]*)"|“([^”]*)”|\b[a-z][a-z\d+.-]*:\/\/\S+|\bwww\.\S+/giu;
  for (const m of line.text.matchAll(quoted)) {
    line.protect(m.index, m.index + m[0].length, m[1] ?? m[2] ?? m[0]);
  }
  for (const m of line.text.matchAll(/(?<!\S)#(?=\p{L})/gu)) {
    if (line.text[m.index] !== "#") continue; // already taken by a longer project name
    const rest = line.text.slice(m.index + 1);
    const existing = existingProject(rest, projects);
    const word = /^\p{L}[\p{L}\p{N}_-]*/u.exec(rest)?.[0] ?? "";
    const [name, length] = existing ?? [word, word.length];
    choose(m.index, name);
    line.blank(m.index, m.index + 1 + length);
  }
  return chosen.name;
}

function takeAttention(line: Line): Attention | null {
  let attention: Attention | null = null;
  for (const m of line.text.matchAll(/(?<!\S)p([1-4])(?=$|[\s,.;:!?)])/giu)) {
    attention = ATTENTION_OF[m[1] ?? ""] ?? null;
    line.blank(m.index, m.index + m[0].length);
  }
  return attention;
}

function tryRecurrence(text: string): string | undefined {
  try {
    return parseRecurrence(text);
  } catch {
    return undefined;
  }
}

function takeRecurrence(line: Line): string | null {
  for (const m of line.text.matchAll(/(?<!\S)(?:rrule:)?freq=\S+/giu)) {
    const rule = tryRecurrence(m[0]);
    if (rule === undefined) continue;
    line.blank(m.index, m.index + m[0].length);
    return rule;
  }
  for (const m of line.text.matchAll(
    new RegExp(`${NOT_WORD_BEFORE}every${NOT_WORD_AFTER}`, "giu"),
  )) {
    const words: { text: string; end: number }[] = [];
    const next = /\s+(\S+)/y;
    next.lastIndex = m.index + m[0].length;
    for (let w = next.exec(line.text); w && words.length < 8; w = next.exec(line.text)) {
      words.push({ text: w[1] ?? "", end: next.lastIndex });
    }
    for (let k = words.length; k >= 1; k--) {
      const phrase = `every ${words
        .slice(0, k)
        .map((w) => w.text)
        .join(" ")}`;
      const rule = tryRecurrence(phrase);
      if (rule === undefined) continue;
      line.blank(m.index, words[k - 1]?.end ?? m.index);
      return rule;
    }
  }
  return null;
}

function takeLateOn(line: Line, today: LocalDate): LocalDate | null {
  const keyword = new RegExp(`${NOT_WORD_BEFORE}(?:due|by|late)(?=\\s)`, "giu");
  for (const m of line.text.matchAll(keyword)) {
    const from = m.index + m[0].length;
    const found = dateAtStart(line.text.slice(from), today);
    if (!found) continue;
    line.blank(m.index, from + found.index + found.length);
    return found.date;
  }
  return null;
}

function takeDoDate(line: Line, today: LocalDate): LocalDate | null {
  const found = findDate(line.text, today);
  if (!found) return null;
  line.blank(found.index, found.index + found.length);
  return found.date;
}

function takePreset(line: Line): string | null {
  const m = /(?<!\S)(daily|weekdays|weekly|monthly|yearly)\s*$/iu.exec(line.text);
  if (!m?.[1]) return null;
  line.blank(m.index, m.index + m[0].length);
  return parseRecurrence(m[1]);
}

/** Parses one quick-add line. Throws QuickAddError when no title is left. */
export function parseQuickAdd(line: string, context: QuickAddContext): QuickAdd {
  const work = new Line(line);
  const project = takeProjects(work, context.projects);
  const attention = takeAttention(work);
  const everyRule = takeRecurrence(work);
  const late_on = takeLateOn(work, context.today);
  const do_date = takeDoDate(work, context.today);
  const recurrence = everyRule ?? takePreset(work);
  const title = work.title();
  if (title === "") {
    throw new QuickAddError(
      `Quick add needs a title: nothing is left of "${line.trim()}" once its dates, priority, project and recurrence are taken out. Words in double quotes are kept literally.`,
    );
  }
  return { title, do_date, late_on, attention, project, recurrence };
}
