/**
 * The Todoist mappings, pure, on files written from Todoist's own documentation:
 * - the project template CSV: Todoist Help, "Format a CSV file to import into Todoist"
 *   (https://todoist.com/help/articles/format-a-csv-file-to-import-into-todoist-UVUXTmm6) and
 *   "Import or export a project as a CSV file" (…/import-or-export-a-project-as-a-csv-file-in-todoist-YC8YvN):
 *   columns TYPE, CONTENT, DESCRIPTION, PRIORITY (1 = p1 highest … 4 = p4), INDENT (1 = top,
 *   2 = sub-task…), AUTHOR, RESPONSIBLE, DATE, DATE_LANG, TIMEZONE, DURATION, DURATION_UNIT,
 *   DEADLINE, DEADLINE_LANG; TYPE task, section or note (a comment on the task above);
 *   @label in CONTENT adds a label;
 * - the Sync API backup: Todoist Sync API v9 reference (https://developer.todoist.com/sync/v9):
 *   projects (parent_id, inbox_project), sections, labels, items (priority 4 = p1, due
 *   {date, is_recurring, string}, deadline, parent_id, checked), notes and project_notes.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { readTodoist } from "../../src/import/todoist.ts";
import type { ImportItem } from "../../src/protocol/import-schemas.ts";

type Task = Extract<ImportItem, { kind: "task" }>;
const fixtures = join(import.meta.dir, "../fixtures/todoist");
const options = {
  today: "2026-11-26",
  timeZone: "Europe/Berlin",
  fileTime: "2026-11-20T12:00:00.000Z",
};
const read = (file: string) =>
  readTodoist({ name: file, bytes: readFileSync(join(fixtures, file)) }, options);
const byTitle = (items: ImportItem[], title: string) =>
  items.find((i) => i.title === title) as Task;

describe("the CSV template", () => {
  const { items, problems, notes } = read("Home.csv");

  test("the file is the project, sections are sub-projects", () => {
    expect(problems).toEqual([]);
    expect(
      items.filter((i) => i.kind === "project").map((p) => (p as { path: string[] }).path),
    ).toEqual([["Home"], ["Home", "Garden"]]);
    expect(byTitle(items, "Prune roses").project).toEqual(["Home", "Garden"]);
    expect(byTitle(items, "Pay rent").project).toEqual(["Home"]);
  });

  test("priorities p1–p4, labels, descriptions, dates and recurrence, sub-tasks and notes", () => {
    expect(byTitle(items, "Pay rent")).toMatchObject({
      attention: "red",
      tags: ["bills"],
      body: "Transfer to the landlord",
      recurrence: "FREQ=MONTHLY",
      log: [{ at: "2026-11-20T12:00:00.000Z", text: "Paid by card in March" }],
      properties: { todoist: { author: "Evan (14781400)", timezone: "Europe/Berlin" } },
    });
    expect(byTitle(items, "Call plumber")).toMatchObject({
      attention: "orange",
      body: 'Leaking tap, "urgent"',
      do_date: "2026-12-03",
      late_on: "2026-12-10",
      properties: { todoist: { duration: "30", duration_unit: "minute" } },
    });
    expect(byTitle(items, "Buy washers")).toMatchObject({
      attention: "white",
      parent_key: byTitle(items, "Call plumber").key,
    });
    expect(byTitle(items, "Prune roses")).toMatchObject({
      attention: "blue",
      recurrence: "FREQ=WEEKLY;BYDAY=MO",
    });
    // An empty PRIORITY is no priority in heph (Todoist's help says p1; see the mapping page).
    expect(byTitle(items, "Mow").attention).toBe("white");
    expect(notes).toEqual([]);
  });

  test("the hash is of the rows as written: the same file maps to the same hashes on another day", () => {
    const later = readTodoist(
      { name: "Home.csv", bytes: readFileSync(join(fixtures, "Home.csv")) },
      { ...options, today: "2027-03-01", fileTime: "2027-03-01T00:00:00.000Z" },
    );
    expect(later.items.map((i) => i.hash)).toEqual(items.map((i) => i.hash));
  });

  test("a row of an unknown TYPE or a note with no task is a problem by row; bad UTF-8 is one for the file", () => {
    const text = "TYPE,CONTENT\nnote,orphan\nchore,x\ntask,ok\n";
    const out = readTodoist({ name: "X.csv", bytes: new TextEncoder().encode(text) }, options);
    expect(out.problems.map((p) => p.where)).toEqual(["X.csv row 2", "X.csv row 3"]);
    expect(out.items.map((i) => i.title)).toEqual(["X", "ok"]);
    const bad = readTodoist({ name: "Y.csv", bytes: new Uint8Array([0xc3, 0x28]) }, options);
    expect(bad.problems[0]?.reason).toContain("UTF-8");
  });
});

describe("the Sync API backup", () => {
  const { items, problems } = read("backup.json");

  test("projects nest by parent_id, sections are sub-projects, the Inbox is no project", () => {
    const paths = items
      .filter((i) => i.kind === "project")
      .map((p) => (p as { path: string[] }).path.join("/"));
    expect(paths).toEqual(["Work", "Work/Clients", "Work/Clients/Next"]);
    expect(byTitle(items, "Think about lunch").project).toBeNull();
    expect(items.find((i) => i.key === "project:2203306141")?.body).toBe(
      "2026-10-01: All paid work.\n",
    );
  });

  test("API priorities are inverted (4 = p1 = red); due → do-date, deadline → late-on, recurrence from the due string", () => {
    expect(byTitle(items, "Send invoice")).toMatchObject({
      key: "item:2995104339",
      attention: "red",
      do_date: "2026-12-01",
      late_on: "2026-12-05",
      recurrence: "FREQ=MONTHLY",
      project: ["Work", "Clients", "Next"],
      tags: ["calls"],
      body: "For November",
      created_at: "2026-11-01T09:00:00.000Z",
      log: [{ at: "2026-11-02T08:00:00.000Z", text: "Asked for the PO number" }],
    });
    expect(byTitle(items, "Attach timesheet")).toMatchObject({
      attention: "white",
      state: "done",
      closed_at: "2026-11-02T10:00:00.000Z",
      parent_key: "item:2995104339",
    });
    // A fixed-zone due time is a date in the daemon's zone: 23:30 UTC is the 3rd in Berlin.
    expect(byTitle(items, "Think about lunch")).toMatchObject({
      attention: "blue",
      do_date: "2026-12-03",
    });
  });

  test("a record that does not fit is reported by its place, the rest imported", () => {
    expect(problems.map((p) => p.where)).toEqual(["backup.json items[3]"]);
    expect(problems[0]?.reason).toContain("priority");
  });
});
