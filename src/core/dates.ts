/**
 * The date phrases people type ("tomorrow", "+3d", "dec 24"), resolved against a `today` that is
 * always an argument. The arithmetic underneath is calendar.ts, re-exported here.
 */
import * as chrono from "chrono-node";
import {
  addDays,
  addMonths,
  DAY_MS,
  formatDate,
  isLocalDate,
  parts,
  utcMillis,
  weekdayOf,
} from "./calendar.ts";
import type { LocalDate } from "./task-types.ts";

export {
  addDays,
  addMonths,
  daysBetween,
  fromUtcMillis,
  isLocalDate,
  localDate,
  toUtcMillis,
  weekdayOf,
} from "./calendar.ts";

// ---- phrases ------------------------------------------------------------------------------

// biome-ignore format: a table
const WEEKDAY_WORDS: Record<string, number> = {
  sunday: 0, sun: 0, monday: 1, mon: 1, tuesday: 2, tues: 2, tue: 2, wednesday: 3, wed: 3,
  thursday: 4, thurs: 4, thur: 4, thu: 4, friday: 5, fri: 5, saturday: 6, sat: 6,
};
/** Abbreviations that are also everyday English words: inside a title they need "next"/"this". */
const AMBIGUOUS_WEEKDAYS = new Set(["sun", "sat", "wed"]);
// biome-ignore format: a table
const COUNT_WORDS: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6,
  seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
};

const WEEKDAY_RE = Object.keys(WEEKDAY_WORDS).join("|");
const COUNT_RE = `\\d+|${Object.keys(COUNT_WORDS).join("|")}`;
/** The forms we parse ourselves; chrono only sees what these do not cover. */
const EXPLICIT = [
  "(?:on\\s+)?(?<iso>\\d{4}-\\d{2}-\\d{2})",
  "(?<word>today|tomorrow|yesterday)",
  `(?:on\\s+)?(?:(?<which>next|this)\\s+)?(?<weekday>${WEEKDAY_RE})`,
  "\\+(?<plusN>\\d+)(?<plusUnit>[dwmy])",
  `in\\s+(?<inN>${COUNT_RE})\\s+(?<inUnit>day|week|month|year)s?`,
].join("|");
// Word edges: not inside a word, a number, a path, a file name or a possessive ("friday's").
const BEFORE_EDGE = "[\\p{L}\\p{N}_/#@.:+\\-]";
const AFTER_EDGE = "[\\p{L}\\p{N}_/@'’\\-]|\\.[\\p{L}\\p{N}]|:\\d";
const BEFORE = `(?<!${BEFORE_EDGE})`;
const AFTER = `(?!${AFTER_EDGE})`;
const BEFORE_RE = new RegExp(`${BEFORE_EDGE}$`, "u");
const AFTER_RE = new RegExp(`^(?:${AFTER_EDGE})`, "u");
const EXPLICIT_WHOLE = new RegExp(`^(?:${EXPLICIT})$`, "iu");
const EXPLICIT_ANY = new RegExp(`${BEFORE}(?:${EXPLICIT})${AFTER}`, "giu");

function addUnit(today: LocalDate, n: number, unit: string): LocalDate {
  switch (unit[0]) {
    case "d":
      return addDays(today, n);
    case "w":
      return addDays(today, 7 * n);
    case "m":
      return addMonths(today, n);
    default:
      return addMonths(today, 12 * n);
  }
}

function explicitDate(groups: Record<string, string | undefined>, today: LocalDate) {
  const { iso, word, which, weekday, plusN, plusUnit, inN, inUnit } = groups;
  if (iso !== undefined) return isLocalDate(iso) ? iso : undefined;
  if (word !== undefined) {
    return addDays(today, { today: 0, tomorrow: 1, yesterday: -1 }[word.toLowerCase()] ?? 0);
  }
  if (weekday !== undefined) {
    const ahead = ((WEEKDAY_WORDS[weekday.toLowerCase()] ?? 0) - weekdayOf(today) + 7) % 7;
    // Bare and "next" mean strictly after today; "this" may mean today.
    return addDays(today, ahead === 0 && which?.toLowerCase() !== "this" ? 7 : ahead);
  }
  if (plusN !== undefined && plusUnit !== undefined) return addUnit(today, Number(plusN), plusUnit);
  if (inN !== undefined && inUnit !== undefined) {
    return addUnit(today, COUNT_WORDS[inN.toLowerCase()] ?? Number(inN), inUnit.toLowerCase());
  }
  return undefined;
}

// chrono with time-only results dropped before its date+time merge, so "dec 24 at 5pm" yields
// "dec 24" and "at 5" yields nothing: tasks carry dates, never times.
const dateChrono = chrono.casual.clone();
dateChrono.refiners.unshift({
  refine: (_ctx, results) => results.filter((r) => !r.start.isOnlyTime()),
});

