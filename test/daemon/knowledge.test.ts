/** Docs, links, frontmatter, journals, tags and search through a real daemon. */
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
});
afterAll(async () => {
  client.close();
  await daemon.stop();
});

const doc = (title: string, body = "", extra: { aliases?: string[]; tags?: string[] } = {}) =>
  client.call("node.create", { kind: "doc", title, body, ...extra });
const out = async (id: string) =>
  (await client.call("links.out", { id })).filter((l) => l.type === "wiki");
const back = async (id: string) =>
  (await client.call("links.back", { id })).map((l) => l.src_title).sort();

describe("wiki links are derived from bodies", () => {
  test("links resolve by id, alias and title; removed links leave backlinks; unresolved ones wait", async () => {
    const garden = await doc("Garden", "", { aliases: ["The Plot"] });
    const compost = await doc("Compost");
    const note = await doc(
      "Spring plan",
      `See [[Garden]], [[the plot|our plot]], [[${compost.id}]] and [[Seeds#Order]].\n\`[[not a link]]\`\n`,
    );
    const links = await out(note.id);
    expect(links.map((l) => [l.target, l.dst])).toEqual([
      [compost.id, compost.id],
      ["Garden", garden.id],
      ["Seeds", null],
      ["the plot", garden.id],
    ]);
    expect(await back(garden.id)).toEqual(["Spring plan", "Spring plan"]);

    // An unresolved target resolves by itself when a node with that title appears.
    expect((await client.call("links.unresolved", {})).map((u) => u.target)).toContain("Seeds");
    const seeds = await doc("Seeds");
    expect(await back(seeds.id)).toEqual(["Spring plan"]);
    expect((await client.call("links.unresolved", {})).map((u) => u.target)).not.toContain("Seeds");

    // Editing the body re-derives: a removed link disappears from backlinks.
    await client.call("node.update", { id: note.id, body: `Only [[${compost.id}]] now.` });
    expect(await back(garden.id)).toEqual([]);
    expect(await back(compost.id)).toEqual(["Spring plan"]);

    // Renaming the target keeps id links working; title links re-resolve.
    await client.call("node.update", { id: compost.id, title: "Compost heap" });
    expect(await back(compost.id)).toEqual(["Spring plan"]);
  });

  test("deleting a target unresolves its links; node.resolve is exact", async () => {
    const target = await doc("Ephemeral");
    const source = await doc("Pointer", "[[Ephemeral]]");
    expect((await out(source.id))[0]?.dst).toBe(target.id);
    await client.call("node.delete", { id: target.id });
    expect((await out(source.id))[0]?.dst).toBeNull();
    expect(await client.call("node.resolve", { title: "Ephemeral" })).toBeNull();
    expect((await client.call("node.resolve", { title: "the plot" }))?.title).toBe("Garden");
    expect(await client.call("node.resolve", { title: "Gard" })).toBeNull();
  });

  test("links.add takes free types only", async () => {
    const a = await doc("Alpha");
    const b = await doc("Beta");
    const link = await client.call("links.add", { src: a.id, type: "related", dst: b.id });
    expect(link).toMatchObject({ type: "related", dst: b.id, dst_title: "Beta" });
    expect(
      (await failure(client.call("links.add", { src: a.id, type: "wiki", dst: b.id }))).message,
    ).toContain("derived");
    expect(
      (await failure(client.call("links.add", { src: a.id, type: "in-project", dst: b.id })))
        .message,
    ).toContain("managed");
  });
});

describe("frontmatter is a projection of fields", () => {
  test("node.get renders it; writing it back applies it and keeps it out of the body", async () => {
    const node = await doc("Reading list", "- Dune\n", { aliases: ["books"], tags: ["leisure"] });
    const shown = await client.call("node.get", { id: node.id, frontmatter: true });
    expect(shown.body.startsWith("---\n")).toBe(true);
    expect(shown.body).toContain("title: Reading list");
    expect(shown.body).toContain("books");
    expect(shown.body.endsWith("- Dune\n")).toBe(true);
    const edited = shown.body
      .replace("title: Reading list", "title: Books to read")
      .replace("- leisure", "- leisure\n  - library");
    const saved = await client.call("node.update", {
      id: node.id,
      body: edited,
      base_updated_at: shown.updated_at,
    });
    expect(saved).toMatchObject({
      title: "Books to read",
      aliases: ["books"],
      tags: ["leisure", "library"],
      body: "- Dune\n",
    });
  });

  test("unknown keys are kept as properties; a task's fields apply through the task rules", async () => {
    const created = await client.call("node.create", {
      kind: "doc",
      body: "---\ntitle: Imported\nstatus: draft\ncreated: 2024-01-02\n---\nText\n",
    });
    expect(created).toMatchObject({
      title: "Imported",
      body: "Text\n",
      properties: { status: "draft", created: "2024-01-02" },
    });
    const task = await client.call("task.create", { title: "Frontmatter task" });
    const text = (await client.call("node.get", { id: task.id, frontmatter: true })).body;
    await client.call("node.update", {
      id: task.id,
      body: text.replace("attention: white", "attention: red\ndo_date: 2026-12-01"),
    });
    expect(await client.call("task.get", { id: task.id })).toMatchObject({
      attention: "red",
      do_date: "2026-12-01",
    });
    const bad = await failure(
      client.call("node.update", { id: task.id, body: "---\nattention: purple\n---\n" }),
    );
    expect(bad.code).toBe(-32602);
    const broken = await failure(
      client.call("node.update", { id: created.id, body: "---\ntitle: [unclosed\n---\n" }),
    );
    expect(broken.message).toContain("frontmatter");
  });

  test("a write against a newer version is refused with the current version", async () => {
    const node = await doc("Contested", "v1");
    await client.call("node.update", { id: node.id, body: "v2" });
    const conflict = await failure(
      client.call("node.update", { id: node.id, body: "mine", base_updated_at: node.updated_at }),
    );
    expect(conflict.kind).toBe("conflict");
    expect((conflict.data as { current: { body: string } }).current.body).toBe("v2");
  });

  test("checklist items are derived on request", async () => {
    const node = await doc("Packing", "- [x] socks\n- [ ] tent\n```\n- [ ] not this\n```\n");
    const shown = await client.call("node.get", { id: node.id, checklist: true });
    expect(shown.checklist?.map((item) => [item.checked, item.text])).toEqual([
      [true, "socks"],
      [false, "tent"],
    ]);
  });
});

