/**
 * Fuzz scenarios on how clients behave: lines past the limit, huge batches, lines that never
 * end, clients that never read, clients that vanish, crowds of connections.
 */

import { DEFAULT_LIMITS } from "../../src/daemon/server.ts";
import { ERROR_CODES, MAX_BATCH_SIZE } from "../../src/protocol/envelope.ts";
import { MAX_LINE_BYTES } from "../../src/protocol/framing.ts";
import { RawConnection, type Reply } from "../helpers/raw-socket.ts";
import { Findings, type FuzzContext, preview, withConnection } from "./fuzz-support.ts";
import { liveMiB, timedInfo } from "./health.ts";
import type { Rng } from "./seeded.ts";
import { MuxClient } from "./wire.ts";

const { invalidRequest } = ERROR_CODES;

/** A request padded with spaces (valid JSON) to exactly `bytes` bytes before its newline. */
function paddedInfo(id: string, bytes: number): Uint8Array {
  const head = `{"jsonrpc":"2.0","id":"${id}","method":"daemon.info"}`;
  const line = new Uint8Array(bytes + 1).fill(0x20);
  line.set(new TextEncoder().encode(head));
  line[bytes] = 0x0a;
  return line;
}

/**
 * A line of exactly MAX_LINE_BYTES is served; one byte more gets line_too_long and only that
 * connection is closed. Also: what a complete request sent just before the long line gets.
 */
export async function oversizedLine(context: FuzzContext) {
  const findings = new Findings(context, "oversized line");
  const bystander = await RawConnection.open(context.socket);
  try {
    const exact = await RawConnection.open(context.socket);
    await exact.write(paddedInfo("exact", MAX_LINE_BYTES));
    const served = await exact.next();
    if (served?.id !== "exact" || !served.result)
      findings.fail(`daemon.info padded to ${MAX_LINE_BYTES} bytes`, "not served", served);
    exact.end();

    const over = await RawConnection.open(context.socket);
    await over.write(paddedInfo("over", MAX_LINE_BYTES + 1));
    const refused = await over.next();
    const label = `daemon.info padded to ${MAX_LINE_BYTES + 1} bytes`;
    if (findings.expectError(label, refused, [invalidRequest], "line_too_long")) {
      if (refused.id !== null || refused.error.data.limit !== MAX_LINE_BYTES)
        findings.fail(label, `expected id null and data.limit ${MAX_LINE_BYTES}`, refused);
    }
    await over.waitClosed();
    if (over.pendingLines !== 0) findings.fail(label, "more lines after line_too_long");

    const reply = await bystander.call("daemon.info", {}, "bystander");
    if (reply?.result?.mode !== "local") findings.fail("bystander", "not served", reply);
  } finally {
    bystander.end();
  }
  return findings.problems;
}

/**
 * A request completed in the same write as a following over-long line: it runs, so its reply
 * is owed before the connection closes (a write without its acknowledgement is a lost answer).
 */
export async function requestBeforeOversizedLine(context: FuzzContext, marker: string) {
  const findings = new Findings(context, "request before an oversized line");
  const connection = await RawConnection.open(context.socket);
  const create = `${JSON.stringify({ jsonrpc: "2.0", id: "first", method: "node.create", params: { kind: "doc", title: marker } })}\n`;
  const bytes = new Uint8Array(create.length + MAX_LINE_BYTES + 1).fill(0x61);
  bytes.set(new TextEncoder().encode(create));
  await connection.write(bytes).catch(() => {});
  await connection.waitClosed();
  const replies: Reply[] = [];
  while (connection.pendingLines > 0) replies.push(await connection.next());
  const created = await withConnection(context.socket, (c) =>
    c.call("node.resolve", { title: marker }),
  );
  const ran = created?.result !== null;
  const answered = replies.some((reply) => reply?.id === "first");
  if (ran && !answered)
    findings.fail(
      "node.create, then a line over the limit, in one write",
      `the create ran (node ${created?.result?.id}) but its reply never came; got ${preview(JSON.stringify(replies))}`,
    );
  return findings.problems;
}

