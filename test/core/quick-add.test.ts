import { describe, expect, test } from "bun:test";
import { parseQuickAdd, type QuickAdd, QuickAddError } from "../../src/core/quick-add.ts";

// Thursday. Tomorrow is 2026-11-27 (Fri); the next Monday is 2026-11-30.
const context = {
  today: "2026-11-26",
  projects: ["Home", "Home Improvement", "Work", "Side Project"],
};

/** The full expected result: every field not given is null. */
function task(title: string, fields: Partial<Omit<QuickAdd, "title">> = {}): QuickAdd {
  return {
    title,
    do_date: null,
    late_on: null,
    attention: null,
    project: null,
    recurrence: null,
    ...fields,
  };
}

const MONTHLY = "FREQ=MONTHLY";
const WEEKDAYS = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR";

const cases: [string, QuickAdd][] = [
  // The BRIEF's example.
  [
    "Pay rent tomorrow p1 #Home every month",
    task("Pay rent", {
      do_date: "2026-11-27",
      attention: "red",
      project: "Home",
      recurrence: MONTHLY,
    }),
  ],
  // Projects.
  ["Fix sink #Home Improvement", task("Fix sink", { project: "Home Improvement" })],
  [
    "Fix sink #home improvement friday",
    task("Fix sink", { project: "Home Improvement", do_date: "2026-11-27" }),
  ],
  ["Fix sink #Home", task("Fix sink", { project: "Home" })],
  ["#Home Improvements list", task("Improvements list", { project: "Home" })],
  ["Buy milk #Side Project p4", task("Buy milk", { project: "Side Project", attention: "white" })],
  ["#work Prepare slides", task("Prepare slides", { project: "Work" })],
  ["Plant bulbs #Garden", task("Plant bulbs", { project: "Garden" })],
  ['Plan #"New Thing" launch', task("Plan launch", { project: "New Thing" })],
  ["Plan #[Big Idea] next week", task("Plan", { project: "Big Idea", do_date: "2026-12-03" })],
  ['Sort #"side project" notes', task("Sort notes", { project: "Side Project" })],
  ["Move #Home then #Work", task("Move then", { project: "Work" })],
  // Things that look like projects but are not.
  [
    "Read https://x.org/page#top today",
    task("Read https://x.org/page#top", { do_date: "2026-11-26" }),
  ],
  ["Fix issue #123", task("Fix issue #123")],
  ["Learn C# basics", task("Learn C# basics")],
  ["Parse a#b c", task("Parse a#b c")],
  // Dates that are not dates.
  ["Call May about taxes", task("Call May about taxes")],
  ["March with the band", task("March with the band")],
  ["Call at 5", task("Call at 5")],
  ["Buy 3/4 cup flour", task("Buy 3/4 cup flour")],
  ["Sat exam prep", task("Sat exam prep")],
  ["Stand by me", task("Stand by me")],
  ["Pay the amount due", task("Pay the amount due")],
  ["Fix p10 bug", task("Fix p10 bug")],
  // Do-dates.
  ["Meet May 5", task("Meet", { do_date: "2027-05-05" })],
  ["Meet 5 may", task("Meet", { do_date: "2027-05-05" })],
  ["Ship 2026-12-01", task("Ship", { do_date: "2026-12-01" })],
  ["2026-12-01 Ship build", task("Ship build", { do_date: "2026-12-01" })],
  ["Validate 2026-02-30 input", task("Validate 2026-02-30 input")],
  ["Review +3d", task("Review", { do_date: "2026-11-29" })],
  ["Renew passport in 2 weeks", task("Renew passport", { do_date: "2026-12-10" })],
  ["Call Bob on monday", task("Call Bob", { do_date: "2026-11-30" })],
  ["Bake cake dec 24", task("Bake cake", { do_date: "2026-12-24" })],
  ["Call at 5 tomorrow", task("Call at 5", { do_date: "2026-11-27" })],
  ["Clean garage end of month", task("Clean garage", { do_date: "2026-11-30" })],
  ["Watch the sun rise next sat", task("Watch the sun rise", { do_date: "2026-11-28" })],
  // Late-on.
  [
    "Submit report due friday p2",
    task("Submit report", { late_on: "2026-11-27", attention: "orange" }),
  ],
  ["Ship by 2026-12-01", task("Ship", { late_on: "2026-12-01" })],
  ["File taxes due in 3 days", task("File taxes", { late_on: "2026-11-29" })],
  ["Return book late sat", task("Return book", { late_on: "2026-11-28" })],
  ["Start monday due friday", task("Start", { do_date: "2026-11-30", late_on: "2026-11-27" })],
  ["Due tomorrow essay", task("essay", { late_on: "2026-11-27" })],
  // Recurrence.
  ["Write daily report", task("Write daily report")],
  ["Water plants daily", task("Water plants", { recurrence: "FREQ=DAILY" })],
  [
    "Water plants daily tomorrow",
    task("Water plants", { recurrence: "FREQ=DAILY", do_date: "2026-11-27" }),
  ],
  ["Weekly review #Work", task("Weekly review", { project: "Work" })],
  ["Stretch every 3 days", task("Stretch", { recurrence: "FREQ=DAILY;INTERVAL=3" })],
  [
    "Pay card every month on the 31st",
    task("Pay card", { recurrence: "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1" }),
  ],
  ["Standup every weekday", task("Standup", { recurrence: WEEKDAYS })],
  ["Standup weekdays", task("Standup", { recurrence: WEEKDAYS })],
  [
    "Gym every mon, wed, fri p3",
    task("Gym", { recurrence: "FREQ=WEEKLY;BYDAY=MO,WE,FR", attention: "blue" }),
  ],
  ["Every morning stretch", task("Every morning stretch")],
  ["Chores every 0 days", task("Chores every 0 days")],
  ["Mow lawn RRULE:FREQ=WEEKLY;BYDAY=SA", task("Mow lawn", { recurrence: "FREQ=WEEKLY;BYDAY=SA" })],
  // Attention, position and case.
  ["p1 Call mom", task("Call mom", { attention: "red" })],
  ["Call p2 mom", task("Call mom", { attention: "orange" })],
  ["Call mom p3", task("Call mom", { attention: "blue" })],
  ["Call mom p1 p4", task("Call mom", { attention: "white" })],
  [
    "TOMORROW Call Mom P3 #WORK",
    task("Call Mom", { do_date: "2026-11-27", attention: "blue", project: "Work" }),
  ],
  [
    "EVERY WEEK Sync #HOME IMPROVEMENT P2",
    task("Sync", { recurrence: "FREQ=WEEKLY", project: "Home Improvement", attention: "orange" }),
  ],
  // Quotes and whitespace.
  ['Say "tomorrow p1 #Home" aloud', task("Say tomorrow p1 #Home aloud")],
  ['"Every day" by Feist tomorrow', task("Every day by Feist", { do_date: "2026-11-27" })],
  ['Print "  two  spaces  " today', task("Print   two  spaces  ", { do_date: "2026-11-26" })],
  ["  Buy   milk   tomorrow  ", task("Buy milk", { do_date: "2026-11-27" })],
  ["Buy\tmilk\n#Home", task("Buy milk", { project: "Home" })],
];

