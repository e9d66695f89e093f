/**
 * Obsidian's core "Daily notes" plugin: its settings (`.obsidian/daily-notes.json`) and which
 * vault paths are daily notes under them. The file name format is a moment.js format string; we
 * implement the date tokens of moment's English locale (no moment dependency). Pure.
 */
import { z } from "zod";
import { addDays, daysBetween, formatDate, isLocalDate, weekdayOf } from "../../core/calendar.ts";
import type { LocalDate } from "../../core/task-types.ts";

export interface DailyNotesSettings {
  folder: string;
  format: string;
}

export const DEFAULT_DAILY_NOTES: DailyNotesSettings = { folder: "", format: "YYYY-MM-DD" };

const FILE = "daily-notes.json";
// null counts as absent: a stray `"folder": null` should not make a whole vault unimportable.
const optionalString = z.string({ error: "must be a string" }).nullish();
const SettingsFile = z.object({ folder: optionalString, format: optionalString });

/** Like Obsidian's normalizePath: trimmed, single slashes, none at either end. */
function normaliseFolder(folder: string): string {
  return folder
    .trim()
    .replace(/\/+/g, "/")
    .replace(/^\/|\/$/g, "");
}

/** Settings from daily-notes.json's text; throws an Error naming the problem if malformed. */
export function readDailyNotesSettings(text: string): DailyNotesSettings {
  let json: unknown = {};
  if (text.trim() !== "") {
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new Error(`${FILE}: not valid JSON (${(error as Error).message})`);
    }
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new Error(`${FILE}: must be a JSON object`);
  }
  const parsed = SettingsFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${FILE}: ${issue?.path.join(".")} ${issue?.message}`);
  }
  const format = parsed.data.format ?? "";
  return {
    folder: normaliseFolder(parsed.data.folder ?? ""),
    format: format.trim() === "" ? DEFAULT_DAILY_NOTES.format : format,
  };
}

// ---- moment tokens ------------------------------------------------------------------------

/** Everything a token may print, computed once per date. */
interface Fields {
  year: number;
  month: number;
  day: number;
  weekday: number; // 0 = Sunday
  dayOfYear: number;
  isoWeek: [number, number]; // [week-year, week]
  localeWeek: [number, number];
}
/** What parsing collects; a date needs year plus month and day, or year plus day of year. */
type Parsed = Partial<Record<"year" | "month" | "day" | "dayOfYear", number>>;
interface Token {
  re: string;
  print: (f: Fields) => string | number;
  read?: (text: string, into: Parsed) => void;
}

// biome-ignore format: a table
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
  "September", "October", "November", "December"];
const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const pad = (n: number, width: number) => String(n).padStart(width, "0");
const names = (list: string[]) => `(?:${list.join("|")})`;
const indexOf = (list: string[], text: string) =>
  list.findIndex((name) => name.toLowerCase() === text.toLowerCase());
const set =
  (key: keyof Parsed, offset = 0) =>
  (text: string, into: Parsed) => {
    into[key] = offset + Number(text);
  };
const nameToken = (list: string[]): Token => ({
  re: names(list),
  print: (f) => list[f.month - 1] ?? "",
  read: (text, into) => {
    into.month = indexOf(list, text) + 1;
  },
});
const dayName = (list: string[]): Token => ({
  re: names(list),
  print: (f) => list[f.weekday] ?? "",
});

// Weekday, quarter and week tokens are only printed: the re-format check makes them agree.
const TOKENS: Record<string, Token> = {
  YYYY: { re: "\\d{4}", print: (f) => pad(f.year, 4), read: set("year") },
  YY: { re: "\\d{2}", print: (f) => pad(f.year % 100, 2), read: set("year", 2000) },
  Q: { re: "[1-4]", print: (f) => Math.ceil(f.month / 3) },
  M: { re: "\\d{1,2}", print: (f) => f.month, read: set("month") },
  MM: { re: "\\d{2}", print: (f) => pad(f.month, 2), read: set("month") },
  MMM: nameToken(MONTHS.map((m) => m.slice(0, 3))),
  MMMM: nameToken(MONTHS),
  D: { re: "\\d{1,2}", print: (f) => f.day, read: set("day") },
  DD: { re: "\\d{2}", print: (f) => pad(f.day, 2), read: set("day") },
  DDD: { re: "\\d{1,3}", print: (f) => f.dayOfYear, read: set("dayOfYear") },
  DDDD: { re: "\\d{3}", print: (f) => pad(f.dayOfYear, 3), read: set("dayOfYear") },
  d: { re: "[0-6]", print: (f) => f.weekday },
  e: { re: "[0-6]", print: (f) => f.weekday },
  E: { re: "[1-7]", print: (f) => f.weekday || 7 },
  dd: dayName(DAYS.map((d) => d.slice(0, 2))),
  ddd: dayName(DAYS.map((d) => d.slice(0, 3))),
  dddd: dayName(DAYS),
  w: { re: "\\d{1,2}", print: (f) => f.localeWeek[1] },
  ww: { re: "\\d{2}", print: (f) => pad(f.localeWeek[1], 2) },
  W: { re: "\\d{1,2}", print: (f) => f.isoWeek[1] },
  WW: { re: "\\d{2}", print: (f) => pad(f.isoWeek[1], 2) },
  gg: { re: "\\d{2}", print: (f) => pad(f.localeWeek[0] % 100, 2) },
  gggg: { re: "\\d{4}", print: (f) => pad(f.localeWeek[0], 4) },
  GG: { re: "\\d{2}", print: (f) => pad(f.isoWeek[0] % 100, 2) },
  GGGG: { re: "\\d{4}", print: (f) => pad(f.isoWeek[0], 4) },
};

/** English ordinals, as moment's "en" locale: 1st 2nd 3rd 4th … 11th 12th 13th … 21st. */
function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th");
  return `${n}${suffix}`;
}
for (const base of ["M", "D", "DDD", "d", "w", "W", "Q"]) {
  const token = TOKENS[base];
  if (!token) continue;
  const { read } = token;
  TOKENS[`${base}o`] = {
    re: "\\d{1,3}(?:st|nd|rd|th)",
    print: (f) => ordinal(Number(token.print(f))),
    read: read && ((text, into) => read(String(Number.parseInt(text, 10)), into)),
  };
}

/** Moment's tokenizer order: longest token first; `[…]` and `\x` are literal text. */
const TOKENIZER = new RegExp(
  [
    "\\[([^\\]]*)\\]",
    "\\\\([\\s\\S])",
    "(YYYYYY|YYYYY|ggggg|GGGGG)", // real moment tokens (expanded years) we do not support
    `(${Object.keys(TOKENS)
      .sort((a, b) => b.length - a.length)
      .join("|")})`,
    "([HhkmsSaAxXZzNyY]+)", // times, eras, zones: not a day, so unsupported
    "([\\s\\S])",
  ].join("|"),
  "g",
);

/** [week-year, week]: weeks start on `startDow`; the day `refOffset` later decides the year. */
function weekOf(date: LocalDate, startDow: number, refOffset: number): [number, number] {
  const start = addDays(date, -((weekdayOf(date) - startDow + 7) % 7));
  const ref = addDays(start, refOffset);
  const year = Number(ref.slice(0, 4));
  return [year, Math.floor(daysBetween(`${pad(year, 4)}-01-01`, ref) / 7) + 1];
}

function fieldsOf(date: LocalDate): Fields {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  return {
    year,
    month,
    day,
    weekday: weekdayOf(date),
    dayOfYear: daysBetween(`${pad(year, 4)}-01-01`, date) + 1,
    isoWeek: weekOf(date, 1, 3), // ISO: Monday weeks, the Thursday decides
    localeWeek: weekOf(date, 0, 6), // moment "en": Sunday weeks, week 1 holds Jan 1
  };
}

export interface CompiledDailyNoteFormat {
  /** The date a file name (no folder, no `.md`) names under this format, else null. */
  match: (name: string) => LocalDate | null;
  /** The file name (no `.md`) of a date; throws RangeError if the format has unsupported tokens. */
  format: (date: LocalDate) => string;
}

type Part = { literal: string } | { token: Token };

export function compileDailyNoteFormat(format: string): CompiledDailyNoteFormat {
  const parts: Part[] = [];
  const unsupported: string[] = [];
  for (const m of format.matchAll(TOKENIZER)) {
    const [, bracket, escaped, big, token, time, other] = m;
    const known = token === undefined ? undefined : TOKENS[token];
    if (known) parts.push({ token: known });
    else if (big !== undefined || time !== undefined) unsupported.push(big ?? time ?? "");
    else parts.push({ literal: bracket ?? escaped ?? other ?? "" });
  }
  const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  const source = parts
    .map((p) => ("token" in p ? `(${p.token.re})` : escapeRe(p.literal)))
    .join("");
  const regex = new RegExp(`^${source}$`, "i");
  const print = (date: LocalDate) => {
    if (unsupported.length > 0) {
      throw new RangeError(`daily note format "${format}": unsupported ${unsupported.join(", ")}`);
    }
    const fields = fieldsOf(date);
    return parts.map((p) => ("token" in p ? String(p.token.print(fields)) : p.literal)).join("");
  };
  const match = (name: string): LocalDate | null => {
    const m = unsupported.length > 0 ? null : regex.exec(name);
    if (!m) return null;
    const got: Parsed = {};
    let group = 0;
    for (const part of parts) {
      // Every token has a group, printed-only ones too; count it before the optional call.
      if ("token" in part) {
        group++;
        part.token.read?.(m[group] ?? "", got);
      }
    }
    const { year, month, day, dayOfYear } = got;
    let date: LocalDate | null = null;
    if (year === undefined) return null; // "MM-DD" or week-only formats name no single day
    if (month !== undefined && day !== undefined) date = formatDate(year, month, day);
    else if (dayOfYear !== undefined && dayOfYear >= 1 && dayOfYear <= 366) {
      date = addDays(formatDate(year, 1, 1), dayOfYear - 1);
    }
    if (date === null || !isLocalDate(date)) return null;
    // Printing back catches padding ("7" for DD), weekdays, weeks and quarters that disagree.
    return print(date).toLowerCase() === name.toLowerCase() ? date : null;
  };
  return { match, format: print };
}

const compiled = new Map<string, CompiledDailyNoteFormat>();
function compile(format: string): CompiledDailyNoteFormat {
  let c = compiled.get(format);
  if (!c) {
    c = compileDailyNoteFormat(format);
    compiled.set(format, c);
  }
  return c;
}

/** The date a vault-relative path ("Daily/2025-06-17.md") names as a daily note, else null. */
export function dailyNoteDate(path: string, settings: DailyNotesSettings): LocalDate | null {
  if (!path.endsWith(".md")) return null;
  const folder = normaliseFolder(settings.folder);
  const prefix = folder === "" ? "" : `${folder}/`;
  if (!path.startsWith(prefix)) return null;
  return compile(settings.format).match(path.slice(prefix.length, -".md".length));
}

/** Where the daily note of `date` lives (vault-relative, with .md): dailyNoteDate's inverse. */
export function dailyNotePath(date: LocalDate, settings: DailyNotesSettings): string {
  const folder = normaliseFolder(settings.folder);
  const name = `${compile(settings.format).format(date)}.md`;
  return folder === "" ? name : `${folder}/${name}`;
}

/** The fallback without settings: a file named exactly `YYYY-MM-DD.md`, in any folder. */
export function isoDateFileName(path: string): LocalDate | null {
  const base = path.slice(path.lastIndexOf("/") + 1);
  const m = /^(\d{4}-\d{2}-\d{2})\.md$/.exec(base);
  return m?.[1] !== undefined && isLocalDate(m[1]) ? m[1] : null;
}
