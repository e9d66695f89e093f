/**
 * Obsidian daily notes: settings from `.obsidian/daily-notes.json` and the moment.js file name
 * formats (https://momentjs.com/docs/#/displaying/format/), English locale.
 */
import { describe, expect, test } from "bun:test";
import { addDays } from "../../src/core/calendar.ts";
import {
  compileDailyNoteFormat,
  type DailyNotesSettings,
  DEFAULT_DAILY_NOTES,
  dailyNoteDate,
  dailyNotePath,
  isoDateFileName,
  readDailyNotesSettings,
} from "../../src/import/obsidian/daily-notes.ts";

const settings = (format: string, folder = ""): DailyNotesSettings => ({ folder, format });

describe("readDailyNotesSettings", () => {
  test("reads folder and format, ignores unknown keys", () => {
    const text =
      '{"folder":"Daily Notes","format":"YYYY-MM-DD","template":"Templates/Daily","x":1}';
    expect(readDailyNotesSettings(text)).toEqual({ folder: "Daily Notes", format: "YYYY-MM-DD" });
  });
  test("missing keys, empty values and an empty file default", () => {
    expect(readDailyNotesSettings("{}")).toEqual(DEFAULT_DAILY_NOTES);
    expect(readDailyNotesSettings('{"folder":"","format":""}')).toEqual(DEFAULT_DAILY_NOTES);
    expect(readDailyNotesSettings('{"folder":"Journal"}')).toEqual({
      folder: "Journal",
      format: "YYYY-MM-DD",
    });
    expect(readDailyNotesSettings("")).toEqual(DEFAULT_DAILY_NOTES);
    expect(DEFAULT_DAILY_NOTES).toEqual({ folder: "", format: "YYYY-MM-DD" });
  });
  test("the folder is normalised", () => {
    expect(readDailyNotesSettings('{"folder":"/Journal/Daily/"}').folder).toBe("Journal/Daily");
    expect(readDailyNotesSettings('{"folder":"/"}').folder).toBe("");
    expect(readDailyNotesSettings('{"folder":" a//b "}').folder).toBe("a/b");
  });
  test("malformed files throw, naming the problem", () => {
    expect(() => readDailyNotesSettings("{folder:")).toThrow(/^daily-notes\.json: not valid JSON/);
    expect(() => readDailyNotesSettings("[]")).toThrow("daily-notes.json: must be a JSON object");
    expect(() => readDailyNotesSettings('"x"')).toThrow("daily-notes.json: must be a JSON object");
    expect(() => readDailyNotesSettings('{"format":5}')).toThrow(
      "daily-notes.json: format must be a string",
    );
    expect(() => readDailyNotesSettings('{"folder":true}')).toThrow(
      "daily-notes.json: folder must be a string",
    );
  });
});