describe("tags, journals, search", () => {
  test("tag.add and tag.remove; inline #tags are indexed as tag links", async () => {
    const node = await doc("Tagged", "Work on #garden/beds and C# code");
    expect((await client.call("tag.add", { id: node.id, tag: "#outdoors" })).tags).toEqual([
      "outdoors",
    ]);
    expect((await client.call("tag.remove", { id: node.id, tag: "outdoors" })).tags).toEqual([]);
    const inline = (await client.call("links.out", { id: node.id }))
      .filter((l) => l.type === "tag")
      .map((l) => l.target);
    expect(inline).toEqual(["garden/beds"]);
  });

  test("journal.get gives one node per date, also under concurrent calls", async () => {
    const [a, b, c] = await Promise.all([
      client.call("journal.get", {}),
      client.call("journal.get", { date: "2026-11-26" }),
      client.call("journal.get", { date: "today" }),
    ]);
    expect(a.title).toBe("2026-11-26");
    expect(b.id).toBe(a.id);
    expect(c.id).toBe(a.id);
    expect((await client.call("journal.get", { date: "yesterday" })).title).toBe("2026-11-25");
    expect((await failure(client.call("journal.get", { date: "2026-02-30" }))).code).toBe(-32602);
  });

  test("search ranks, marks snippets, filters by kind, and survives hostile queries", async () => {
    await doc("Tomatoes", "How to grow tomatoes in a small garden.");
    await doc("Notes", "Mention of tomatoes once.");
    const hits = await client.call("search", { query: "tomatoes" });
    expect(hits[0]?.title).toBe("Tomatoes");
    expect(hits.some((h) => h.snippet.includes("[tomatoes]"))).toBe(true);
    expect((await client.call("search", { query: "tomat" })).length).toBeGreaterThan(0);
    expect(await client.call("search", { query: "tomatoes", kind: "journal" })).toEqual([]);
    for (const hostile of [
      'foo"bar',
      "AND",
      "NEAR(",
      "*",
      "-",
      "'; DROP TABLE nodes; --",
      "((((",
      ":",
    ]) {
      expect(Array.isArray(await client.call("search", { query: hostile }))).toBe(true);
    }
  });
});

describe("edges found in review", () => {
  test("a link resolved by folded case moves to an exact match that appears later", async () => {
    const lower = await doc("budget");
    const note = await doc("Money", "[[Budget]]");
    expect((await out(note.id))[0]?.dst).toBe(lower.id);
    const exact = await doc("Budget");
    expect((await out(note.id))[0]?.dst).toBe(exact.id);
  });

  test("unique names hold: a second journal for a date, or a project renamed onto another", async () => {
    const journal = await client.call("journal.get", { date: "2026-11-20" });
    const twice = await failure(
      client.call("node.create", { kind: "journal", title: "2026-11-20" }),
    );
    expect(twice.kind).toBe("conflict");
    expect(
      (await failure(client.call("node.create", { kind: "journal", title: "Monday" }))).code,
    ).toBe(-32602);
    expect(
      (await failure(client.call("node.update", { id: journal.id, title: "2026-11-21" }))).code,
    ).toBe(-32602);
    await client.call("project.create", { name: "Alpha project" });
    const beta = await client.call("project.create", { name: "Beta project" });
    const clash = await failure(
      client.call("node.update", { id: beta.id, title: "alpha project" }),
    );
    expect(clash.kind).toBe("conflict");
  });

  test("renaming a task through its frontmatter renames its context doc too", async () => {
    const task = await client.call("task.create", { title: "Old name" });
    const text = (await client.call("node.get", { id: task.id, frontmatter: true })).body;
    await client.call("node.update", {
      id: task.id,
      body: text.replace("title: Old name", "title: New name"),
    });
    const context = await client.call("node.get", { id: task.context_id as string });
    expect(context.title).toBe("Context: New name");
  });

  test("a typed link to a deleted node is no longer listed; a multi-line title in frontmatter is refused", async () => {
    const a = await doc("Holder");
    const b = await doc("Gone soon");
    await client.call("links.add", { src: a.id, type: "related", dst: b.id });
    await client.call("node.delete", { id: b.id });
    expect(
      (await client.call("links.out", { id: a.id })).filter((l) => l.type === "related"),
    ).toEqual([]);
    const bad = await failure(
      client.call("node.update", { id: a.id, body: '---\ntitle: "two\\nlines"\n---\n' }),
    );
    expect(bad.code).toBe(-32602);
  });

  test("task-named keys in a doc's frontmatter are kept as properties", async () => {
    const created = await client.call("node.create", {
      kind: "doc",
      body: "---\ntitle: Vault note\nproject: Garden\n---\ntext\n",
    });
    expect(created.properties).toEqual({ project: "Garden" });
  });
});
