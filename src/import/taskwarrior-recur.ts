/**
 * Taskwarrior's `recur` periods as RRULEs. Taskwarrior takes a duration (`weekly`, `2w`,
 * `quarterly`, `P1M`…); heph's rules are calendar rules anchored at the do-date, so each period
 * maps to a frequency and an interval. Periods shorter than a day, fractions and anything else
 * have no heph equivalent: null, and the importer says so.
 */
import { parseRecurrence } from "../core/recurrence.ts";

const NAMED: Record<string, string> = Object.assign(Object.create(null) as Record<string, string>, {
  daily: "FREQ=DAILY",
  day: "FREQ=DAILY",
  weekdays: "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
  weekly: "FREQ=WEEKLY",
  week: "FREQ=WEEKLY",
  wk: "FREQ=WEEKLY",
  sennight: "FREQ=WEEKLY",
  biweekly: "FREQ=WEEKLY;INTERVAL=2",
  fortnight: "FREQ=WEEKLY;INTERVAL=2",
  monthly: "FREQ=MONTHLY",
  month: "FREQ=MONTHLY",
  mo: "FREQ=MONTHLY",
  bimonthly: "FREQ=MONTHLY;INTERVAL=2",
  quarterly: "FREQ=MONTHLY;INTERVAL=3",
  quarter: "FREQ=MONTHLY;INTERVAL=3",
  qtr: "FREQ=MONTHLY;INTERVAL=3",
  semiannual: "FREQ=MONTHLY;INTERVAL=6",
  annual: "FREQ=YEARLY",
  annually: "FREQ=YEARLY",
  yearly: "FREQ=YEARLY",
  year: "FREQ=YEARLY",
  yr: "FREQ=YEARLY",
  biannual: "FREQ=YEARLY;INTERVAL=2",
  biyearly: "FREQ=YEARLY;INTERVAL=2",
});

/** Unit words after a number, to [frequency, months or days per unit]. */
const UNITS: Array<[RegExp, string, number]> = [
  [/^(?:d|days?)$/, "DAILY", 1],
  [/^(?:w|wks?|weeks?)$/, "WEEKLY", 1],
  [/^(?:m|mos?|mths?|mnths|months?)$/, "MONTHLY", 1],
  [/^(?:q|qtrs?|quarters?)$/, "MONTHLY", 3],
  [/^(?:y|yrs?|years?)$/, "YEARLY", 1],
];

function rule(freq: string, interval: number): string | null {
  if (!Number.isSafeInteger(interval) || interval < 1 || interval > 9999) return null;
  return `FREQ=${freq}${interval > 1 ? `;INTERVAL=${interval}` : ""}`;
}

function fromIso(period: string): string | null {
  const m = /^p(?:(\d+)y)?(?:(\d+)m)?(?:(\d+)w)?(?:(\d+)d)?$/.exec(period);
  if (!m || period === "p") return null;
  const [years, months, weeks, days] = m.slice(1).map((v) => Number(v ?? 0)) as [
    number,
    number,
    number,
    number,
  ];
  const set = [years, months, weeks, days].filter((n) => n > 0).length;
  if (set !== 1) return null;
  if (years) return rule("YEARLY", years);
  if (months) return rule("MONTHLY", months);
  if (weeks) return rule("WEEKLY", weeks);
  return rule("DAILY", days);
}

/** The RRULE for a Taskwarrior `recur` value, or null when heph has none for it. */
export function taskwarriorRecurrence(recur: string): string | null {
  const period = recur.trim().toLowerCase();
  let body: string | null = NAMED[period] ?? null;
  if (body === null) {
    const m = /^(\d+)\s*([a-z]+)$/.exec(period);
    const unit = m ? UNITS.find(([pattern]) => pattern.test(m[2] as string)) : undefined;
    if (m && unit) body = rule(unit[1], Number(m[1]) * unit[2]);
    else body = fromIso(period);
  }
  if (body === null) return null;
  try {
    return parseRecurrence(body);
  } catch {
    return null;
  }
}
