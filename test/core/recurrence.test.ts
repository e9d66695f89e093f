import { describe, expect, test } from "bun:test";
import {
  describeRecurrence,
  nextOccurrence,
  parseRecurrence,
  RecurrenceError,
} from "../../src/core/recurrence.ts";

const WEEKDAYS = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR";
const ON_31ST = "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1";

/** Rolls a rule forward n times from `from`, as `done` does: each time "after" the last one. */
function occurrences(rule: string, anchor: string, from: string, n: number): (string | null)[] {
  const out: (string | null)[] = [];
  let after = from;
  for (let i = 0; i < n; i++) {
    const next = nextOccurrence(rule, anchor, after);
    out.push(next);
    if (next === null) break;
    after = next;
  }
  return out;
}

describe("parseRecurrence", () => {
  test.each([
    ["daily", "FREQ=DAILY"],
    ["weekdays", WEEKDAYS],
    ["weekly", "FREQ=WEEKLY"],
    ["monthly", "FREQ=MONTHLY"],
    ["yearly", "FREQ=YEARLY"],
    ["  Daily ", "FREQ=DAILY"],
    ["every day", "FREQ=DAILY"],
    ["every 3 days", "FREQ=DAILY;INTERVAL=3"],
    ["every 1 day", "FREQ=DAILY"],
    ["every week", "FREQ=WEEKLY"],
    ["every 2 weeks", "FREQ=WEEKLY;INTERVAL=2"],
    ["every other week", "FREQ=WEEKLY;INTERVAL=2"],
    ["every month", "FREQ=MONTHLY"],
    ["every 2 months", "FREQ=MONTHLY;INTERVAL=2"],
    ["every year", "FREQ=YEARLY"],
    ["every 10 years", "FREQ=YEARLY;INTERVAL=10"],
    ["every weekday", WEEKDAYS],
    ["every weekend", "FREQ=WEEKLY;BYDAY=SA,SU"],
    ["every monday", "FREQ=WEEKLY;BYDAY=MO"],
    ["every mon", "FREQ=WEEKLY;BYDAY=MO"],
    ["Every  Sunday", "FREQ=WEEKLY;BYDAY=SU"],
    ["every monday and thursday", "FREQ=WEEKLY;BYDAY=MO,TH"],
    ["every mon, wed, fri", "FREQ=WEEKLY;BYDAY=MO,WE,FR"],
    ["every mon, wed and fri", "FREQ=WEEKLY;BYDAY=MO,WE,FR"],
    ["every fri, mon", "FREQ=WEEKLY;BYDAY=MO,FR"],
    ["every other monday", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"],
    ["every 2 weeks on tuesday", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"],
    ["every month on the 15th", "FREQ=MONTHLY;BYMONTHDAY=15"],
    ["every month on the 1st", "FREQ=MONTHLY;BYMONTHDAY=1"],
    ["every month on the 28th", "FREQ=MONTHLY;BYMONTHDAY=28"],
    ["every month on the 29th", "FREQ=MONTHLY;BYMONTHDAY=28,29;BYSETPOS=-1"],
    ["every month on the 30th", "FREQ=MONTHLY;BYMONTHDAY=28,29,30;BYSETPOS=-1"],
    ["every month on the 31st", ON_31ST],
    ["every 3 months on the 15th", "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15"],
    ["monthly on the 15th", "FREQ=MONTHLY;BYMONTHDAY=15"],
    ["every last day of the month", "FREQ=MONTHLY;BYMONTHDAY=-1"],
    ["FREQ=WEEKLY;BYDAY=MO", "FREQ=WEEKLY;BYDAY=MO"],
    ["RRULE:FREQ=WEEKLY;BYDAY=MO", "FREQ=WEEKLY;BYDAY=MO"],
    ["rrule:freq=daily;count=3", "FREQ=DAILY;COUNT=3"],
    ["FREQ=MONTHLY;BYDAY=+1MO", "FREQ=MONTHLY;BYDAY=+1MO"],
    ["FREQ=DAILY;UNTIL=20261231", "FREQ=DAILY;UNTIL=20261231"],
    ["FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=-1", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=-1"],
  ])("%p → %s", (text, expected) => {
    expect(parseRecurrence(text)).toBe(expected);
  });

  test.each([
    ["", "empty"],
    ["   ", "empty"],
    ["every 0 days", "≥ 1"],
    ["nonsense", "Accepted:"],
    ["every", "Accepted:"],
    ["every morning", "Accepted:"],
    ["every monday and morning", "Accepted:"],
    ["every month on the 32nd", "1 to 31"],
    ["every month on the 0th", "1 to 31"],
    ["FREQ=HOURLY", "FREQ must be"],
    ["FREQ=FOO", "FREQ must be"],
    ["BYDAY=MO", "needs FREQ"],
    ["FREQ=DAILY;INTERVAL=abc", "bad INTERVAL"], // rrule itself would loop forever on this
    ["FREQ=DAILY;INTERVAL=0", "bad INTERVAL"],
    ["FREQ=DAILY;COUNT=0", "bad COUNT"],
    ["FREQ=DAILY;BYDAY=XX", "bad BYDAY"],
    ["FREQ=MONTHLY;BYDAY=+0MO", "bad BYDAY"],
    ["FREQ=DAILY;FOO=1", 'unsupported RRULE part "FOO"'],
    ["FREQ=DAILY;BYHOUR=9", 'unsupported RRULE part "BYHOUR"'],
    ["FREQ=DAILY;DTSTART=20260101", 'unsupported RRULE part "DTSTART"'],
    ["FREQ=DAILY;FREQ=WEEKLY", "bad FREQ"],
    ["FREQ=DAILY;COUNT=2;UNTIL=20261231", "cannot be combined"],
    ["FREQ=DAILY;UNTIL=20260230", "bad UNTIL date"],
    ["FREQ=MONTHLY;BYMONTHDAY=0", "BYMONTHDAY out of range"],
    ["FREQ=YEARLY;BYMONTH=13", "BYMONTH out of range"],
  ])("%p is rejected (%s)", (text, reason) => {
    expect(() => parseRecurrence(text)).toThrow(RecurrenceError);
    expect(() => parseRecurrence(text)).toThrow(reason);
  });

  test("the error names the text and lists the accepted forms", () => {
    expect(() => parseRecurrence("fortnightly")).toThrow(
      /Not a recurrence: "fortnightly"\. Accepted: daily, weekdays.*every month on the 15th.*FREQ=WEEKLY;BYDAY=MO/,
    );
  });
});

describe("nextOccurrence", () => {
  test("daily, strictly after `after`", () => {
    expect(nextOccurrence("FREQ=DAILY", "2026-11-26", "2026-11-26")).toBe("2026-11-27");
    expect(nextOccurrence("FREQ=DAILY", "2026-11-26", "2026-11-25")).toBe("2026-11-26");
    expect(nextOccurrence("FREQ=DAILY;INTERVAL=3", "2026-11-26", "2026-11-26")).toBe("2026-11-29");
  });

  test("every month on the 31st lands on the last day of short months and returns to the 31st", () => {
    expect(occurrences(ON_31ST, "2026-01-31", "2026-01-31", 5)).toEqual([
      "2026-02-28",
      "2026-03-31",
      "2026-04-30",
      "2026-05-31",
      "2026-06-30",
    ]);
    expect(occurrences(ON_31ST, "2028-01-31", "2028-01-31", 2)).toEqual([
      "2028-02-29",
      "2028-03-31",
    ]);
  });

  test("29th and 30th fall back to February's last day only", () => {
    const on29 = parseRecurrence("every month on the 29th");
    const on30 = parseRecurrence("every month on the 30th");
    expect(occurrences(on29, "2027-01-29", "2027-01-29", 2)).toEqual(["2027-02-28", "2027-03-29"]);
    expect(occurrences(on29, "2028-01-29", "2028-01-29", 1)).toEqual(["2028-02-29"]);
    expect(occurrences(on30, "2026-01-30", "2026-01-30", 3)).toEqual([
      "2026-02-28",
      "2026-03-30",
      "2026-04-30",
    ]);
  });

  test("the last day of the month", () => {
    const rule = parseRecurrence("every last day of the month");
    expect(occurrences(rule, "2028-01-31", "2028-01-31", 3)).toEqual([
      "2028-02-29",
      "2028-03-31",
      "2028-04-30",
    ]);
  });

  test("yearly from Feb 29 skips non-leap years (RFC 5545 drops invalid dates)", () => {
    // RFC 5545: a recurrence that would produce an invalid date (2029-02-29) is ignored, so a
    // yearly rule anchored on a leap day fires every four years, never on Feb 28 or Mar 1.
    expect(occurrences("FREQ=YEARLY", "2028-02-29", "2028-02-29", 2)).toEqual([
      "2032-02-29",
      "2036-02-29",
    ]);
  });

  test("weekdays skip the weekend", () => {
    expect(nextOccurrence(WEEKDAYS, "2026-11-27", "2026-11-27")).toBe("2026-11-30"); // Fri → Mon
    expect(nextOccurrence(WEEKDAYS, "2026-11-27", "2026-11-28")).toBe("2026-11-30"); // Sat → Mon
    expect(nextOccurrence(WEEKDAYS, "2026-11-27", "2026-11-30")).toBe("2026-12-01");
  });

  test("a weekday list and a month day from a mid-period anchor", () => {
    const monThu = parseRecurrence("every monday and thursday");
    expect(occurrences(monThu, "2026-11-26", "2026-11-26", 3)).toEqual([
      "2026-11-30",
      "2026-12-03",
      "2026-12-07",
    ]);
    expect(nextOccurrence("FREQ=MONTHLY;BYMONTHDAY=15", "2026-11-26", "2026-11-26")).toBe(
      "2026-12-15",
    );
  });

  test("missed occurrences are skipped, not piled up", () => {
    expect(nextOccurrence("FREQ=DAILY", "1990-01-01", "2026-11-26")).toBe("2026-11-27");
    expect(nextOccurrence("FREQ=WEEKLY", "2020-01-02", "2026-11-26")).toBe("2026-12-03");
    expect(nextOccurrence("FREQ=MONTHLY", "2025-01-10", "2026-11-26")).toBe("2026-12-10");
    expect(nextOccurrence(ON_31ST, "2025-01-31", "2026-11-26")).toBe("2026-11-30");
  });

  test("dates only: DST changes do not move occurrences", () => {
    // New York springs forward 2026-03-08 and falls back 2026-11-01; London on 03-29 and 10-25.
    expect(occurrences("FREQ=DAILY", "2026-03-06", "2026-03-06", 4)).toEqual([
      "2026-03-07",
      "2026-03-08",
      "2026-03-09",
      "2026-03-10",
    ]);
    expect(occurrences("FREQ=WEEKLY", "2026-10-20", "2026-10-20", 3)).toEqual([
      "2026-10-27",
      "2026-11-03",
      "2026-11-10",
    ]);
    expect(nextOccurrence("FREQ=DAILY", "2026-03-28", "2026-03-29")).toBe("2026-03-30");
  });

  test("the same answers whatever TZ the process runs in", () => {
    const saved = process.env.TZ;
    const seen = new Set<string>();
    try {
      for (const zone of ["UTC", "America/New_York", "Pacific/Kiritimati", "Pacific/Pago_Pago"]) {
        process.env.TZ = zone;
        seen.add(
          JSON.stringify([
            occurrences("FREQ=DAILY", "2026-03-06", "2026-03-06", 4),
            occurrences(ON_31ST, "2026-01-31", "2026-01-31", 3),
            occurrences(WEEKDAYS, "2026-10-30", "2026-10-30", 2),
          ]),
        );
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
    expect([...seen]).toEqual([
      JSON.stringify([
        ["2026-03-07", "2026-03-08", "2026-03-09", "2026-03-10"],
        ["2026-02-28", "2026-03-31", "2026-04-30"],
        ["2026-11-02", "2026-11-03"],
      ]),
    ]);
  });

  test("COUNT and UNTIL end the rule with null", () => {
    expect(occurrences("FREQ=DAILY;COUNT=3", "2026-01-01", "2026-01-01", 4)).toEqual([
      "2026-01-02",
      "2026-01-03",
      null,
    ]);
    expect(nextOccurrence("FREQ=WEEKLY;UNTIL=20261231", "2026-12-01", "2026-12-29")).toBeNull();
    expect(nextOccurrence("FREQ=WEEKLY;UNTIL=20261231", "2026-12-03", "2026-12-29")).toBe(
      "2026-12-31",
    );
  });

  test("accepts phrases and prefixed rules, rejects bad input", () => {
    expect(nextOccurrence("every 2 weeks", "2026-11-26", "2026-11-26")).toBe("2026-12-10");
    expect(nextOccurrence("RRULE:FREQ=DAILY", "2026-11-26", "2026-11-26")).toBe("2026-11-27");
    expect(() => nextOccurrence("bogus", "2026-11-26", "2026-11-26")).toThrow(RecurrenceError);
    expect(() => nextOccurrence("FREQ=DAILY", "2026-02-30", "2026-11-26")).toThrow(RangeError);
  });
});

describe("describeRecurrence", () => {
  test.each([
    ["FREQ=DAILY", "every day"],
    ["FREQ=DAILY;INTERVAL=3", "every 3 days"],
    ["FREQ=WEEKLY", "every week"],
    ["FREQ=WEEKLY;INTERVAL=2", "every 2 weeks"],
    [WEEKDAYS, "every weekday"],
    ["FREQ=WEEKLY;BYDAY=MO", "every Monday"],
    ["FREQ=WEEKLY;BYDAY=MO,TH", "every Monday and Thursday"],
    ["FREQ=WEEKLY;BYDAY=MO,WE,FR", "every Monday, Wednesday and Friday"],
    ["FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "every 2 weeks on Tuesday"],
    ["FREQ=MONTHLY", "every month"],
    ["FREQ=MONTHLY;BYMONTHDAY=15", "every month on the 15th"],
    ["FREQ=MONTHLY;BYMONTHDAY=1", "every month on the 1st"],
    ["FREQ=MONTHLY;BYMONTHDAY=22", "every month on the 22nd"],
    ["FREQ=MONTHLY;BYMONTHDAY=-1", "every month on the last day"],
    [ON_31ST, "every month on the 31st (or the last day)"],
    ["FREQ=MONTHLY;BYMONTHDAY=28,29,30;BYSETPOS=-1", "every month on the 30th (or the last day)"],
    ["FREQ=YEARLY", "every year"],
    ["FREQ=YEARLY;INTERVAL=2", "every 2 years"],
    ["every mon, wed and fri", "every Monday, Wednesday and Friday"],
    ["FREQ=DAILY;COUNT=3", "every day for 3 times"],
    ["FREQ=MONTHLY;BYDAY=+1MO", "every month on the 1st Monday"],
  ])("%s → %p", (rule, expected) => {
    expect(describeRecurrence(rule)).toBe(expected);
  });

  test("rejects what parseRecurrence rejects", () => {
    expect(() => describeRecurrence("FREQ=SOMETIMES")).toThrow(RecurrenceError);
  });
});
