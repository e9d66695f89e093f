/**
 * Recurrence as RFC 5545 RRULE bodies (`FREQ=…`, no `RRULE:` prefix, no DTSTART). Friendly
 * phrases compile to RRULEs; all date arithmetic is rrule's, run on "floating" dates: 00:00 UTC
 * Dates in, getUTC* out, so no zone or DST can move an occurrence.
 */
import { type Options, RRule } from "rrule";
import { HephError } from "../errors.ts";
import { fromUtcMillis, isLocalDate, toUtcMillis } from "./dates.ts";
import type { LocalDate } from "./task-types.ts";

/** A table with no prototype: "constructor" or "__proto__" typed by a user finds nothing. */
function lookup<T>(entries: Record<string, T>): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, entries);
}

export class RecurrenceError extends HephError {
  override name = "RecurrenceError";
}

const ACCEPTED =
  "daily, weekdays, weekly, monthly, yearly; every day, every 3 days, every week, every 2 weeks, " +
  "every month, every 2 months, every year; every weekday; every monday, every mon, wed, fri; " +
  "every month on the 15th; every last day of the month; or an RRULE such as FREQ=WEEKLY;BYDAY=MO";

function reject(text: string, why?: string): never {
  const reason = why ? ` (${why})` : "";
  throw new RecurrenceError(`Not a recurrence: "${text}"${reason}. Accepted: ${ACCEPTED}.`);
}

const PRESETS: Record<string, string> = lookup({
  daily: "FREQ=DAILY",
  weekdays: "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
  weekly: "FREQ=WEEKLY",
  monthly: "FREQ=MONTHLY",
  yearly: "FREQ=YEARLY",
});

// biome-ignore format: a lookup table
const DAY_CODES: Record<string, string> = lookup({
  sunday: "SU", sun: "SU", monday: "MO", mon: "MO", tuesday: "TU", tues: "TU", tue: "TU",
  wednesday: "WE", wed: "WE", thursday: "TH", thurs: "TH", thur: "TH", thu: "TH",
  friday: "FR", fri: "FR", saturday: "SA", sat: "SA",
});
const WEEK_ORDER = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
// biome-ignore format: a lookup table
const DAY_NAMES: Record<string, string> = lookup({
  MO: "Monday", TU: "Tuesday", WE: "Wednesday", TH: "Thursday", FR: "Friday", SA: "Saturday", SU: "Sunday",
});
const FREQS: Record<string, string> = lookup({
  day: "DAILY",
  week: "WEEKLY",
  month: "MONTHLY",
  year: "YEARLY",
});

function rule(freq: string, interval: number, rest = ""): string {
  return `FREQ=${freq}${interval > 1 ? `;INTERVAL=${interval}` : ""}${rest}`;
}

/** Day N of each month; 29–31 fall back to the month's last day where the month is shorter. */
function monthDayRule(day: number, interval: number): string {
  if (day <= 28) return rule("MONTHLY", interval, `;BYMONTHDAY=${day}`);
  const days = [28, 29, 30, 31].filter((d) => d <= day).join(",");
  return rule("MONTHLY", interval, `;BYMONTHDAY=${days};BYSETPOS=-1`);
}

function parseCount(word: string | undefined, text: string): number {
  if (word === undefined) return 1;
  if (word === "other") return 2;
  const n = Number(word);
  if (!Number.isSafeInteger(n) || n < 1) reject(text, "the interval must be a whole number ≥ 1");
  return n;
}

function parseEvery(phrase: string, text: string): string | undefined {
  let m = /^(?:(\d+|other) )?(day|week|month|year)s?$/.exec(phrase);
  if (m?.[2]) return rule(FREQS[m[2]] ?? "DAILY", parseCount(m[1], text));
  if (phrase === "weekday" || phrase === "weekdays") return PRESETS.weekdays;
  if (phrase === "weekend" || phrase === "weekends") return "FREQ=WEEKLY;BYDAY=SA,SU";
  if (/^(?:last day of (?:the |each |every )?month|month on the last day)$/.test(phrase)) {
    return "FREQ=MONTHLY;BYMONTHDAY=-1";
  }
  m = /^(?:(\d+|other) )?months? on (?:the |day )?(\d{1,2})(?:st|nd|rd|th)?$/.exec(phrase);
  if (m?.[2]) {
    const day = Number(m[2]);
    if (day < 1 || day > 31) reject(text, "a month has days 1 to 31");
    return monthDayRule(day, parseCount(m[1], text));
  }
  m = /^(?:(other|\d+ weeks? on) )?([a-z, &]+)$/.exec(phrase);
  if (m?.[2]) {
    const words = m[2].split(/\s*(?:,\s*and\b|,|\band\b|&)\s*/).filter((w) => w !== "");
    const codes = words.map((w) => DAY_CODES[w]);
    if (codes.length === 0 || codes.some((c) => c === undefined)) return undefined;
    const byday = WEEK_ORDER.filter((c) => codes.includes(c)).join(",");
    return rule("WEEKLY", parseCount(m[1]?.split(" ")[0], text), `;BYDAY=${byday}`);
  }
  return undefined;
}

