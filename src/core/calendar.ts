/**
 * Calendar arithmetic on local dates (`YYYY-MM-DD`), on UTC day numbers, so no host time zone or
 * DST can shift a date. No date-phrase parsing here: this module loads no parser, so the CLI and
 * the ranking can use it cheaply (date phrases live in dates.ts).
 */
import type { LocalDate } from "./task-types.ts";

export const DAY_MS = 86_400_000;
export const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

// setUTCFullYear, not Date.UTC, because Date.UTC maps years below 100 to 19xx.
export function utcMillis(year: number, month: number, day: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getTime();
}

/** 00:00 UTC on that date: how dates become "floating" Dates for rrule. Throws on a bad date. */
export function toUtcMillis(date: LocalDate): number {
  return utcMillis(...parts(date));
}

/** The UTC calendar date of an epoch time (the inverse of toUtcMillis). */
export function fromUtcMillis(ms: number): LocalDate {
  const date = new Date(ms);
  return formatDate(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}

export function formatDate(year: number, month: number, day: number): LocalDate {
  const pad = (n: number, width: number) => String(n).padStart(width, "0");
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

export function parts(date: LocalDate): [number, number, number] {
  const match = ISO_DATE.exec(date);
  if (!match || !isLocalDate(date)) throw new RangeError(`not a YYYY-MM-DD date: "${date}"`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/** `YYYY-MM-DD` naming a real calendar day (2026-02-30 is not one). */
export function isLocalDate(text: string): boolean {
  const match = ISO_DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Per zone: its formatter, and the last answer with the second it was for. */
interface ZoneCalendar {
  formatter: Intl.DateTimeFormat;
  second: number;
  day: LocalDate;
}
const zoneCalendars = new Map<string, ZoneCalendar>();

/**
 * The calendar date at `now` in an IANA zone. Throws RangeError for an unknown zone. The answer
 * is kept for the rest of its second (UTC offsets are whole seconds, so a date never changes
 * inside one): a daemon asked `daemon.info` 100,000 times a second formats the date once.
 */
export function localDate(now: Date, timeZone: string): LocalDate {
  const second = Math.floor(now.getTime() / 1000);
  const zone = zoneCalendars.get(timeZone);
  if (zone?.second === second) return zone.day;
  const formatter =
    zone?.formatter ??
    new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      calendar: "iso8601",
      numberingSystem: "latn",
    });
  const fields: Record<string, number> = {};
  for (const part of formatter.formatToParts(now)) fields[part.type] = Number(part.value);
  const day = formatDate(fields.year as number, fields.month as number, fields.day as number);
  zoneCalendars.set(timeZone, { formatter, second, day });
  return day;
}

export function addDays(date: LocalDate, n: number): LocalDate {
  const [year, month, day] = parts(date);
  return fromUtcMillis(utcMillis(year, month, day) + n * DAY_MS);
}

/** Calendar months; the day clamps to the target month's end (01-31 + 1 month is 02-28/29). */
export function addMonths(date: LocalDate, n: number): LocalDate {
  const [year, month, day] = parts(date);
  const index = year * 12 + (month - 1) + n;
  const targetYear = Math.floor(index / 12);
  const targetMonth = index - targetYear * 12 + 1;
  return formatDate(targetYear, targetMonth, Math.min(day, daysInMonth(targetYear, targetMonth)));
}

/** `to − from` in whole days. */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  const [fy, fm, fd] = parts(from);
  const [ty, tm, td] = parts(to);
  return Math.round((utcMillis(ty, tm, td) - utcMillis(fy, fm, fd)) / DAY_MS);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(date: LocalDate): number {
  const [year, month, day] = parts(date);
  return new Date(utcMillis(year, month, day)).getUTCDay();
}
