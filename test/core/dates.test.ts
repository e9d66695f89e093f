import { describe, expect, test } from "bun:test";
import {
  addDays,
  addMonths,
  dateAtStart,
  daysBetween,
  findDate,
  fromUtcMillis,
  isLocalDate,
  localDate,
  parseDate,
  toUtcMillis,
  weekdayOf,
} from "../../src/core/dates.ts";

const THURSDAY = "2026-11-26"; // the fixed "today" of these tests
const MONDAY = "2026-11-30";

describe("isLocalDate", () => {
  test.each([
    ["2026-11-26", true],
    ["2028-02-29", true],
    ["2000-02-29", true],
    ["2026-12-31", true],
    ["2026-02-29", false],
    ["1900-02-29", false],
    ["2026-02-30", false],
    ["2026-04-31", false],
    ["2026-13-01", false],
    ["2026-00-10", false],
    ["2026-01-00", false],
    ["2026-1-5", false],
    ["26-01-05", false],
    ["2026-01-05T00:00", false],
    [" 2026-01-05", false],
    ["", false],
  ])("%p → %p", (text, expected) => {
    expect(isLocalDate(text)).toBe(expected);
  });
});

describe("localDate", () => {
  test.each([
    // America/New_York: DST starts 2026-03-08 02:00 (UTC-5 → UTC-4), ends 2026-11-01 02:00.
    ["2026-03-08T04:59:59Z", "America/New_York", "2026-03-07"],
    ["2026-03-08T05:00:00Z", "America/New_York", "2026-03-08"],
    ["2026-03-08T06:59:59Z", "America/New_York", "2026-03-08"],
    ["2026-03-08T07:00:00Z", "America/New_York", "2026-03-08"],
    ["2026-03-09T03:59:59Z", "America/New_York", "2026-03-08"],
    ["2026-03-09T04:00:00Z", "America/New_York", "2026-03-09"],
    ["2026-11-01T03:59:59Z", "America/New_York", "2026-10-31"],
    ["2026-11-01T04:00:00Z", "America/New_York", "2026-11-01"],
    ["2026-11-01T06:30:00Z", "America/New_York", "2026-11-01"],
    ["2026-11-02T04:59:59Z", "America/New_York", "2026-11-01"],
    ["2026-11-02T05:00:00Z", "America/New_York", "2026-11-02"],
    // Europe/London: BST 2026-03-29 → 2026-10-25.
    ["2026-03-28T23:59:59Z", "Europe/London", "2026-03-28"],
    ["2026-03-29T00:00:00Z", "Europe/London", "2026-03-29"],
    ["2026-03-29T22:59:59Z", "Europe/London", "2026-03-29"],
    ["2026-03-29T23:00:00Z", "Europe/London", "2026-03-30"],
    ["2026-10-24T22:59:59Z", "Europe/London", "2026-10-24"],
    ["2026-10-24T23:00:00Z", "Europe/London", "2026-10-25"],
    ["2026-10-25T23:59:59Z", "Europe/London", "2026-10-25"],
    // Australia/Lord_Howe moves by half an hour: +11 in summer, +10:30 in winter.
    ["2026-04-04T12:59:59Z", "Australia/Lord_Howe", "2026-04-04"],
    ["2026-04-04T13:00:00Z", "Australia/Lord_Howe", "2026-04-05"],
    ["2026-04-05T13:29:59Z", "Australia/Lord_Howe", "2026-04-05"],
    ["2026-04-05T13:30:00Z", "Australia/Lord_Howe", "2026-04-06"],
    ["2026-10-03T13:29:59Z", "Australia/Lord_Howe", "2026-10-03"],
    ["2026-10-03T13:30:00Z", "Australia/Lord_Howe", "2026-10-04"],
    ["2026-10-04T13:00:00Z", "Australia/Lord_Howe", "2026-10-05"],
    // The extremes: +14 and -11 put the same instant on three different dates.
    ["2026-11-26T09:59:59Z", "Pacific/Kiritimati", "2026-11-26"],
    ["2026-11-26T10:00:00Z", "Pacific/Kiritimati", "2026-11-27"],
    ["2026-11-26T10:00:00Z", "UTC", "2026-11-26"],
    ["2026-11-26T10:59:59Z", "Pacific/Pago_Pago", "2026-11-25"],
    ["2026-11-26T11:00:00Z", "Pacific/Pago_Pago", "2026-11-26"],
    // Midnight and year edges.
    ["2026-12-31T23:59:59.999Z", "UTC", "2026-12-31"],
    ["2027-01-01T00:00:00.000Z", "UTC", "2027-01-01"],
    ["2026-12-31T15:00:00Z", "Asia/Tokyo", "2027-01-01"],
    ["2026-12-31T14:59:59Z", "Asia/Tokyo", "2026-12-31"],
    ["2028-02-29T12:00:00Z", "UTC", "2028-02-29"],
  ])("%s in %s → %s", (instant, zone, expected) => {
    expect(localDate(new Date(instant), zone)).toBe(expected);
  });

  test("the answer kept for a second never outlives that second, in any zone", () => {
    // Kolkata's midnight is 18:30:00 UTC: the last millisecond before it and the first after.
    const before = new Date("2026-11-26T18:29:59.999Z");
    const after = new Date("2026-11-26T18:30:00.000Z");
    expect(localDate(before, "Asia/Kolkata")).toBe("2026-11-26");
    expect(localDate(before, "UTC")).toBe("2026-11-26");
    expect(localDate(after, "Asia/Kolkata")).toBe("2026-11-27");
    expect(localDate(before, "Asia/Kolkata")).toBe("2026-11-26"); // back in time: recomputed
    expect(localDate(after, "Pacific/Pago_Pago")).toBe("2026-11-26");
    expect(localDate(after, "Asia/Kolkata")).toBe("2026-11-27");
  });

  test("an unknown zone throws", () => {
    expect(() => localDate(new Date("2026-11-26T00:00:00Z"), "Mars/Olympus_Mons")).toThrow(
      RangeError,
    );
  });
});

