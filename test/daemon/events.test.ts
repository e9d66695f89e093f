/** Live events through a real daemon on a real socket: who is told, what, and when not. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { RpcClient } from "../../src/client/client.ts";
import { EventHub } from "../../src/daemon/events.ts";
import type { Logger } from "../../src/daemon/log.ts";
import type { Peer } from "../../src/daemon/peer.ts";
import { encodeLine } from "../../src/protocol/framing.ts";
import { openStore } from "../../src/store/store.ts";
import { startTestDaemon, type TestDaemon } from "../helpers/daemon.ts";
import { RawConnection, type Reply } from "../helpers/raw-socket.ts";
import { failure } from "../helpers/rpc.ts";
import { tempDir } from "../helpers/tmp.ts";

let daemon: TestDaemon;
let writer: RpcClient;
const opened: RawConnection[] = [];

beforeAll(async () => {
  daemon = await startTestDaemon();
  writer = new RpcClient(daemon.paths.socket);
});
afterAll(async () => {
  for (const connection of opened) connection.end();
  writer.close();
  await daemon.stop();
});

async function connection(): Promise<RawConnection> {
  const raw = await RawConnection.open(daemon.paths.socket);
  opened.push(raw);
  return raw;
}

async function subscriber(): Promise<RawConnection> {
  const raw = await connection();
  const reply = await raw.call("events.subscribe", {});
  expect(reply.result).toEqual({
    subscribed: true,
    events: ["node.changed", "task.changed", "events.overflow"],
  });
  return raw;
}

/**
 * Every notification this connection was sent so far. Notifications are written when the write
 * commits, before the writer's reply, so once the writer has its reply they are queued ahead of
 * the answer to this probe: what comes before the probe's reply is all there is.
 */
let probes = 0;
async function received(raw: RawConnection): Promise<Reply[]> {
  const id = `probe-${++probes}`;
  await raw.send({ jsonrpc: "2.0", id, method: "daemon.info" });
  const lines: Reply[] = [];
  for (;;) {
    const line = await raw.next();
    if (line.id === id) return lines;
    lines.push(line);
  }
}

const methodsOf = (lines: Reply[]) => lines.map((line) => line.method);

