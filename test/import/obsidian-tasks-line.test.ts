/**
 * The Obsidian Tasks emoji format, one line at a time. The first table holds lines from a real
 * vault; the rules are the plugin's (Tasks docs, "Tasks Emoji Format": fields only at the end of
 * the line, in any order, tags mixed in).
 */
import { describe, expect, test } from "bun:test";
import { parseTasksLine, type TasksLine } from "../../src/import/obsidian/tasks-line.ts";

const today = "2025-06-15";
const BLANK: TasksLine = {
  status: " ",
  description: "",
  state: "outstanding",
  attention: "white",
  due: null,
  scheduled: null,
  start: null,
  created: null,
  done: null,
  cancelled: null,
  recurrenceText: null,
  recurrence: null,
  whenDone: false,
  taskId: null,
  dependsOn: [],
  onCompletion: null,
  blockId: null,
  problems: [],
};
/** The whole expected record: BLANK with these fields. */
const fields = (changes: Partial<TasksLine>): TasksLine => ({ ...BLANK, ...changes });

describe("lines from a real vault, global filter #task", () => {
  const cases: [string, Partial<TasksLine>][] = [
    [
      "- [ ] #task I do have a different due date than the heading value 📅 2023-07-10",
      { description: "I do have a different due date than the heading value", due: "2023-07-10" },
    ],
    [
      "- [x] #task Something about s.th. ⏳ 2021-11-21 ✅ 2021-11-21",
      {
        status: "x",
        state: "done",
        description: "Something about s.th.",
        scheduled: "2021-11-21",
        done: "2021-11-21",
      },
    ],
    [
      "- [/] #task This was Tasks format ⏫ 🔁 every day 🛫 2023-04-05 ⏳ 2023-04-06 📅 2023-04-07",
      {
        status: "/",
        description: "This was Tasks format",
        attention: "red",
        recurrenceText: "every day",
        recurrence: "FREQ=DAILY",
        start: "2023-04-05",
        scheduled: "2023-04-06",
        due: "2023-04-07",
      },
    ],
    [
      "- [ ] #task Is a recurring task 🔁 every day when done",
      {
        description: "Is a recurring task",
        recurrenceText: "every day when done",
        recurrence: "FREQ=DAILY",
        whenDone: true,
      },
    ],
    [
      "- [ ] #task Remove completed instance of this recurring task when done 🔁 every day 🏁 delete",
      {
        description: "Remove completed instance of this recurring task when done",
        recurrenceText: "every day",
        recurrence: "FREQ=DAILY",
        onCompletion: "delete",
      },
    ],
    [
      "- [ ] #task Take out the trash 🔁 every week on Monday ➕ 2024-02-19 📅 2024-03-04",
      {
        description: "Take out the trash",
        recurrenceText: "every week on Monday",
        recurrence: "FREQ=WEEKLY;BYDAY=MO",
        created: "2024-02-19",
        due: "2024-03-04",
      },
    ],
    [
      "- [ ] #task Feed the baby 🔽 📅 2021-11-21",
      { description: "Feed the baby", due: "2021-11-21" },
    ],
    [
      "- [ ] #task A 1 Some task - with Tasks emoji at end of line 📅2021-08-22",
      { description: "A 1 Some task - with Tasks emoji at end of line", due: "2021-08-22" },
    ],
    [
      "- [ ] #task A 2 Some task - with Tasks emoji in 📅2021-08-22 middle of line - dataview finds the date, Tasks does not",
      {
        description:
          "A 2 Some task - with Tasks emoji in 📅2021-08-22 middle of line - dataview finds the date, Tasks does not",
      },
    ],
    [
      "- [/] #task Task with every field set 🆔 y3yryw ⛔ c5mw2c,2ypqea 🔺 🔁 every April and December on the 1st and 24th ➕ 2024-04-27 🛫 2024-04-28 ⏳ 2024-04-29 📅 2024-04-30",
      {
        status: "/",
        description: "Task with every field set",
        attention: "red",
        taskId: "y3yryw",
        dependsOn: ["c5mw2c", "2ypqea"],
        recurrenceText: "every April and December on the 1st and 24th",
        created: "2024-04-27",
        start: "2024-04-28",
        scheduled: "2024-04-29",
        due: "2024-04-30",
        problems: [
          '🔁 "every April and December on the 1st and 24th": heph cannot express this recurrence; imported without one',
        ],
      },
    ],
  ];
  test.each(cases)("%s", (line, expected) => {
    expect(parseTasksLine(line, { today, globalFilter: "#task" })).toEqual(fields(expected));
  });
});

