/** The Taskwarrior mapping, pure: records in, items out (docs/reference/import-mapping.md). */
import { describe, expect, test } from "bun:test";
import { mapTaskwarrior, readTaskwarriorRecords } from "../../src/import/taskwarrior.ts";
import { taskwarriorRecurrence } from "../../src/import/taskwarrior-recur.ts";
import type { ImportItem } from "../../src/protocol/import-schemas.ts";

type Task = Extract<ImportItem, { kind: "task" }>;
const bytes = (text: string) => new TextEncoder().encode(text);
const map = (records: unknown[], timeZone = "UTC") =>
  mapTaskwarrior(
    records.map((value, i) => ({ where: `r${i + 1}`, value })),
    { timeZone },
  );
const base = { uuid: "u1", description: "Pay rent", status: "pending", entry: "20260101T090000Z" };

describe("recur periods", () => {
  test.each([
    ["daily", "FREQ=DAILY"],
    ["weekly", "FREQ=WEEKLY"],
    ["2w", "FREQ=WEEKLY;INTERVAL=2"],
    ["3d", "FREQ=DAILY;INTERVAL=3"],
    ["3 days", "FREQ=DAILY;INTERVAL=3"],
    ["weekdays", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"],
    ["biweekly", "FREQ=WEEKLY;INTERVAL=2"],
    ["monthly", "FREQ=MONTHLY"],
    ["2mo", "FREQ=MONTHLY;INTERVAL=2"],
    ["quarterly", "FREQ=MONTHLY;INTERVAL=3"],
    ["2q", "FREQ=MONTHLY;INTERVAL=6"],
    ["semiannual", "FREQ=MONTHLY;INTERVAL=6"],
    ["yearly", "FREQ=YEARLY"],
    ["annual", "FREQ=YEARLY"],
    ["biannual", "FREQ=YEARLY;INTERVAL=2"],
    ["P1M", "FREQ=MONTHLY"],
    ["P2W", "FREQ=WEEKLY;INTERVAL=2"],
  ])("%s → %s", (recur, rule) => expect(taskwarriorRecurrence(recur)).toBe(rule));

  test.each(["3h", "90min", "1.5d", "PT1H", "P1M2D", "0d", "fortnights of doom"])(
    "%s has no heph rule",
    (recur) => expect(taskwarriorRecurrence(recur)).toBeNull(),
  );
});

describe("reading an export", () => {
  test("an array, and the one-object-per-line form of older versions", () => {
    const array = readTaskwarriorRecords({
      name: "a.json",
      bytes: bytes(JSON.stringify([base, base])),
    });
    expect(array.records).toHaveLength(2);
    const lines = readTaskwarriorRecords({
      name: "b.json",
      bytes: bytes(`${JSON.stringify(base)},\n${JSON.stringify(base)}\n`),
    });
    expect(lines.records.map((r) => r.where)).toEqual(["b.json line 1", "b.json line 2"]);
  });

  test("a bad line, invalid UTF-8 or deep nesting is reported by line; the rest is read", () => {
    const good = bytes(`${JSON.stringify(base)}\n`);
    const bad = bytes("{not json\n");
    const invalid = new Uint8Array([0xff, 0xfe, 0x0a]);
    const deep = bytes(`${"[".repeat(100)}${"]".repeat(100)}\n`);
    const all = new Uint8Array([...good, ...bad, ...invalid, ...deep, ...good]);
    const read = readTaskwarriorRecords({ name: "x", bytes: all });
    expect(read.records).toHaveLength(2);
    expect(read.problems.map((p) => [p.where, p.reason.split(":")[0]])).toEqual([
      ["x line 2", "not JSON"],
      ["x line 3", "not valid UTF-8"],
      ["x line 4", "nested deeper than 32 levels"],
    ]);
  });
});

describe("mapping", () => {
  test("fields: title, nested project, priority, dates in the daemon's zone, tags, log, uuid", () => {
    const { items, problems } = map(
      [
        {
          ...base,
          project: "Home.Garden",
          priority: "H",
          due: "20261201T230000Z",
          scheduled: "20261120T000000Z",
          wait: "20261125T000000Z",
          tags: ["bills"],
          annotations: [{ entry: "20260102T100000Z", description: "asked landlord" }],
          depends: "u2,u3",
          estimate: "2h",
          urgency: 12.5,
          id: 4,
        },
      ],
      "Europe/Berlin",
    );
    expect(problems).toEqual([]);
    const task = items[0] as Task;
    expect(task).toMatchObject({
      kind: "task",
      key: "u1",
      title: "Pay rent",
      project: ["Home", "Garden"],
      attention: "red",
      late_on: "2026-12-02", // 23:00 UTC is the next day in Berlin
      do_date: "2026-11-25", // the later of scheduled and wait
      tags: ["bills"],
      created_at: "2026-01-01T09:00:00.000Z",
      log: [{ at: "2026-01-02T10:00:00.000Z", text: "asked landlord" }],
      properties: { taskwarrior: { uuid: "u1", depends: ["u2", "u3"], estimate: "2h" } },
    });
    // urgency and id move every day: they are not kept, so they do not change the hash.
    expect(JSON.stringify(task.properties)).not.toContain("urgency");
    const again = map(
      [
        {
          ...base,
          project: "Home.Garden",
          priority: "H",
          due: "20261201T230000Z",
          scheduled: "20261120T000000Z",
          wait: "20261125T000000Z",
          tags: ["bills"],
          annotations: [{ entry: "20260102T100000Z", description: "asked landlord" }],
          depends: "u2,u3",
          estimate: "2h",
          urgency: 3,
          id: 9,
        },
      ],
      "Europe/Berlin",
    );
    expect(again.items[0]?.hash).toBe(task.hash);
  });

  test("completed → done and deleted → dropped, closed when they ended", () => {
    const { items } = map([
      { ...base, uuid: "c", status: "completed", end: "20260105T000000Z" },
      { ...base, uuid: "d", status: "deleted", end: "20260106T000000Z" },
      { ...base, uuid: "w", status: "waiting", wait: "20270101T000000Z" },
    ]);
    expect(items.map((i) => [(i as Task).state, (i as Task).closed_at])).toEqual([
      ["done", "2026-01-05T00:00:00.000Z"],
      ["dropped", "2026-01-06T00:00:00.000Z"],
      ["outstanding", null],
    ]);
  });

  test("a recurring template is one rolling task; its instances fold into it", () => {
    const template = {
      ...base,
      uuid: "t",
      status: "recurring",
      recur: "weekly",
      due: "20261201T000000Z",
      until: "20271231T000000Z",
    };
    const instances = [
      {
        ...base,
        uuid: "i1",
        status: "completed",
        parent: "t",
        recur: "weekly",
        due: "20261201T000000Z",
        end: "20261201T180000Z",
      },
      {
        ...base,
        uuid: "i2",
        status: "pending",
        parent: "t",
        recur: "weekly",
        due: "20261208T000000Z",
      },
    ];
    const { items, notes } = map([template, ...instances]);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      key: "t",
      state: "outstanding",
      recurrence: "FREQ=WEEKLY;UNTIL=20271231",
      do_date: "2026-12-08",
      late_on: null,
      log: [
        {
          at: "2026-12-01T18:00:00.000Z",
          text: "done in Taskwarrior: the occurrence due 2026-12-01",
        },
      ],
    });
    expect(notes).toEqual([]);
  });

  test("a period heph cannot express is imported without recurrence, and said so", () => {
    const { items, notes } = map([
      { ...base, status: "recurring", recur: "3h", due: "20261201T000000Z" },
    ]);
    expect(items[0]).toMatchObject({ recurrence: null, late_on: "2026-12-01" });
    expect(notes[0]?.message).toContain("recur:3h");
  });

  test("a record that does not fit is a problem naming the field; long descriptions keep their text", () => {
    const long = `${"x".repeat(1200)}\nsecond line`;
    const { items, problems } = map([
      { uuid: "z", status: "nonsense" },
      { ...base, uuid: "l", description: long },
    ]);
    expect(problems[0]?.where).toBe("r1");
    expect(problems[0]?.reason).toContain("status");
    expect((items[0] as Task).title).toHaveLength(1000);
    expect((items[0] as Task).body).toBe(`${long}\n`);
  });
});
