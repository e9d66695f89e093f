/** node.list and tag.list (titles and tags by prefix) through a real daemon. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { RpcClient } from "../../src/client/client.ts";
import { manualClock, startTestDaemon, type TestDaemon } from "../helpers/daemon.ts";
import { failure } from "../helpers/rpc.ts";

const clock = manualClock("2026-11-26T10:00:00.000Z");
let daemon: TestDaemon;
let client: RpcClient;

beforeAll(async () => {
  daemon = await startTestDaemon(clock, "UTC");
  client = new RpcClient(daemon.paths.socket);
  const doc = (title: string, body = "", tags: string[] = []) =>
    client.call("node.create", { kind: "doc", title, body, tags });
  await doc("Meeting notes", "Agenda #work and #planning");
  await doc("meal plan", "", ["food", "planning"]);
  await doc("100% done_list");
  await doc("100 other");
  const gone = await doc("Meeting archive", "#work");
  await client.call("node.delete", { id: gone.id });
  await client.call("journal.get", { date: "2026-11-25" });
  await client.call("task.create", { title: "Meet the plumber", tags: ["home"] });
});
afterAll(async () => {
  client.close();
  await daemon.stop();
});

const titles = async (params: Parameters<typeof client.call<"node.list">>[1]) =>
  (await client.call("node.list", params)).map((node) => node.title);

describe("node.list", () => {
  test("titles by prefix, ASCII case ignored, ordered by title, live nodes only", async () => {
    expect(await titles({ title_prefix: "mee" })).toEqual(["Meet the plumber", "Meeting notes"]);
    expect(await titles({ title_prefix: "MEE", kind: "doc" })).toEqual(["Meeting notes"]);
    expect(await titles({ title_prefix: "m", kind: ["doc", "task"] })).toEqual([
      "meal plan",
      "Meet the plumber",
      "Meeting notes",
    ]);
    expect(await titles({ kind: "journal" })).toEqual(["2026-11-25"]);
  });

  test("% and _ in the prefix are plain characters", async () => {
    expect(await titles({ title_prefix: "100%" })).toEqual(["100% done_list"]);
    expect(await titles({ title_prefix: "100% done_" })).toEqual(["100% done_list"]);
    expect(await titles({ title_prefix: "10_" })).toEqual([]);
  });

  test("a task's context doc only with include_contexts; id, kind and title only", async () => {
    expect(await titles({ title_prefix: "Context" })).toEqual([]);
    expect(await titles({ title_prefix: "Context", include_contexts: true })).toEqual([
      "Context: Meet the plumber",
    ]);
    const [node] = await client.call("node.list", { title_prefix: "Meeting" });
    expect(Object.keys(node ?? {}).sort()).toEqual(["id", "kind", "title"]);
  });

  test("limit, and invalid params", async () => {
    expect(await titles({ limit: 2 })).toHaveLength(2);
    expect((await failure(client.call("node.list", { limit: 0 }))).code).toBe(-32602);
    expect((await failure(client.call("node.list", { kind: "note" as "doc" }))).data).toMatchObject(
      { kind: "invalid_params" },
    );
  });
});

describe("tag.list", () => {
  test("tags of the tags field and inline #tags, counted per live node, most used first", async () => {
    expect(await client.call("tag.list", {})).toEqual([
      { tag: "planning", count: 2 },
      { tag: "food", count: 1 },
      { tag: "home", count: 1 },
      // the deleted doc's #work is not counted
      { tag: "work", count: 1 },
    ]);
  });

  test("by prefix (a leading # dropped, ASCII case ignored), with a limit", async () => {
    expect(await client.call("tag.list", { prefix: "#PL" })).toEqual([
      { tag: "planning", count: 2 },
    ]);
    expect(await client.call("tag.list", { prefix: "x" })).toEqual([]);
    expect(await client.call("tag.list", { limit: 1 })).toEqual([{ tag: "planning", count: 2 }]);
  });

  test("both are described by rpc.discover as read-only", async () => {
    const doc = await client.call("rpc.discover", {});
    const described = doc.methods.filter((m) => m.name === "node.list" || m.name === "tag.list");
    expect(described.map((m) => [m.name, m["x-mutates"]])).toEqual([
      ["node.list", false],
      ["tag.list", false],
    ]);
  });
});