describe("dailyNoteDate", () => {
  test("default settings: YYYY-MM-DD at the vault root", () => {
    expect(dailyNoteDate("2025-06-17.md", DEFAULT_DAILY_NOTES)).toBe("2025-06-17");
    expect(dailyNoteDate("sub/2025-06-17.md", DEFAULT_DAILY_NOTES)).toBeNull();
    expect(dailyNoteDate("2025-06-17.txt", DEFAULT_DAILY_NOTES)).toBeNull();
    expect(dailyNoteDate("2025-06-17", DEFAULT_DAILY_NOTES)).toBeNull();
    expect(dailyNoteDate("2025-06-17 notes.md", DEFAULT_DAILY_NOTES)).toBeNull();
    expect(dailyNoteDate("2025-6-7.md", DEFAULT_DAILY_NOTES)).toBeNull();
  });
  test("a folder: only notes directly in it", () => {
    const s = settings("YYYY-MM-DD", "Daily Notes");
    expect(dailyNoteDate("Daily Notes/2025-06-17.md", s)).toBe("2025-06-17");
    expect(dailyNoteDate("2025-06-17.md", s)).toBeNull();
    expect(dailyNoteDate("Other/2025-06-17.md", s)).toBeNull();
    expect(dailyNoteDate("Daily Notes/old/2025-06-17.md", s)).toBeNull();
    expect(dailyNoteDate("Daily Notes Archive/2025-06-17.md", s)).toBeNull();
    // An unnormalised folder in hand-built settings still works.
    expect(
      dailyNoteDate("Daily Notes/2025-06-17.md", settings("YYYY-MM-DD", "/Daily Notes/")),
    ).toBe("2025-06-17");
  });
  test("nested folders in the format", () => {
    const s = settings("YYYY/MM/YYYY-MM-DD", "Journal");
    expect(dailyNoteDate("Journal/2025/06/2025-06-17.md", s)).toBe("2025-06-17");
    expect(dailyNoteDate("Journal/2025/07/2025-06-17.md", s)).toBeNull();
    expect(dailyNoteDate("Journal/2025-06-17.md", s)).toBeNull();
    expect(dailyNotePath("2025-06-17", s)).toBe("Journal/2025/06/2025-06-17.md");
  });
  test("weekday and month names with an ordinal", () => {
    const s = settings("dddd, MMMM Do YYYY");
    expect(dailyNoteDate("Tuesday, June 17th 2025.md", s)).toBe("2025-06-17");
    expect(dailyNoteDate("tuesday, june 17th 2025.md", s)).toBe("2025-06-17");
    expect(dailyNoteDate("Wednesday, June 17th 2025.md", s)).toBeNull(); // wrong weekday
    expect(dailyNoteDate("Tuesday, June 17st 2025.md", s)).toBeNull(); // wrong ordinal
    expect(dailyNotePath("2025-06-01", s)).toBe("Sunday, June 1st 2025.md");
    expect(dailyNotePath("2025-06-22", s)).toBe("Sunday, June 22nd 2025.md");
    expect(dailyNotePath("2025-06-13", s)).toBe("Friday, June 13th 2025.md");
    expect(dailyNoteDate("Mon 16 Jun 2025.md", settings("ddd D MMM YYYY"))).toBe("2025-06-16");
    expect(dailyNoteDate("Tu 16 Jun 2025.md", settings("dd D MMM YYYY"))).toBeNull();
  });
  test("bracketed literals and escaped metacharacters", () => {
    const s = settings("[Journal] YYYY-MM-DD");
    expect(dailyNoteDate("Journal 2025-06-17.md", s)).toBe("2025-06-17");
    expect(dailyNoteDate("Journal2025-06-17.md", s)).toBeNull();
    expect(dailyNotePath("2025-06-17", s)).toBe("Journal 2025-06-17.md");
    const dots = settings("YYYY.MM.DD (ddd)");
    expect(dailyNoteDate("2025.06.17 (Tue).md", dots)).toBe("2025-06-17");
    expect(dailyNoteDate("2025x06x17 (Tue).md", dots)).toBeNull();
    // Letters inside brackets are not tokens ("D" and "a" would be).
    expect(dailyNotePath("2025-06-17", settings("[Daily] YYYY-MM-DD"))).toBe("Daily 2025-06-17.md");
  });
  test("unpadded YY-M-D", () => {
    const s = settings("YY-M-D");
    expect(dailyNoteDate("25-6-7.md", s)).toBe("2025-06-07");
    expect(dailyNoteDate("25-06-07.md", s)).toBeNull(); // re-formats as 25-6-7
    expect(dailyNotePath("2025-12-31", s)).toBe("25-12-31.md");
  });
  test("day of year and quarter", () => {
    expect(dailyNoteDate("2024-366.md", settings("YYYY-DDDD"))).toBe("2024-12-31");
    expect(dailyNoteDate("2025-366.md", settings("YYYY-DDDD"))).toBeNull();
    expect(dailyNoteDate("2025 Q2 06-17.md", settings("YYYY [Q]Q MM-DD"))).toBe("2025-06-17");
    expect(dailyNoteDate("2025 Q3 06-17.md", settings("YYYY [Q]Q MM-DD"))).toBeNull();
  });
  test("week tokens: checked with a day, not a date alone", () => {
    const s = settings("GGGG-[W]WW-YYYY-MM-DD");
    expect(dailyNotePath("2024-12-30", s)).toBe("2025-W01-2024-12-30.md"); // ISO week 1 of 2025
    expect(dailyNoteDate("2025-W01-2024-12-30.md", s)).toBe("2024-12-30");
    expect(dailyNoteDate("2024-W52-2024-12-30.md", s)).toBeNull();
    expect(dailyNotePath("2024-12-29", settings("gggg-[w]ww"))).toBe("2025-w01.md"); // US weeks
    expect(dailyNoteDate("2025-W25.md", settings("GGGG-[W]WW"))).toBeNull();
    expect(dailyNoteDate("2025-w25.md", settings("gggg-[w]ww"))).toBeNull();
  });
  test("invalid calendar dates are rejected", () => {
    for (const name of ["2025-02-30", "2025-02-29", "2025-13-01", "2025-00-10", "2025-04-31"]) {
      expect(dailyNoteDate(`${name}.md`, DEFAULT_DAILY_NOTES)).toBeNull();
    }
    expect(dailyNoteDate("2024-02-29.md", DEFAULT_DAILY_NOTES)).toBe("2024-02-29");
  });
  test("unsupported tokens: nothing matches, paths throw", () => {
    const s = settings("YYYY-MM-DD HH:mm");
    expect(dailyNoteDate("2025-06-17 00:00.md", s)).toBeNull();
    expect(() => dailyNotePath("2025-06-17", s)).toThrow(/unsupported HH, mm/);
  });
});