const NUM = "[+-]?\\d{1,3}";
const DAY = "(?:[+-]?(?:[1-9]|[1-4]\\d|5[0-3]))?(?:MO|TU|WE|TH|FR|SA|SU)"; // ordinal ±1..53
const list = (item: string) => new RegExp(`^${item}(?:,${item})*$`);
/** What each RRULE part may hold. rrule itself does not validate values (INTERVAL=abc hangs it). */
const PART_SYNTAX: Record<string, RegExp> = lookup({
  FREQ: /^(?:YEARLY|MONTHLY|WEEKLY|DAILY)$/,
  INTERVAL: /^[1-9]\d{0,3}$/,
  COUNT: /^[1-9]\d{0,5}$/,
  UNTIL: /^\d{8}(?:T\d{6}Z?)?$/,
  WKST: /^(?:MO|TU|WE|TH|FR|SA|SU)$/,
  BYDAY: list(DAY),
  BYMONTHDAY: list(NUM),
  BYMONTH: list("\\d{1,2}"),
  BYSETPOS: list(NUM),
  BYYEARDAY: list(NUM),
  BYWEEKNO: list(NUM),
});

const RANGES: [string, number][] = [
  ["BYMONTHDAY", 31],
  ["BYMONTH", 12],
  ["BYSETPOS", 366],
  ["BYYEARDAY", 366],
  ["BYWEEKNO", 53],
];

function checkRaw(body: string, text: string): void {
  const seen = new Set<string>();
  for (const part of body.split(";")) {
    const [key = "", value = "", extra] = part.split("=");
    const syntax = PART_SYNTAX[key];
    if (!syntax) reject(text, `unsupported RRULE part "${key}"; dates only, no DTSTART or times`);
    if (key === "FREQ" && !syntax.test(value)) {
      reject(text, "FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY");
    }
    if (extra !== undefined || seen.has(key) || !syntax.test(value)) reject(text, `bad ${key}`);
    seen.add(key);
  }
  if (!seen.has("FREQ")) reject(text, "an RRULE needs FREQ (DAILY, WEEKLY, MONTHLY or YEARLY)");
  if (seen.has("COUNT") && seen.has("UNTIL")) reject(text, "COUNT and UNTIL cannot be combined");
  const until = /UNTIL=(\d{4})(\d{2})(\d{2})/.exec(body);
  if (until && !isLocalDate(`${until[1]}-${until[2]}-${until[3]}`)) reject(text, "bad UNTIL date");
  for (const [key, max] of RANGES) {
    const values =
      new RegExp(`(?:^|;)${key}=([^;]*)`).exec(body)?.[1]?.split(",").map(Number) ?? [];
    const lowest = key === "BYMONTH" ? 1 : -max;
    if (values.some((v) => v === 0 || v < lowest || v > max)) reject(text, `${key} out of range`);
  }
}

/** A recurrence phrase or RRULE → a normalised RRULE body. Throws RecurrenceError. */
export function parseRecurrence(text: string): string {
  const phrase = text.trim().replace(/\s+/g, " ").toLowerCase();
  if (phrase === "") reject(text, "empty");
  if (/^(?:rrule:)?[a-z]+=/.test(phrase)) {
    const body = phrase
      .replace(/^rrule:/, "")
      .replace(/;+$/, "")
      .replace(/ /g, "")
      .toUpperCase();
    checkRaw(body, text);
    return body;
  }
  const preset = PRESETS[phrase];
  if (preset) return preset;
  const monthly = /^monthly on (.+)$/.exec(phrase);
  const every = monthly ? `month on ${monthly[1]}` : /^every (.+)$/.exec(phrase)?.[1];
  const parsed = every === undefined ? undefined : parseEvery(every, text);
  return parsed ?? reject(text);
}

/**
 * The first occurrence strictly after `after`, with DTSTART = `anchor`; null once COUNT/UNTIL
 * has ended the rule. Occurrences on or before `after` are skipped, never piled up. COUNT counts
 * from the anchor. Per RFC 5545 invalid dates are skipped: yearly from 02-29 next lands on 02-29.
 */