describe("parseQuickAdd (today is Thursday 2026-11-26)", () => {
  test("the table is big enough", () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  test.each(cases)("%p", (line, expected) => {
    expect(parseQuickAdd(line, context)).toEqual(expected);
  });
});

describe("errors", () => {
  test.each(["p1 #Home tomorrow", "", "   ", "daily", "every monday p2", "#Work"])(
    "%p has no title left",
    (line) => {
      expect(() => parseQuickAdd(line, context)).toThrow(QuickAddError);
    },
  );

  test("the message says why and how to keep words", () => {
    expect(() => parseQuickAdd("p1 #Home tomorrow", context)).toThrow(
      /needs a title.*"p1 #Home tomorrow".*double quotes/,
    );
  });

  test("a quoted token is a title", () => {
    expect(parseQuickAdd('"p1" tomorrow', context)).toEqual(task("p1", { do_date: "2026-11-27" }));
  });
});

describe("context", () => {
  test("no known projects: the single word after # is the project", () => {
    expect(parseQuickAdd("Fix sink #Home Improvement", { ...context, projects: [] })).toEqual(
      task("Fix sink Improvement", { project: "Home" }),
    );
  });

  test("dates follow `today`", () => {
    expect(parseQuickAdd("Plan tomorrow", { ...context, today: "2026-12-31" }).do_date).toBe(
      "2027-01-01",
    );
    expect(parseQuickAdd("Plan friday", { ...context, today: "2026-11-27" }).do_date).toBe(
      "2026-12-04",
    );
  });
});