describe("dailyNotePath", () => {
  const formats = [
    settings("YYYY-MM-DD"),
    settings("YYYY-MM-DD", "Daily Notes"),
    settings("YYYY/MM/YYYY-MM-DD", "Journal/Daily"),
    settings("dddd, MMMM Do YYYY"),
    settings("[Journal] YYYY-MM-DD"),
    settings("YY-M-D"),
    settings("YYYY-DDDD ddd"),
    settings("GGGG-[W]WW-E YYYYMMDD"),
    settings("gggg [w]w do, MMM D, YYYY [Q]Qo"),
  ];
  const dates = ["2024-02-29", "2000-01-01", "2099-12-31", "2025-06-17", "2020-12-31"];
  for (let d = "2023-12-20"; d < "2025-01-10"; d = addDays(d, 3)) dates.push(d);

  test("round trips dailyNotePath → dailyNoteDate", () => {
    for (const s of formats) {
      for (const date of dates) {
        const path = dailyNotePath(date, s);
        expect(`${s.format} ${path} ${dailyNoteDate(path, s)}`).toBe(`${s.format} ${path} ${date}`);
      }
    }
  });
  test("the default path", () => {
    expect(dailyNotePath("2024-02-29", DEFAULT_DAILY_NOTES)).toBe("2024-02-29.md");
    expect(dailyNotePath("2024-02-29", settings("YYYY-MM-DD", "Daily"))).toBe(
      "Daily/2024-02-29.md",
    );
  });
  test("compileDailyNoteFormat works on bare names", () => {
    const c = compileDailyNoteFormat("MMMM D, YYYY");
    expect(c.format("2025-01-05")).toBe("January 5, 2025");
    expect(c.match("JANUARY 5, 2025")).toBe("2025-01-05");
    expect(c.match("Janvier 5, 2025")).toBeNull();
  });
});

describe("isoDateFileName", () => {
  test("a YYYY-MM-DD.md base name in any folder", () => {
    expect(isoDateFileName("2025-06-17.md")).toBe("2025-06-17");
    expect(isoDateFileName("a/b/2025-06-17.md")).toBe("2025-06-17");
    expect(isoDateFileName("a/2025-02-30.md")).toBeNull();
    expect(isoDateFileName("a/2025-06-17 notes.md")).toBeNull();
    expect(isoDateFileName("2025-06-17.md/x.md")).toBeNull();
    expect(isoDateFileName("2025-06-17.txt")).toBeNull();
  });
});