/**
 * rrule checks its end only on dates it emits: a rule that never matches (DAILY in February on
 * the 30th) walks day by day to the year 9999, seconds of work. Filters that can empty a rule are
 * month, month-day and year-day; the same filters on a YEARLY rule give a superset of its dates,
 * found (or not) a year at a time, so an empty YEARLY probe proves the rule empty, cheaply.
 */
function canOccur(options: Partial<Options>, dtstart: Date): boolean {
  const filtered =
    options.bymonth != null || options.bymonthday != null || options.byyearday != null;
  if (!filtered || options.freq === RRule.YEARLY) return true;
  // Weekdays without their "nth" (1MO, -1FR): "the first Monday" means another thing yearly.
  const weekdays =
    options.byweekday == null
      ? null
      : [options.byweekday]
          .flat()
          .map((day) =>
            typeof day === "number" ? day : typeof day === "string" ? day : day.weekday,
          );
  const probe = new RRule({
    ...options,
    freq: RRule.YEARLY,
    interval: 1,
    bysetpos: null,
    count: null,
    byweekday: weekdays,
    dtstart,
  });
  return probe.after(dtstart, true) !== null;
}

/** How far ahead nextOccurrence looks; a rule with nothing in it counts as ended. */
export const HORIZON_YEARS = 10;
const HORIZON_MS = HORIZON_YEARS * 366 * 86_400_000;

export function nextOccurrence(
  rrule: string,
  anchor: LocalDate,
  after: LocalDate,
): LocalDate | null {
  const start = toUtcMillis(after) + 86_400_000; // 00:00 UTC of the day after `after`
  const options = RRule.parseString(parseRecurrence(rrule));
  const dtstart = new Date(toUtcMillis(anchor));
  if (!canOccur(options, dtstart)) return null;
  const rule = new RRule({ ...options, dtstart });
  // A bounded window: a rule with no occurrence at all (30 February) would otherwise make rrule
  // walk the calendar to the year 9999. Ten years hold at least one 29 February.
  const [next] = rule.between(
    new Date(start),
    new Date(start + HORIZON_MS),
    true,
    (_date, index) => index < 1,
  );
  return next ? fromUtcMillis(next.getTime()) : null;
}

function ordinal(n: number): string {
  const suffix =
    n % 10 === 1 && n !== 11
      ? "st"
      : n % 10 === 2 && n !== 12
        ? "nd"
        : n % 10 === 3 && n !== 13
          ? "rd"
          : "th";
  return `${n}${suffix}`;
}

function joinWords(words: string[]): string {
  return words.length <= 1
    ? words.join("")
    : `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
}

/** A short human description; rrule's toText() for anything beyond the phrases we generate. Throws RecurrenceError. */
export function describeRecurrence(rrule: string): string {
  const body = parseRecurrence(rrule);
  const parts = new Map(body.split(";").map((p) => p.split("=") as [string, string]));
  const n = Number(parts.get("INTERVAL") ?? "1");
  const unit = { DAILY: "day", WEEKLY: "week", MONTHLY: "month", YEARLY: "year" }[
    parts.get("FREQ") ?? ""
  ];
  const every = n > 1 ? `every ${n} ${unit}s` : `every ${unit}`;
  const keys = [...parts.keys()].filter((k) => k !== "FREQ" && k !== "INTERVAL").join(";");
  const byday = parts.get("BYDAY") ?? "";
  const monthday = parts.get("BYMONTHDAY") ?? "";
  if (keys === "") return every;
  if (unit === "week" && keys === "BYDAY" && /^(?:MO|TU|WE|TH|FR|SA|SU)(?:,|$)/.test(byday)) {
    if (n === 1 && byday === "MO,TU,WE,TH,FR") return "every weekday";
    const names = joinWords(byday.split(",").map((c) => DAY_NAMES[c] ?? c));
    if (byday.split(",").every((c) => DAY_NAMES[c]))
      return n > 1 ? `${every} on ${names}` : `every ${names}`;
  }
  if (unit === "month" && keys === "BYMONTHDAY" && /^\d+$/.test(monthday))
    return `${every} on the ${ordinal(Number(monthday))}`;
  if (unit === "month" && keys === "BYMONTHDAY" && monthday === "-1")
    return `${every} on the last day`;
  if (
    unit === "month" &&
    keys === "BYMONTHDAY;BYSETPOS" &&
    parts.get("BYSETPOS") === "-1" &&
    /^28(,29)?(,30)?(,31)?$/.test(monthday)
  ) {
    return `${every} on the ${ordinal(Number(monthday.split(",").at(-1)))} (or the last day)`;
  }
  return RRule.fromString(`RRULE:${body}`).toText();
}
