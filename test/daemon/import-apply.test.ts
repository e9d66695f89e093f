/** import.apply through a real daemon on a real socket: outcomes, idempotency, dry runs, bad items. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { RpcClient } from "../../src/client/client.ts";
import type { ExportPage } from "../../src/protocol/import-methods.ts";
import type { ImportItem } from "../../src/protocol/import-schemas.ts";
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

const apply = (
  items: ImportItem[],
  dry_run = false,
  source: "obsidian" | "taskwarrior" | "todoist" = "taskwarrior",
) =>
  client.call("import.apply", { source, dry_run, items: items as Array<Record<string, unknown>> });

/** The whole store as export pages put together, without the fields that name the moment. */
async function snapshot() {
  const nodes: unknown[] = [];
  const links: unknown[] = [];
  let after: string | null = null;
  for (;;) {
    const page: ExportPage = await client.call("export", {
      include_deleted: true,
      after,
      limit: 50,
    });
    nodes.push(...page.nodes);
    links.push(...page.links);
    if (page.next_after === null) return { nodes, links };
    after = page.next_after;
  }
}

const task = (
  key: string,
  extra: Partial<Extract<ImportItem, { kind: "task" }>> = {},
): ImportItem => ({
  kind: "task",
  key,
  hash: `h-${key}`,
  title: `Task ${key}`,
  ...extra,
});

describe("outcomes", () => {
  test("new keys are created, the same hash is unchanged, another hash updates the same node", async () => {
    const first = await apply([
      task("a1"),
      task("a2", { attention: "red", late_on: "2026-12-01" }),
    ]);
    expect(first.results.map((r) => r.outcome)).toEqual(["created", "created"]);
    const id = first.results[1]?.id as string;
    expect((await client.call("task.get", { id })).attention).toBe("red");

    const again = await apply([
      task("a1"),
      task("a2", { attention: "red", late_on: "2026-12-01" }),
    ]);
    expect(again.results.map((r) => [r.outcome, r.id])).toEqual([
      ["unchanged", first.results[0]?.id as string],
      ["unchanged", id],
    ]);

    const changed = await apply([
      task("a2", { hash: "h2", title: "Renamed", attention: "orange" }),
    ]);
    expect(changed.results[0]).toMatchObject({ outcome: "updated", id, reason: null });
    const updated = await client.call("task.get", { id });
    expect(updated).toMatchObject({ title: "Renamed", attention: "orange", late_on: null });
    const context = await client.call("node.get", { id: updated.context_id as string });
    expect(context.title).toBe("Context: Renamed");
  });

  test("applying the same batch twice leaves the store byte for byte as it was", async () => {
    const items: ImportItem[] = [
      { kind: "project", key: "p:home", hash: "1", title: "Home", path: ["Home"] },
      {
        kind: "doc",
        key: "Notes/Seeds.md",
        hash: "1",
        title: "Seeds",
        body: "See [[Task s1]]\n",
        folder: "Notes",
        tags: ["garden"],
      },
      {
        kind: "journal",
        key: "Daily/2026-01-02.md",
        hash: "1",
        title: "2026-01-02",
        date: "2026-01-02",
        body: "Cold.\n",
      },
      task("s1", {
        project: ["Home", "Garden"],
        log: [{ at: "2026-01-03T09:00:00.000Z", text: "bought seeds" }],
      }),
      task("s2", { parent_key: "s1", state: "done", closed_at: "2026-01-04T10:00:00.000Z" }),
    ];
    const first = await apply(items, false, "obsidian");
    expect(first.results.every((r) => r.outcome === "created")).toBe(true);
    const before = await snapshot();
    clock.set("2026-11-26T11:00:00.000Z");
    const second = await apply(items, false, "obsidian");
    expect(second.results.map((r) => r.outcome)).toEqual(Array(5).fill("unchanged"));
    expect(await snapshot()).toEqual(before);
  });
});

describe("dry runs", () => {
  test("a dry run reports what would happen and writes nothing", async () => {
    const before = await snapshot();
    const dry = await apply(
      [
        task("d1"),
        task("a1", { hash: "other" }),
        task("a2", { hash: "h2", title: "Renamed", attention: "orange" }),
      ],
      true,
    );
    expect(dry.results.map((r) => [r.outcome, r.id === null])).toEqual([
      ["created", true],
      ["updated", false],
      ["unchanged", false],
    ]);
    expect(await snapshot()).toEqual(before);
    // And it really would: the same batch for real gives the same outcomes.
    const real = await apply([task("d1"), task("a1", { hash: "other" })]);
    expect(real.results.map((r) => r.outcome)).toEqual(["created", "updated"]);
  });
});

describe("bad items", () => {
  test("a bad item in a batch is skipped with a reason and the others land", async () => {
    const { results } = await apply([
      task("b1"),
      { kind: "task", key: "b2", hash: "x", title: "" } as ImportItem,
      task("b3", { recurrence: "every blue moon" }),
      task("b4", { do_date: "2026-02-30" }),
      { kind: "nope", key: "b5" } as unknown as ImportItem,
      { title: "no key" } as unknown as ImportItem,
      task("b6", { recurrence: "FREQ=DAILY;COUNT=3" }),
      task("b7"),
    ]);
    expect(results.map((r) => r.outcome)).toEqual([
      "created",
      "skipped",
      "skipped",
      "skipped",
      "skipped",
      "skipped",
      "skipped",
      "created",
    ]);
    expect(results[1]?.reason).toContain("title");
    expect(results[2]?.reason).toContain("every blue moon");
    expect(results[3]?.reason).toContain("2026-02-30");
    expect(results[5]?.key).toBe("#5");
    expect(results[6]?.reason).toContain("COUNT");
    const titles = (await client.call("list", { state: ["outstanding", "done", "dropped"] })).map(
      (t) => t.title,
    );
    expect(titles).toContain("Task b1");
    expect(titles).toContain("Task b7");
    expect(titles).not.toContain("Task b3");
  });

  test("an item that fails halfway leaves nothing of itself behind (its savepoint rolls back)", async () => {
    // The project is made first, then the rule fails: the project must not stay.
    const { results } = await apply([
      task("h1", { project: ["Halfway"], recurrence: "FREQ=HOURLY" }),
    ]);
    expect(results[0]?.outcome).toBe("skipped");
    expect((await client.call("project.list", {})).map((p) => p.name)).not.toContain("Halfway");
  });

  test("an over-large body is skipped; a tombstoned node stays deleted", async () => {
    const big = "x".repeat(8 * 1024 * 1024 + 1);
    const { results } = await apply(
      [{ kind: "doc", key: "big.md", hash: "1", title: "Big", body: big }],
      false,
      "obsidian",
    );
    expect(results[0]).toMatchObject({ outcome: "skipped" });
    expect(results[0]?.reason).toContain("body");

    const made = await apply([task("t1")]);
    await client.call("task.delete", { id: made.results[0]?.id as string });
    const again = await apply([task("t1", { hash: "new" })]);
    expect(again.results[0]?.outcome).toBe("skipped");
    expect(again.results[0]?.reason).toContain("deleted");
  });

  test("bad params are -32602 naming the field", async () => {
    const unknownSource = await failure(
      client.call("import.apply", { source: "asana" as "todoist", items: [] }),
    );
    expect(unknownSource.code).toBe(-32602);
    expect(unknownSource.message).toContain("source");
    const tooMany = await failure(
      client.call("import.apply", { source: "todoist", items: Array(1001).fill({}) }),
    );
    expect(tooMany.message).toContain("items");
  });
});