describe("arithmetic", () => {
  test.each([
    ["2026-11-26", 0, "2026-11-26"],
    ["2026-11-26", 5, "2026-12-01"],
    ["2026-12-31", 1, "2027-01-01"],
    ["2027-01-01", -1, "2026-12-31"],
    ["2028-02-28", 1, "2028-02-29"],
    ["2026-02-28", 1, "2026-03-01"],
    ["2026-03-07", 1, "2026-03-08"], // DST days are ordinary days
    ["2026-03-08", 1, "2026-03-09"],
    ["2026-11-01", 1, "2026-11-02"],
    ["2026-11-26", 365, "2027-11-26"],
  ])("addDays(%s, %d) → %s", (date, n, expected) => {
    expect(addDays(date, n)).toBe(expected);
  });

  test.each([
    ["2026-01-31", 1, "2026-02-28"],
    ["2028-01-31", 1, "2028-02-29"],
    ["2026-03-31", 1, "2026-04-30"],
    ["2026-03-31", -1, "2026-02-28"],
    ["2026-11-26", 1, "2026-12-26"],
    ["2026-12-15", 1, "2027-01-15"],
    ["2026-01-15", -1, "2025-12-15"],
    ["2026-11-26", -13, "2025-10-26"],
    ["2028-02-29", 12, "2029-02-28"],
    ["2026-05-31", 0, "2026-05-31"],
  ])("addMonths(%s, %d) → %s", (date, n, expected) => {
    expect(addMonths(date, n)).toBe(expected);
  });

  test.each([
    ["2026-11-26", "2026-11-26", 0],
    ["2026-11-26", "2026-11-27", 1],
    ["2026-11-27", "2026-11-26", -1],
    ["2026-03-07", "2026-03-09", 2],
    ["2026-10-31", "2026-11-02", 2],
    ["2028-01-01", "2029-01-01", 366],
    ["2026-01-01", "2027-01-01", 365],
  ])("daysBetween(%s, %s) → %d", (from, to, expected) => {
    expect(daysBetween(from, to)).toBe(expected);
  });

  test.each([
    ["2026-11-26", 4],
    ["2026-11-29", 0],
    ["2026-11-28", 6],
    ["2026-11-30", 1],
    ["2000-01-01", 6],
    ["2028-02-29", 2],
  ])("weekdayOf(%s) → %d", (date, expected) => {
    expect(weekdayOf(date)).toBe(expected);
  });

  test("toUtcMillis and fromUtcMillis are inverse and use 00:00 UTC", () => {
    expect(toUtcMillis("2026-11-26")).toBe(Date.UTC(2026, 10, 26));
    expect(fromUtcMillis(Date.UTC(2026, 10, 26, 23, 59))).toBe("2026-11-26");
    expect(fromUtcMillis(toUtcMillis("0050-03-01"))).toBe("0050-03-01");
  });

  test("bad dates throw instead of rolling over", () => {
    expect(() => addDays("2026-02-30", 1)).toThrow(RangeError);
    expect(() => addMonths("nope", 1)).toThrow(RangeError);
  });
});