describe("more lines, no global filter", () => {
  const cases: [string, Partial<TasksLine>][] = [
    [
      "- [ ] #task Pay rent 📅 2025-06-20 ⏳ 2025-06-18 🔁 every month ⏫",
      {
        description: "#task Pay rent",
        due: "2025-06-20",
        scheduled: "2025-06-18",
        recurrenceText: "every month",
        recurrence: "FREQ=MONTHLY",
        attention: "red",
      },
    ],
    // statuses and list markers
    ["- [X] Capital x", { status: "X", state: "done", description: "Capital x" }],
    [
      "- [-] Cancelled the trip ❌ 2025-06-01",
      { status: "-", state: "dropped", description: "Cancelled the trip", cancelled: "2025-06-01" },
    ],
    ["- [?] A question status", { status: "?", description: "A question status" }],
    ["* [ ] Star marker", { description: "Star marker" }],
    ["+ [/] Plus marker", { status: "/", description: "Plus marker" }],
    ["12. [ ] Numbered", { description: "Numbered" }],
    ["    - [ ] Indented 📅 2025-07-01", { description: "Indented", due: "2025-07-01" }],
    ["\t- [x] Tab indented", { status: "x", state: "done", description: "Tab indented" }],
    ["> - [ ] In a callout", { description: "In a callout" }],
    ["- [ ]Tight   spacing\there", { description: "Tight spacing here" }],
    ["- [ ]", {}],
    ["- [ ] 📅 2025-06-20 ⏫", { due: "2025-06-20", attention: "red" }],
    // priorities
    ["- [ ] Medium 🔼", { description: "Medium", attention: "orange" }],
    ["- [ ] Low 🔽", { description: "Low" }],
    ["- [ ] Lowest ⏬", { description: "Lowest", attention: "blue" }],
    ["- [ ] Highest 🔺", { description: "Highest", attention: "red" }],
    // the other emoji of a field, the variation selector, no space before or after the emoji
    ["- [ ] Calendar 📆 2025-06-20", { description: "Calendar", due: "2025-06-20" }],
    ["- [ ] Spiral 🗓️ 2025-06-20", { description: "Spiral", due: "2025-06-20" }],
    [
      "- [ ] Hourglass ⌛ 2025-06-18 ⏳️ 2025-06-19 ⏫️",
      { description: "Hourglass", scheduled: "2025-06-18", attention: "red" },
    ],
    ["- [ ] Glued📅2025-06-20", { description: "Glued", due: "2025-06-20" }],
    // a field given twice: the leftmost wins, as in Tasks
    ["- [ ] Twice 📅 2025-01-01 📅 2025-02-02", { description: "Twice", due: "2025-01-01" }],
    // dates Tasks takes off the line but that are not real days
    [
      "- [ ] Bad date 📅 2025-13-40",
      {
        description: "Bad date",
        problems: ['📅 "2025-13-40": not a real date; imported without a due date'],
      },
    ],
    [
      "- [x] No 30 February ✅ 2025-02-30 ⏳ 2025-02-01",
      {
        status: "x",
        state: "done",
        description: "No 30 February",
        scheduled: "2025-02-01",
        problems: ['✅ "2025-02-30": not a real date; imported without a done date'],
      },
    ],
    // not fields: text after them, or no date after the emoji
    ["- [ ] Pay 📅 2025-06-20 please", { description: "Pay 📅 2025-06-20 please" }],
    ["- [ ] Read 📅 tomorrow", { description: "Read 📅 tomorrow" }],
    // tags among the fields stay in the description, in order
    [
      "- [ ] Call mum #family 📅 2025-06-20 #phone ⏫",
      { description: "Call mum #family #phone", due: "2025-06-20", attention: "red" },
    ],
    // block ids
    [
      "- [ ] Water plants 📅 2025-06-20 ^abc-1",
      { description: "Water plants", due: "2025-06-20", blockId: "abc-1" },
    ],
    ["- [ ] Plain task ^ref", { description: "Plain task", blockId: "ref" }],
    // ids and dependencies
    [
      "- [ ] Second step ⛔ a1, b_2 🆔 step-2",
      { description: "Second step", dependsOn: ["a1", "b_2"], taskId: "step-2" },
    ],
    // recurrences
    [
      "- [ ] Standup 🔁 every weekday when done",
      {
        description: "Standup",
        recurrenceText: "every weekday when done",
        recurrence: "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        whenDone: true,
      },
    ],
    [
      "- [ ] Gym 🔁 every week on Monday, Friday",
      {
        description: "Gym",
        recurrenceText: "every week on Monday, Friday",
        recurrence: "FREQ=WEEKLY;BYDAY=MO,FR",
      },
    ],
    [
      "- [ ] Review 🔁 every 2 weeks on Tuesday",
      {
        description: "Review",
        recurrenceText: "every 2 weeks on Tuesday",
        recurrence: "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
      },
    ],
    [
      "- [ ] Invoice 🔁 every month on the 1st",
      {
        description: "Invoice",
        recurrenceText: "every month on the 1st",
        recurrence: "FREQ=MONTHLY;BYMONTHDAY=1",
      },
    ],
    [
      "- [ ] Rent 🔁 every month on the last",
      {
        description: "Rent",
        recurrenceText: "every month on the last",
        recurrence: "FREQ=MONTHLY;BYMONTHDAY=-1",
      },
    ],
    [
      "- [ ] Filter 🔁 every 3 months",
      {
        description: "Filter",
        recurrenceText: "every 3 months",
        recurrence: "FREQ=MONTHLY;INTERVAL=3",
      },
    ],
    [
      "- [ ] Club 🔁 every month on the 2nd Wednesday",
      {
        description: "Club",
        recurrenceText: "every month on the 2nd Wednesday",
        problems: [
          '🔁 "every month on the 2nd Wednesday": heph cannot express this recurrence; imported without one',
        ],
      },
    ],
    ["- [ ] Windows line 📅 2025-06-20\r", { description: "Windows line", due: "2025-06-20" }],
  ];
  test.each(cases)("%s", (line, expected) => {
    expect(parseTasksLine(line, { today })).toEqual(fields(expected));
  });
});