function chronoResults(text: string, today: LocalDate, forwardDate = true): chrono.ParsedResult[] {
  const [year, month, day] = parts(today);
  // Noon UTC with an explicit zero offset: chrono then reads components independent of the host.
  const reference = { instant: new Date(utcMillis(year, month, day) + DAY_MS / 2), timezone: 0 };
  return dateChrono
    .parse(text, reference, { forwardDate })
    .filter((r) => !r.start.isCertain("hour"));
}

function chronoDate(result: chrono.ParsedResult): LocalDate | undefined {
  const [year, month, day] = [
    result.start.get("year"),
    result.start.get("month"),
    result.start.get("day"),
  ];
  if (year === null || month === null || day === null) return undefined;
  const date = formatDate(year, month, day);
  return isLocalDate(date) ? date : undefined;
}

/** A date phrase that is the whole text (trimmed, case-insensitive), or undefined. */
export function parseDate(text: string, today: LocalDate): LocalDate | undefined {
  const trimmed = text.trim().replace(/\s+/g, " ");
  if (trimmed === "") return undefined;
  const explicit = EXPLICIT_WHOLE.exec(trimmed);
  if (explicit?.groups) return explicitDate(explicit.groups, today);
  if (/^\d{4}-\d{1,2}-\d{1,2}$/.test(trimmed)) return undefined; // a bad ISO date is not chrono's
  const phrase = trimmed.replace(/^on\s+/i, ""); // "on dec 24", as findDate allows
  // "last friday", "2 days ago" point back; forwardDate would push them into the future.
  const results = chronoResults(phrase, today, !/^last\b|\bago$/i.test(phrase));
  const [only] = results;
  if (results.length !== 1 || !only || only.index !== 0 || only.text.length !== phrase.length) {
    return undefined;
  }
  return chronoDate(only);
}

export interface DateMatch {
  index: number;
  length: number;
  date: LocalDate;
}

const MONTH_ONLY = /^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?$/i;
const RELATIVE_OK = /^(?:in|within|next|this|\+)|(?:from now|from today|later|hence)$/i;

/** chrono finds dates in ordinary words; keep only matches a person would mean as a date. */
function plausibleInTitle(result: chrono.ParsedResult, afterKeyword: boolean): boolean {
  const text = result.text.trim();
  const start = result.start;
  if (/^\d+$/.test(text) || MONTH_ONLY.test(text)) return false;
  // A duration alone ("a week off", "for 2 days") is not a date; "in 2 weeks" is.
  if (start.tags().has("result/relativeDate") && !RELATIVE_OK.test(text)) return false;
  if (/^last\b|\bago$/i.test(text)) return false; // "review last week" is content, not a plan
  if (!afterKeyword && /^\d{1,2}\/\d{1,2}$/.test(text)) return false; // "3/4 cup" is a fraction
  if (!afterKeyword && AMBIGUOUS_WEEKDAYS.has(text.toLowerCase())) return false;
  return (
    start.isCertain("day") || start.isCertain("weekday") || start.tags().has("result/relativeDate")
  );
}

function scanDates(text: string, today: LocalDate, afterKeyword: boolean): DateMatch[] {
  const found: DateMatch[] = [];
  for (const match of text.matchAll(EXPLICIT_ANY)) {
    const groups = match.groups ?? {};
    const bareWord = groups.which === undefined ? groups.weekday?.toLowerCase() : undefined;
    if (!afterKeyword && AMBIGUOUS_WEEKDAYS.has(bareWord ?? "")) continue;
    const date = explicitDate(groups, today);
    if (date !== undefined) found.push({ index: match.index, length: match[0].length, date });
  }
  const explicitCount = found.length;
  for (const result of chronoResults(text, today)) {
    let { index } = result;
    const end = index + result.text.length;
    if (BEFORE_RE.test(text.slice(0, index)) || AFTER_RE.test(text.slice(end))) continue;
    if (!plausibleInTitle(result, afterKeyword)) continue;
    const date = chronoDate(result);
    if (date === undefined) continue;
    const on = /(?:^|\s)on\s+$/i.exec(text.slice(0, index)); // "on dec 24" takes its "on"
    if (on) index -= on[0].trimStart().length;
    found.push({ index, length: end - index, date });
  }
  // First in the text; at one position the longer match; then ours over chrono's.
  return found
    .map((m, order) => ({ m, explicit: order < explicitCount }))
    .sort((a, b) => a.m.index - b.m.index || b.m.length - a.m.length || +b.explicit - +a.explicit)
    .map(({ m }) => m);
}

/** The first date phrase inside a longer text (quick add), on word boundaries, or undefined. */
export function findDate(text: string, today: LocalDate): DateMatch | undefined {
  return scanDates(text, today, false)[0];
}

/**
 * The longest date phrase at the very start of `text` (leading spaces allowed): what follows
 * "due"/"by"/"late". The keyword makes "sat" or "12/15" unambiguous, so those are allowed here.
 */
export function dateAtStart(text: string, today: LocalDate): DateMatch | undefined {
  const lead = text.length - text.trimStart().length;
  return scanDates(text, today, true).find((m) => m.index === lead);
}