describe("parseDate (today is Thursday 2026-11-26)", () => {
  test.each([
    ["today", "2026-11-26"],
    ["Tomorrow", "2026-11-27"],
    ["  YESTERDAY ", "2026-11-25"],
    ["friday", "2026-11-27"],
    ["fri", "2026-11-27"],
    ["monday", "2026-11-30"],
    ["mon", "2026-11-30"],
    ["sun", "2026-11-29"],
    ["thursday", "2026-12-03"], // strictly after today
    ["thu", "2026-12-03"],
    ["next thursday", "2026-12-03"],
    ["next friday", "2026-11-27"],
    ["next  Mon", "2026-11-30"],
    ["this thursday", "2026-11-26"],
    ["this friday", "2026-11-27"],
    ["this wednesday", "2026-12-02"],
    ["on friday", "2026-11-27"],
    ["+0d", "2026-11-26"],
    ["+3d", "2026-11-29"],
    ["+2w", "2026-12-10"],
    ["+1m", "2026-12-26"],
    ["+3m", "2027-02-26"],
    ["+1y", "2027-11-26"],
    ["in 3 days", "2026-11-29"],
    ["in 1 day", "2026-11-27"],
    ["in 2 weeks", "2026-12-10"],
    ["in a week", "2026-12-03"],
    ["in 2 months", "2027-01-26"],
    ["in two months", "2027-01-26"],
    ["in 1 year", "2027-11-26"],
    ["2026-12-01", "2026-12-01"],
    ["2028-02-29", "2028-02-29"],
    ["dec 24", "2026-12-24"],
    ["on dec 24", "2026-12-24"],
    ["24 december", "2026-12-24"],
    ["December 24, 2027", "2027-12-24"],
    ["may 5", "2027-05-05"], // forward: the next May 5
    ["jan 1", "2027-01-01"],
    ["next week", "2026-12-03"],
    ["next month", "2026-12-26"],
    ["end of month", "2026-11-30"],
    ["friday next week", "2026-12-04"],
    ["12/15/2026", "2026-12-15"],
    ["last friday", "2026-11-20"],
    ["2 days ago", "2026-11-24"],
  ])("%p → %s", (text, expected) => {
    expect(parseDate(text, THURSDAY)).toBe(expected);
  });

  test.each([
    "",
    "   ",
    "garbage",
    "2026-02-30",
    "2026-13-01",
    "2026-1-5",
    "5",
    "at 5",
    "5pm",
    "now",
    "in 3 hours",
    "tomorrow please",
    "buy milk tomorrow",
    "everyday",
    "+3x",
  ])("%p → undefined", (text) => {
    expect(parseDate(text, THURSDAY)).toBeUndefined();
  });

  test("on a Monday, bare and next weekday mean a week later; this means today", () => {
    expect(parseDate("monday", MONDAY)).toBe("2026-12-07");
    expect(parseDate("mon", MONDAY)).toBe("2026-12-07");
    expect(parseDate("next monday", MONDAY)).toBe("2026-12-07");
    expect(parseDate("this monday", MONDAY)).toBe("2026-11-30");
    expect(parseDate("sunday", MONDAY)).toBe("2026-12-06");
  });

  test("+1m and in 1 month clamp to the end of a shorter month", () => {
    expect(parseDate("+1m", "2026-01-31")).toBe("2026-02-28");
    expect(parseDate("in 1 month", "2028-01-31")).toBe("2028-02-29");
    expect(parseDate("+1y", "2028-02-29")).toBe("2029-02-28");
  });

  test("across a year end", () => {
    expect(parseDate("tomorrow", "2026-12-31")).toBe("2027-01-01");
    expect(parseDate("jan 2", "2026-12-31")).toBe("2027-01-02");
    expect(parseDate("dec 30", "2026-12-31")).toBe("2027-12-30");
  });
});