describe("events.subscribe", () => {
  test("a write on another connection is announced with id, kind, title and updated_at", async () => {
    const raw = await subscriber();
    const node = await writer.call("node.create", { kind: "doc", title: "Seeds" });
    const lines = await received(raw);
    expect(lines).toEqual([
      {
        jsonrpc: "2.0",
        method: "node.changed",
        params: { id: node.id, kind: "doc", title: "Seeds", updated_at: node.updated_at },
      },
    ]);
    expect(lines[0]).not.toHaveProperty("id");
  });

  test("every subscriber is told; an unsubscribed or never-subscribed connection is not", async () => {
    const [a, b, leaver, bystander] = [
      await subscriber(),
      await subscriber(),
      await subscriber(),
      await connection(),
    ];
    expect((await leaver.call("events.unsubscribe", {})).result.subscribed).toBe(false);
    const node = await writer.call("node.create", { kind: "doc", title: "Compost" });
    for (const raw of [a, b]) {
      const lines = await received(raw);
      expect(lines.map((line) => line.params.id)).toEqual([node.id]);
    }
    expect(await received(leaver)).toEqual([]);
    expect(await received(bystander)).toEqual([]);
  });

  test("subscribing twice is one subscription", async () => {
    const raw = await subscriber();
    await raw.call("events.subscribe", {});
    await writer.call("node.create", { kind: "doc", title: "Twice" });
    expect(methodsOf(await received(raw))).toEqual(["node.changed"]);
  });

  test("a refused, failed or rolled-back write announces nothing", async () => {
    const raw = await subscriber();
    const doc = await writer.call("node.create", { kind: "doc", title: "Stable" });
    const task = await writer.call("task.create", { title: "Stable task" });
    await received(raw); // the creations themselves
    // A conflict: the base version is stale.
    await writer.call("node.update", { id: doc.id, body: "one" });
    expect(methodsOf(await received(raw))).toEqual(["node.changed"]);
    await failure(
      writer.call("node.update", { id: doc.id, body: "two", base_updated_at: doc.updated_at }),
    );
    // Frontmatter that does not parse; a verb in the wrong state.
    await failure(writer.call("node.update", { id: doc.id, body: "---\ntitle: [\n---\n" }));
    await writer.call("task.done", { id: task.id });
    expect(methodsOf(await received(raw))).toEqual(["node.changed", "task.changed"]);
    await failure(writer.call("task.done", { id: task.id }));
    // Rolled back half-way: the node's body is written, then a task field is refused.
    await failure(
      writer.call("node.update", {
        id: task.id,
        body: "---\ntitle: Renamed\nattention: purple\n---\nnew body\n",
      }),
    );
    expect(await received(raw)).toEqual([]);
    expect((await writer.call("node.get", { id: task.id })).title).toBe("Stable task");
  });

  test("a deleted node carries deleted: true", async () => {
    const raw = await subscriber();
    const doc = await writer.call("node.create", { kind: "doc", title: "Ephemeral" });
    await received(raw);
    const gone = await writer.call("node.delete", { id: doc.id });
    expect((await received(raw)).map((line) => line.params)).toEqual([
      { id: doc.id, kind: "doc", title: "Ephemeral", updated_at: gone.updated_at, deleted: true },
    ]);
  });

  test("task.done of a recurring task announces the task and its reset checklist", async () => {
    const raw = await subscriber();
    const task = await writer.call("task.create", { title: "Water plants", recurrence: "daily" });
    const contextId = task.context_id as string;
    await writer.call("node.update", { id: contextId, body: "- [x] pots\n- [x] beds\n" });
    await received(raw);
    await writer.call("task.done", { id: task.id });
    const lines = await received(raw);
    const after = await writer.call("task.get", { id: task.id });
    expect(lines.map((line) => [line.method, line.params.id]).sort()).toEqual(
      [
        ["node.changed", contextId],
        ["node.changed", task.id],
        ["task.changed", task.id],
      ].sort(),
    );
    expect(lines.find((line) => line.method === "task.changed")?.params).toEqual({
      id: task.id,
      title: "Water plants",
      state: "outstanding",
      attention: "white",
      do_date: after.do_date,
      late_on: null,
      project: null,
      context_id: contextId,
      updated_at: after.updated_at,
    });
  });

  test("a batch announces each entry as it commits; a failing entry announces nothing", async () => {
    const raw = await subscriber();
    const other = await connection();
    await other.send([
      { id: 1, method: "node.create", params: { kind: "doc", title: "Batch one" } },
      { id: 2, method: "node.update", params: { id: "01M8C72QWBAAAAAAAAAAAAAAAA", body: "x" } },
      { id: 3, method: "node.create", params: { kind: "doc", title: "Batch two" } },
    ]);
    await other.next();
    const titles = (await received(raw)).map((line) => line.params.title);
    expect(titles).toEqual(["Batch one", "Batch two"]);
  });

  test("rpc.discover lists the notifications", async () => {
    const doc = await writer.call("rpc.discover", {});
    expect(doc["x-notifications"].map((n) => n.name)).toEqual([
      "node.changed",
      "task.changed",
      "events.overflow",
    ]);
  });
});

/** A connection whose client reads nothing until told to. */
class StalledPeer implements Peer {
  readonly id = 7;
  queuedBytes = 0;
  lines: Reply[] = [];
  private drained: Array<() => void> = [];
  push(line: Uint8Array) {
    this.queuedBytes += line.length;
    this.lines.push(JSON.parse(new TextDecoder().decode(line)));
  }
  onceDrained(listener: () => void) {
    this.drained.push(listener);
  }
  whenClosed() {}
  readEverything() {
    this.queuedBytes = 0;
    const waiting = this.drained;
    this.drained = [];
    for (const listener of waiting) listener();
  }
}

describe("a subscriber that does not read", () => {
  const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, close() {} } as Logger;

  test("has notifications dropped past the bound, then one events.overflow once it reads", () => {
    const dir = tempDir();
    const store = openStore(join(dir.path, "heph.db"), () => new Date());
    try {
      const line = encodeLine({ jsonrpc: "2.0", method: "node.changed", params: {} }).length;
      const hub = new EventHub(store, silent, 2000);
      const slow = new StalledPeer();
      const quick = new StalledPeer();
      hub.subscribe(slow);
      hub.subscribe(quick);
      const create = (title: string) =>
        store.transaction(() =>
          store.nodes.create({ kind: "doc", title, body: "", aliases: [], tags: [] }),
        );
      for (let i = 0; i < 40; i++) {
        create(`Note ${i}`);
        quick.readEverything();
      }
      expect(line).toBeGreaterThan(0);
      expect(quick.lines).toHaveLength(40);
      const kept = slow.lines.length;
      expect(kept).toBeGreaterThan(0);
      expect(kept).toBeLessThan(40);
      expect(slow.queuedBytes).toBeLessThanOrEqual(2000);
      slow.readEverything();
      expect(slow.lines.at(-1)).toEqual({
        jsonrpc: "2.0",
        method: "events.overflow",
        params: { dropped: 40 - kept },
      });
      create("After catching up");
      expect(slow.lines.at(-1)?.params.title).toBe("After catching up");
    } finally {
      store.close();
      dir.cleanup();
    }
  });
});