describe("lines that are not checklist items", () => {
  const lines = [
    "",
    "Just some text 📅 2025-06-20",
    "- A plain list item",
    "-[ ] No space after the marker",
    "[ ] No list marker",
    "- [] An empty box",
    "- [  ] Two spaces in the box",
    "1) [ ] A parenthesis marker",
    "## - [ ] A heading",
  ];
  test.each(lines)("%p", (line) => {
    expect(parseTasksLine(line, { today })).toBeNull();
  });
});

describe("the global filter", () => {
  const line = "- [ ] #task Water the #tasks plants #task 📅 2025-06-20 #task";
  test("is removed as a whole word wherever it stands", () => {
    expect(parseTasksLine(line, { today, globalFilter: "#task" })?.description).toBe(
      "Water the #tasks plants",
    );
  });
  test("without one, #task is an ordinary tag", () => {
    for (const globalFilter of [undefined, null, "", "  "]) {
      expect(parseTasksLine(line, { today, globalFilter })?.description).toBe(
        "#task Water the #tasks plants #task #task",
      );
    }
  });
  test("a line without the filter is still parsed; the caller decides what to import", () => {
    expect(parseTasksLine("- [ ] Untagged", { today, globalFilter: "#task" })).toEqual(
      fields({ description: "Untagged" }),
    );
  });
  test("a CRLF line loses its \\r before anything else", () => {
    expect(
      parseTasksLine("- [x] #task Done ✅ 2025-06-01\r", { today, globalFilter: "#task" }),
    ).toEqual(fields({ status: "x", state: "done", description: "Done", done: "2025-06-01" }));
  });
});
