/** export pages and store.backup through a real daemon, real socket, real SQLite file. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { RpcClient } from "../../src/client/client.ts";
import { startDaemon } from "../../src/daemon/run.ts";
import type { ExportPage } from "../../src/protocol/import-methods.ts";
import { ExportDocument } from "../../src/protocol/import-schemas.ts";
import { HEPH_APPLICATION_ID, LATEST_SCHEMA_VERSION } from "../../src/store/migrations.ts";
import { manualClock, startTestDaemon, type TestDaemon } from "../helpers/daemon.ts";
import { failure } from "../helpers/rpc.ts";
import { tempPaths } from "../helpers/tmp.ts";

const clock = manualClock("2026-11-26T10:00:00.000Z");
let daemon: TestDaemon;
let client: RpcClient;
let taskId: string;
let deletedId: string;

beforeAll(async () => {
  daemon = await startTestDaemon(clock, "UTC");
  client = new RpcClient(daemon.paths.socket);
  const task = await client.call("task.add", { line: "Pay rent p1 #Home every month" });
  taskId = task.id;
  await client.call("log.append", { id: taskId, text: "paid by card" });
  await client.call("node.create", { kind: "doc", title: "Rent", body: "See [[Pay rent]] #money" });
  deletedId = (await client.call("node.create", { kind: "doc", title: "Gone" })).id;
  await client.call("node.delete", { id: deletedId });
  await client.call("import.apply", {
    source: "todoist",
    items: [{ kind: "task", key: "42", hash: "1", title: "Imported", folder: null }],
  });
  for (let i = 0; i < 7; i++)
    await client.call("node.create", { kind: "doc", title: `Filler ${i}` });
});
afterAll(async () => {
  client.close();
  await daemon.stop();
});

async function allPages(include_deleted: boolean, limit: number) {
  const pages = [];
  let after: string | null = null;
  do {
    const page: ExportPage = await client.call("export", { include_deleted, after, limit });
    pages.push(page);
    after = page.next_after;
  } while (after !== null);
  return pages;
}

describe("export", () => {
  test("pages in id order put together make one document; tombstones only when asked", async () => {
    const pages = await allPages(false, 3);
    expect(pages.length).toBeGreaterThan(2);
    const nodes = pages.flatMap((p) => p.nodes);
    const ids = nodes.map((n) => n.id);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).not.toContain(deletedId);
    expect(new Set(pages.map((p) => p.store_changes)).size).toBe(1);
    const { next_after: _n, store_changes: _s, ...head } = pages[0] as (typeof pages)[number];
    const document = { ...head, nodes, links: pages.flatMap((p) => p.links) };
    expect(ExportDocument.safeParse(document).success).toBe(true);
    expect(document).toMatchObject({
      format: "heph-export",
      format_version: 1,
      schema_version: LATEST_SCHEMA_VERSION,
      include_deleted: false,
    });

    const task = nodes.find((n) => n.id === taskId);
    expect(task?.task).toMatchObject({
      state: "outstanding",
      attention: "red",
      recurrence: "FREQ=MONTHLY",
      parent_id: null,
    });
    expect(task?.task?.log.map((e) => e.kind)).toEqual(["created", "note"]);
    const project = nodes.find((n) => n.id === task?.task?.project_id);
    expect(project).toMatchObject({ kind: "project", title: "Home", project: { parent_id: null } });
    expect(nodes.find((n) => n.id === task?.task?.context_id)?.title).toBe("Context: Pay rent");
    expect(nodes.find((n) => n.title === "Imported")?.sources).toEqual([
      { source: "todoist", key: "42" },
    ]);
    const rent = nodes.find((n) => n.title === "Rent");
    expect(
      document.links.filter((l) => l.src === rent?.id).map((l) => [l.type, l.target, l.dst]),
    ).toEqual([
      ["tag", "money", null],
      ["wiki", "Pay rent", taskId],
    ]);

    const withDeleted = (await allPages(true, 1000)).flatMap((p) => p.nodes);
    expect(withDeleted.find((n) => n.id === deletedId)?.deleted_at).not.toBeNull();
  });

  test("a write between pages moves store_changes, so a client can tell the pages apart", async () => {
    const first = await client.call("export", { limit: 2 });
    await client.call("node.create", { kind: "doc", title: "Meanwhile" });
    const second = await client.call("export", { after: first.next_after, limit: 2 });
    expect(second.store_changes).not.toBe(first.store_changes);
  });
});

describe("store.backup", () => {
  test("writes a 0600 copy that passes integrity_check and is a heph store a daemon can serve", async () => {
    const path = join(daemon.paths.dir, "backup.db");
    const report = await client.call("store.backup", { path });
    expect(report).toMatchObject({
      path,
      ok: true,
      integrity: ["ok"],
      application_id: HEPH_APPLICATION_ID,
      schema_version: LATEST_SCHEMA_VERSION,
    });
    expect(report.bytes).toBe(statSync(path).size);
    expect(statSync(path).mode & 0o777).toBe(0o600);

    const paths = tempPaths();
    const copy = await startDaemon({
      db: path,
      socket: paths.socket,
      log: paths.log,
      timeZone: "UTC",
    });
    const other = new RpcClient(paths.socket);
    try {
      expect((await other.call("task.get", { id: taskId })).title).toBe("Pay rent");
    } finally {
      other.close();
      await copy.stop("test");
      paths.cleanup();
    }
  });

  test("an existing file is refused unless force; a relative path or a missing directory is refused", async () => {
    const path = join(daemon.paths.dir, "taken.db");
    writeFileSync(path, "mine");
    const taken = await failure(client.call("store.backup", { path }));
    expect(taken.code).toBe(-32002);
    expect(taken.message).toContain("force");
    expect((await client.call("store.backup", { path, force: true })).ok).toBe(true);

    const relative = await failure(client.call("store.backup", { path: "backup.db" }));
    expect(relative.code).toBe(-32602);
    expect(relative.message).toContain("absolute");
    const nowhere = await failure(client.call("store.backup", { path: "/nonexistent-dir/b.db" }));
    expect(nowhere.message).toContain("does not exist");
    expect(existsSync("backup.db")).toBe(false);
  });
});