describe("findDate (today is Thursday 2026-11-26)", () => {
  test.each([
    ["Pay rent tomorrow", 9, "tomorrow", "2026-11-27"],
    ["Call mom friday about it", 9, "friday", "2026-11-27"],
    ["Call Bob on friday", 9, "on friday", "2026-11-27"],
    ["TOMORROW call", 0, "TOMORROW", "2026-11-27"],
    ["Ship 2026-12-01 build", 5, "2026-12-01", "2026-12-01"],
    ["Review +3d", 7, "+3d", "2026-11-29"],
    ["Renew in 2 weeks ok", 6, "in 2 weeks", "2026-12-10"],
    ["Meet May 5", 5, "May 5", "2027-05-05"],
    ["Meet 5 may", 5, "5 may", "2027-05-05"],
    ["Bake dec 24 at 5pm", 5, "dec 24", "2026-12-24"],
    ["Meet on dec 24 ok", 5, "on dec 24", "2026-12-24"],
    ["Call at 5 tomorrow", 10, "tomorrow", "2026-11-27"],
    ["Trip next week", 5, "next week", "2026-12-03"],
    ["Clean end of month", 6, "end of month", "2026-11-30"],
    ["Do it friday next week", 6, "friday next week", "2026-12-04"],
    ["Watch the sun rise next sat", 19, "next sat", "2026-11-28"],
    ["Go mon or tue", 3, "mon", "2026-11-30"],
    ["Hike this weekend", 5, "this weekend", "2026-11-28"],
    ["Last call May 5", 10, "May 5", "2027-05-05"], // "last" elsewhere does not turn time back
  ])("%p → %p", (text, index, matched, date) => {
    const found = findDate(text, THURSDAY);
    expect(found).toEqual({ index, length: matched.length, date });
    expect(text.slice(index, index + matched.length)).toBe(matched);
  });

  test.each([
    "Call May about taxes",
    "March with the band",
    "Plan March 2027 trip",
    "Call at 5",
    "Meet at 5pm",
    "Buy 2 apples",
    "Read chapter 5",
    "Fix bug 404",
    "Take a week off",
    "Rest for 2 days",
    "Buy 3/4 cup of flour",
    "Watch the sun set",
    "Sat exam prep",
    "Review last week",
    "Fix it now",
    "Mondays are hard",
    "Review yesterday's notes",
    "Open notes-2026-12-01.md",
    "Open 2026-12-01.txt",
    "see https://x.org/2026-12-01/page",
    "Validate 2026-02-30",
    "Write+3d",
    "",
  ])("%p → no date", (text) => {
    expect(findDate(text, THURSDAY)).toBeUndefined();
  });

  test("the first date in the text wins", () => {
    expect(findDate("friday or tomorrow", THURSDAY)?.date).toBe("2026-11-27");
    expect(findDate("dec 24 then tomorrow", THURSDAY)?.date).toBe("2026-12-24");
    expect(findDate("tomorrow then dec 24", THURSDAY)?.date).toBe("2026-11-27");
  });
});

describe("dateAtStart (after due/by/late)", () => {
  test("takes the longest date at the start, allowing sat and 12/15", () => {
    expect(dateAtStart(" sat ok", THURSDAY)).toEqual({ index: 1, length: 3, date: "2026-11-28" });
    expect(dateAtStart("12/15 ok", THURSDAY)).toEqual({ index: 0, length: 5, date: "2026-12-15" });
    expect(dateAtStart("friday next week", THURSDAY)?.date).toBe("2026-12-04");
    expect(dateAtStart("in 3 days x", THURSDAY)?.length).toBe(9);
  });

  test("nothing when the text does not start with a date", () => {
    expect(dateAtStart("me tomorrow", THURSDAY)).toBeUndefined();
    expect(dateAtStart("May Sarton", THURSDAY)).toBeUndefined();
    expect(dateAtStart("phone", THURSDAY)).toBeUndefined();
  });
});

describe("independence from the host time zone", () => {
  test("the same answers whatever TZ the process runs in", () => {
    const phrases = ["tomorrow", "friday", "dec 24", "next week", "in 3 days", "end of month"];
    const answers = (today: string) => [
      ...phrases.map((p) => parseDate(p, today)),
      findDate("Meet May 5", today)?.date,
    ];
    const saved = process.env.TZ;
    const seen = new Set<string>();
    try {
      for (const zone of ["UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago", "America/New_York"]) {
        process.env.TZ = zone;
        seen.add(JSON.stringify([answers(THURSDAY), answers("2026-03-08"), answers("2026-11-01")]));
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
    expect(seen.size).toBe(1);
    expect(JSON.parse([...seen][0] ?? "[]")[0]).toEqual([
      "2026-11-27",
      "2026-11-27",
      "2026-12-24",
      "2026-12-03",
      "2026-11-29",
      "2026-11-30",
      "2027-05-05",
    ]);
  });
});