/** A batch of 5000 mixed entries, then one over MAX_BATCH_SIZE, which is refused whole. */
export async function bigBatches(context: FuzzContext, rng: Rng, marker: string) {
  const findings = new Findings(context, "batches");
  const entries: Array<Record<string, unknown>> = [];
  let expected = 0;
  for (let i = 0; i < 5000; i++) {
    const kind = rng.int(0, 4);
    if (kind === 0)
      entries.push({ jsonrpc: "2.0", method: "daemon.info" }); // notification
    else {
      expected++;
      if (kind === 1) entries.push({ id: i, method: "daemon.info" });
      else if (kind === 2) entries.push({ id: i, method: "no.such.method" });
      else if (kind === 3) entries.push({ id: i, method: "node.get", params: { id: 42 } });
      else entries.push({ id: i, method: "search", params: { query: rng.string(3), limit: 1 } });
    }
  }
  await withConnection(context.socket, async (connection) => {
    await connection.send(entries);
    const replies = await connection.next();
    if (!Array.isArray(replies) || replies.length !== expected) {
      findings.fail("batch of 5000", `expected ${expected} replies`, replies);
    } else {
      for (const reply of replies) findings.record("batch of 5000", reply);
      const ids = replies.map((reply: Reply) => reply.id);
      const want = entries.filter((entry) => "id" in entry).map((entry) => entry.id);
      if (JSON.stringify(ids) !== JSON.stringify(want))
        findings.fail("batch of 5000", "reply ids do not match the request ids in order");
    }
    const tooBig = Array.from({ length: MAX_BATCH_SIZE + 1 }, (_, i) => ({
      id: i,
      method: "node.create",
      params: { kind: "doc", title: marker },
    }));
    const refused = await (async () => {
      await connection.send(tooBig);
      return connection.next();
    })();
    const label = `batch of ${MAX_BATCH_SIZE + 1}`;
    if (findings.expectError(label, refused, [invalidRequest], "batch_too_large")) {
      const data = refused.error.data;
      if (refused.id !== null || data.limit !== MAX_BATCH_SIZE || data.size !== MAX_BATCH_SIZE + 1)
        findings.fail(label, "expected id null, data.limit and data.size", refused);
    }
    const ran = await connection.call("node.resolve", { title: marker }, "check");
    if (ran?.result !== null) findings.fail(label, "an entry of the refused batch ran", ran);
  });
  return findings.problems;
}

/** Connections holding a line that never ends; returned open, for the health check to close. */
export async function halfLines(context: FuzzContext, rng: Rng, count: number) {
  const open: RawConnection[] = [];
  for (let i = 0; i < count; i++) {
    const connection = await RawConnection.open(context.socket);
    const request = JSON.stringify({
      id: i,
      method: "node.create",
      params: { kind: "doc", title: "half", body: "b".repeat(rng.int(0, 64 * 1024)) },
    });
    await connection.write(request.slice(0, rng.int(1, request.length - 1)));
    open.push(connection);
  }
  return open;
}

/**
 * A client that writes 2000 requests and never reads. The replies (2000 × a 128 KiB node) far
 * exceed maxQueuedReplyBytes; the daemon must stop reading that client instead of queueing
 * them all, keep serving others, and deliver every reply, in full, once the client reads.
 */
export async function neverReads(context: FuzzContext) {
  const findings = new Findings(context, "a client that never reads");
  const body = "r".repeat(128 * 1024);
  const doc = await withConnection(context.socket, (c) =>
    c.call("node.create", { kind: "doc", title: "replied 2000 times", body }),
  );
  const docId: string = doc.result.id;
  const before = liveMiB();
  const stalled = await MuxClient.open(context.socket, { paused: true });
  const count = 2000;
  // One write, as a client flushing its buffer would: the daemon reads it in a few big chunks.
  const replies = stalled.requestMany(
    Array.from({ length: count }, () => ({ method: "node.get", params: { id: docId } })),
  );
  // Each reply is either delivered (later) or rejected on close; nothing is dropped silently.
  for (const reply of replies) reply.catch(() => {});
  const latencies: number[] = [];
  for (let i = 0; i < 5; i++) latencies.push((await timedInfo(context.socket)).ms);
  await Bun.sleep(50);
  const held = liveMiB() - before;
  const limitMiB = DEFAULT_LIMITS.maxQueuedReplyBytes / (1024 * 1024);
  const slowest = Math.max(...latencies);
  if (slowest > 2000)
    findings.fail("daemon.info while a client does not read", `took ${slowest.toFixed(0)} ms`);
  stalled.resume();
  const got = await Promise.allSettled(replies);
  const complete = got.filter(
    (r) => r.status === "fulfilled" && r.value?.result?.id === docId,
  ).length;
  if (complete !== count)
    findings.fail("reading after the stall", `${complete}/${count} replies arrived whole`);
  stalled.end();
  return { problems: findings.problems, heldMiB: held, limitMiB, slowestMs: slowest };
}

/** Clients that send a request (or half of one) and vanish at once. */
export async function vanishing(context: FuzzContext, rng: Rng, count: number) {
  const clients = await Promise.all(
    Array.from({ length: count }, () => RawConnection.open(context.socket)),
  );
  await Promise.all(
    clients.map(async (client, i) => {
      const line = `${JSON.stringify({ id: i, method: rng.pick(["node.create", "search", "next"]), params: rng.pick([{ kind: "doc", title: `gone ${i}` }, { query: "gone" }, {}]) })}\n`;
      await client.write(rng.bool() ? line : line.slice(0, rng.int(1, line.length - 1)));
      client.terminate();
    }),
  );
}

/** Many connections opened at once, each served; returns the slowest round trip. */
export async function crowd(context: FuzzContext, count: number) {
  const findings = new Findings(context, `${count} connections at once`);
  const started = performance.now();
  const connections = await Promise.all(
    Array.from({ length: count }, () => RawConnection.open(context.socket)),
  );
  const replies = await Promise.all(connections.map((c, i) => c.call("daemon.info", {}, i)));
  const ms = performance.now() - started;
  for (const [i, reply] of replies.entries())
    if (reply?.id !== i || reply?.result?.mode !== "local")
      findings.fail(`client ${i}`, "not served", reply);
  for (const connection of connections) connection.end();
  return { problems: findings.problems, ms };
}
