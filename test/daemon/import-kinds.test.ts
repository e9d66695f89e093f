/** import.apply per kind: journals meeting journals, projects by path, logs, parents, checklist lines. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { RpcClient } from "../../src/client/client.ts";
import type { ImportItem } from "../../src/protocol/import-schemas.ts";
import { manualClock, startTestDaemon, type TestDaemon } from "../helpers/daemon.ts";

const clock = manualClock("2026-11-26T10:00:00.000Z");
let daemon: TestDaemon;
let client: RpcClient;

beforeAll(async () => {
  daemon = await startTestDaemon(clock, "UTC");
  client = new RpcClient(daemon.paths.socket);
});
afterAll(async () => {
  client.close();
  await daemon.stop();
});

type Source = "obsidian" | "taskwarrior" | "todoist";
const apply = async (items: ImportItem[], source: Source = "obsidian") =>
  (await client.call("import.apply", { source, items: items as Array<Record<string, unknown>> }))
    .results;
const one = async (item: ImportItem, source: Source = "obsidian") =>
  (await apply([item], source))[0] as NonNullable<Awaited<ReturnType<typeof apply>>[number]>;

describe("docs", () => {
  test("a doc keeps its folder, tags, aliases, properties and creation time", async () => {
    const result = await one({
      kind: "doc",
      key: "Garden/Beds.md",
      hash: "1",
      title: "Beds",
      body: "Raised beds.\n",
      folder: "Garden",
      tags: ["garden"],
      aliases: ["Raised beds"],
      properties: { status: "draft" },
      created_at: "2023-04-05T06:07:08.000Z",
    });
    const node = await client.call("node.get", { id: result.id as string });
    expect(node).toMatchObject({
      kind: "doc",
      title: "Beds",
      folder: "Garden",
      tags: ["garden"],
      aliases: ["Raised beds"],
      properties: { status: "draft" },
      created_at: "2023-04-05T06:07:08.000Z",
    });
    // Its id is of its creation time, so ids still sort by creation.
    expect(node.id < (await client.call("node.create", { kind: "doc", title: "new" })).id).toBe(
      true,
    );
  });
});

describe("journals", () => {
  test("a new date makes a journal; an empty journal of that date is adopted", async () => {
    const made = await one({
      kind: "journal",
      key: "Daily/2026-03-01.md",
      hash: "1",
      title: "x",
      date: "2026-03-01",
      body: "Rain.\n",
    });
    expect(made.outcome).toBe("created");
    expect((await client.call("journal.get", { date: "2026-03-01" })).id).toBe(made.id as string);

    const empty = await client.call("journal.get", { date: "2026-03-02" });
    const adopted = await one({
      kind: "journal",
      key: "Daily/2026-03-02.md",
      hash: "1",
      title: "x",
      date: "2026-03-02",
      body: "Sun.\n",
      tags: ["weather"],
    });
    expect(adopted).toMatchObject({ outcome: "updated", id: empty.id });
    expect(await client.call("node.get", { id: empty.id })).toMatchObject({
      body: "Sun.\n",
      tags: ["weather"],
      title: "2026-03-02",
    });
  });

  test("a journal with text of its own gets the import appended under a marked section, replaced on re-import", async () => {
    const own = await client.call("journal.get", { date: "2026-03-03" });
    await client.call("node.update", { id: own.id, body: "Written in heph.\n", tags: ["mine"] });
    const key = "Daily/2026-03-03.md";
    const first = await one({
      kind: "journal",
      key,
      hash: "1",
      title: "x",
      date: "2026-03-03",
      body: "From the vault.\n",
      tags: ["vault"],
    });
    expect(first).toMatchObject({ outcome: "updated", id: own.id });
    const merged = await client.call("node.get", { id: own.id });
    expect(merged.body).toBe(
      `Written in heph.\n\n---\n<!-- imported from obsidian: ${key} -->\nFrom the vault.\n`,
    );
    expect(merged.tags).toEqual(["mine", "vault"]);

    // A changed source replaces its own section and nothing else.
    await one({
      kind: "journal",
      key,
      hash: "2",
      title: "x",
      date: "2026-03-03",
      body: "From the vault, edited.\n",
    });
    expect((await client.call("node.get", { id: own.id })).body).toBe(
      `Written in heph.\n\n---\n<!-- imported from obsidian: ${key} -->\nFrom the vault, edited.\n`,
    );

    // Text written after the section in heph is not the import's: it stays, the new one follows.
    await client.call("node.append", { id: own.id, text: "Later note." });
    const third = await one({
      kind: "journal",
      key,
      hash: "3",
      title: "x",
      date: "2026-03-03",
      body: "Third.\n",
    });
    expect(third.warnings?.[0]).toContain("edited");
    const body = (await client.call("node.get", { id: own.id })).body;
    expect(body).toContain("Written in heph.");
    expect(body).toContain("From the vault, edited.");
    expect(body).toContain("Later note.");
    expect(body.endsWith("Third.\n")).toBe(true);
  });
});

describe("projects by path", () => {
  test("nested paths are created once and reused ignoring case; a name taken elsewhere is qualified", async () => {
    await client.call("project.create", { name: "Work" });
    const results = await apply(
      [
        { kind: "task", key: "p1", hash: "1", title: "Prune", project: ["Home", "Garden"] },
        { kind: "task", key: "p2", hash: "1", title: "Mow", project: ["home", "GARDEN"] },
        { kind: "task", key: "p3", hash: "1", title: "File taxes", project: ["work", "Admin"] },
        { kind: "task", key: "p4", hash: "1", title: "Fix the bin", project: ["Home", "Admin"] },
      ],
      "taskwarrior",
    );
    const tasks = await Promise.all(
      results.map((r) => client.call("task.get", { id: r.id as string })),
    );
    expect(tasks.map((t) => t.project)).toEqual(["Garden", "Garden", "Admin", "Admin (Home)"]);
    const paths = (await client.call("project.list", {})).map((p) => p.path.join("/"));
    expect(paths).toEqual(
      expect.arrayContaining(["Home/Garden", "Work/Admin", "Home/Admin (Home)"]),
    );
    expect(paths.filter((p) => p === "Home/Garden")).toHaveLength(1);
  });

  test("a project item adopts the project heph has, and moves it when its path changes", async () => {
    const adopted = await one(
      {
        kind: "project",
        key: "tp:1",
        hash: "1",
        title: "Garden",
        path: ["Home", "Garden"],
        body: "Beds and lawn.",
      },
      "todoist",
    );
    expect(adopted.outcome).toBe("updated");
    const created = await one(
      { kind: "project", key: "tp:2", hash: "1", title: "Trips", path: ["Trips"] },
      "todoist",
    );
    expect(created.outcome).toBe("created");
    const moved = await one(
      { kind: "project", key: "tp:2", hash: "2", title: "Journeys", path: ["Home", "Journeys"] },
      "todoist",
    );
    expect(moved).toMatchObject({ outcome: "updated", id: created.id });
    const project = (await client.call("project.list", {})).find((p) => p.id === created.id);
    expect(project?.path).toEqual(["Home", "Journeys"]);
  });
});

describe("tasks", () => {
  const base: Extract<ImportItem, { kind: "task" }> = {
    kind: "task",
    key: "tw-1",
    hash: "1",
    title: "Renew passport",
    state: "done",
    closed_at: "2025-02-01T12:00:00.000Z",
    created_at: "2025-01-01T08:00:00.000Z",
    attention: "orange",
    tags: ["admin"],
    properties: { taskwarrior: { uuid: "tw-1" } },
    log: [
      { at: "2025-01-05T09:00:00.000Z", text: "photos taken" },
      { at: "2025-01-06T09:00:00.000Z", text: "photos taken" },
    ],
  };

  test("state, dates, log (dated as in the source) and creation time are kept", async () => {
    const result = await one(base, "taskwarrior");
    const task = await client.call("task.get", { id: result.id as string });
    expect(task).toMatchObject({
      state: "done",
      closed_at: "2025-02-01T12:00:00.000Z",
      created_at: "2025-01-01T08:00:00.000Z",
      attention: "orange",
      tags: ["admin"],
      properties: { taskwarrior: { uuid: "tw-1" } },
    });
    const log = await client.call("log.tail", { id: task.id, limit: 100 });
    expect(log.map((e) => [e.kind, e.text, e.at])).toEqual([
      ["created", "", "2025-01-01T08:00:00.000Z"],
      ["note", "photos taken", "2025-01-05T09:00:00.000Z"],
      ["note", "photos taken", "2025-01-06T09:00:00.000Z"],
      ["done", "", "2025-02-01T12:00:00.000Z"],
    ]);
  });

  test("a re-import appends only log entries the task has not got, and logs a state change", async () => {
    const result = await one(
      {
        ...base,
        hash: "2",
        state: "outstanding",
        closed_at: null,
        log: [...(base.log ?? []), { at: "2025-03-01T09:00:00.000Z", text: "appointment booked" }],
      },
      "taskwarrior",
    );
    expect(result.outcome).toBe("updated");
    const log = await client.call("log.tail", { id: result.id as string, limit: 100 });
    expect(log.map((e) => [e.kind, e.text])).toEqual([
      ["created", ""],
      ["note", "photos taken"],
      ["note", "photos taken"],
      ["done", ""],
      ["note", "appointment booked"],
      ["reopened", ""],
    ]);
    expect((await client.call("task.get", { id: result.id as string })).state).toBe("outstanding");
  });

  test("a recurring outstanding task without a do-date starts at its first occurrence", async () => {
    const result = await one(
      { kind: "task", key: "r1", hash: "1", title: "Water", recurrence: "FREQ=WEEKLY;BYDAY=MO" },
      "taskwarrior",
    );
    expect(await client.call("task.get", { id: result.id as string })).toMatchObject({
      recurrence: "FREQ=WEEKLY;BYDAY=MO",
      do_date: "2026-11-30",
    });
  });

  test("sub-tasks link to their parent task with a subtask-of link; a missing parent is a warning", async () => {
    const [parent, child, orphan] = await apply(
      [
        { kind: "task", key: "parent", hash: "1", title: "Move house" },
        { kind: "task", key: "child", hash: "1", title: "Book the van", parent_key: "parent" },
        { kind: "task", key: "orphan", hash: "1", title: "Alone", parent_key: "nobody" },
      ],
      "todoist",
    );
    const out = await client.call("links.out", { id: child?.id as string });
    expect(out.find((l) => l.type === "subtask-of")?.dst).toBe(parent?.id as string);
    expect(orphan?.outcome).toBe("created");
    expect(orphan?.warnings?.[0]).toContain("nobody");
    // Once the parent arrives, applying the child again (even unchanged) links it.
    await apply([{ kind: "task", key: "nobody", hash: "1", title: "Late parent" }], "todoist");
    const again = await one(
      { kind: "task", key: "orphan", hash: "1", title: "Alone", parent_key: "nobody" },
      "todoist",
    );
    expect(again).toMatchObject({ outcome: "unchanged", warnings: [] });
  });

  test("from_line links the note's checklist line to the task, once; a line that is gone is a warning", async () => {
    const [note] = await apply([
      {
        kind: "doc",
        key: "Lists/Shop.md",
        hash: "1",
        title: "Shop",
        body: "- [ ] Buy milk\n- [ ] Buy eggs\n- [ ] Buy milk\n",
      },
    ]);
    const line = { key: "Lists/Shop.md", text: "- [ ] Buy milk" };
    const [milk] = await apply([
      { kind: "task", key: "Lists/Shop.md#milk", hash: "1", title: "Buy milk", from_line: line },
    ]);
    const body = `- [ ] [[${milk?.id}]] Buy milk\n- [ ] Buy eggs\n- [ ] Buy milk\n`;
    expect((await client.call("node.get", { id: note?.id as string })).body).toBe(body);
    const back = await client.call("links.back", { id: milk?.id as string });
    expect(back.map((l) => l.src)).toContain(note?.id as string);
    // Applied again (changed task), the line is not linked twice.
    await apply([
      { kind: "task", key: "Lists/Shop.md#milk", hash: "2", title: "Buy milk!", from_line: line },
    ]);
    expect((await client.call("node.get", { id: note?.id as string })).body).toBe(body);
    const [gone] = await apply([
      {
        kind: "task",
        key: "Lists/Shop.md#bread",
        hash: "1",
        title: "Buy bread",
        from_line: { key: "Lists/Shop.md", text: "- [ ] Buy bread" },
      },
    ]);
    expect(gone?.outcome).toBe("created");
    expect(gone?.warnings?.[0]).toContain("Buy bread");
  });
});
