/** node.complete and task.promote, the methods heph.nvim needs, through a real daemon. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { RpcClient } from "../../src/client/client.ts";
import { linkLine } from "../../src/daemon/editor-handlers.ts";
import { manualClock, startTestDaemon, type TestDaemon } from "../helpers/daemon.ts";
import { failure } from "../helpers/rpc.ts";

const clock = manualClock("2026-11-26T10:00:00.000Z");
let daemon: TestDaemon;
let client: RpcClient;

beforeAll(async () => {
  daemon = await startTestDaemon(clock, "UTC");
  client = new RpcClient(daemon.paths.socket);
  for (const [title, aliases] of [
    ["Garden", ["The plot"]],
    ["Garlic", []],
    ["garage sale", []],
    ["Vegetable garden", []],
    ["Reading list", ["books", "Gardening books"]],
  ] as const) {
    await client.call("node.create", { kind: "doc", title, aliases: [...aliases] });
  }
});
afterAll(async () => {
  client.close();
  await daemon.stop();
});

const complete = async (query: string, extra: { limit?: number; kind?: "doc" | "task" } = {}) =>
  (await client.call("node.complete", { query, ...extra })).map((c) => [
    c.match,
    c.alias ?? c.title,
  ]);

describe("node.complete", () => {
  test("titles and aliases starting with the query, ignoring case, then containing it", async () => {
    expect(await complete("gar")).toEqual([
      ["title", "garage sale"],
      ["title", "Garden"],
      ["alias", "Gardening books"],
      ["title", "Garlic"],
      ["contains", "Vegetable garden"],
    ]);
    expect(await complete("the P")).toEqual([["alias", "The plot"]]);
    expect(await complete("ing b")).toEqual([["contains", "Gardening books"]]);
    expect(await complete("ooks")).toEqual([
      ["contains", "books"],
      ["contains", "Gardening books"],
    ]);
  });

  test("limit cuts; an empty query lists titles in order; kind filters", async () => {
    expect(await complete("gar", { limit: 2 })).toEqual([
      ["title", "garage sale"],
      ["title", "Garden"],
    ]);
    expect((await complete("", { limit: 3 })).length).toBe(3);
    expect(await complete("gar", { kind: "task" })).toEqual([]);
  });

  test("deleted nodes are not offered; % and _ are ordinary characters", async () => {
    const gone = await client.call("node.create", { kind: "doc", title: "Garbage" });
    await client.call("node.delete", { id: gone.id });
    expect((await complete("garb")).length).toBe(0);
    await client.call("node.create", { kind: "doc", title: "100% done" });
    expect(await complete("100%")).toEqual([["title", "100% done"]]);
    expect(await complete("_")).toEqual([]);
    expect(await complete("0%")).toEqual([["contains", "100% done"]]);
  });
});

describe("task.promote", () => {
  test("the line becomes a quick-added task and gets ` [[<task id>]]`, in one write", async () => {
    const doc = await client.call("node.create", {
      kind: "doc",
      title: "Trip",
      body: "# Trip\n\n- [ ] Book flights tomorrow p2 #Travel  \n- [x] Pack\n",
    });
    const task = await client.call("task.promote", {
      id: doc.id,
      line: 3,
      base_updated_at: doc.updated_at,
    });
    expect(task).toMatchObject({
      title: "Book flights",
      do_date: "2026-11-27",
      attention: "orange",
      project: "Travel",
      state: "outstanding",
    });
    const after = await client.call("node.get", { id: doc.id });
    expect(after.body).toBe(
      `# Trip\n\n- [ ] Book flights tomorrow p2 #Travel [[${task.id}]]\n- [x] Pack\n`,
    );
    const back = await client.call("links.back", { id: task.id });
    expect(back.map((link) => link.src)).toEqual([doc.id]);
  });

  test("refused: not an item, ticked, already a task, stale base; nothing is written", async () => {
    const doc = await client.call("node.create", {
      kind: "doc",
      title: "Chores",
      body: "Intro\n- [x] Done thing\n- [ ] Sweep\n```\n- [ ] in code\n```\n",
    });
    expect((await failure(client.call("task.promote", { id: doc.id, line: 1 }))).kind).toBe(
      "invalid_params",
    );
    expect((await failure(client.call("task.promote", { id: doc.id, line: 5 }))).kind).toBe(
      "invalid_params",
    );
    expect((await failure(client.call("task.promote", { id: doc.id, line: 2 }))).kind).toBe(
      "invalid_state",
    );
    const task = await client.call("task.promote", { id: doc.id, line: 3 });
    const again = await failure(client.call("task.promote", { id: doc.id, line: 3 }));
    expect(again.kind).toBe("invalid_state");
    expect(again.data).toMatchObject({ task: task.id });
    const stale = await failure(
      client.call("task.promote", { id: doc.id, line: 3, base_updated_at: doc.updated_at }),
    );
    expect(stale.kind).toBe("conflict");
    const tasks = await client.call("list", {});
    expect(tasks.filter((t) => t.title === "Sweep")).toHaveLength(1);
  });

  test("linkLine keeps every other byte and line ending", () => {
    expect(linkLine("a\r\n- [ ] b \t\r\nc", 2, "X")).toBe("a\r\n- [ ] b [[X]]\r\nc");
    expect(linkLine("- [ ] only", 1, "X")).toBe("- [ ] only [[X]]");
  });
});
