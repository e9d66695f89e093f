/**
 * Many clients at once on the same few tasks and docs, against a real in-process daemon:
 * no errors but the expected conflicts, no lost log entry, no lost update; and optimistic
 * concurrency (node.update with base_updated_at) lets exactly one of K same-base writers win.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ERROR_CODES } from "../../src/protocol/envelope.ts";
import { startTestDaemon, type TestDaemon } from "../helpers/daemon.ts";
import type { Reply } from "../helpers/raw-socket.ts";
import { envInt, mixSeed, Rng } from "./seeded.ts";
import { MuxClient } from "./wire.ts";

const SEED = envInt("HEPH_FUZZ_SEED", 20_261_126);
const CLIENTS = 20;
const STEPS = 50;
const ATTENTIONS = ["white", "orange", "red", "blue"] as const;

let daemon: TestDaemon;
let setup: MuxClient;

beforeAll(async () => {
  daemon = await startTestDaemon();
  setup = await MuxClient.open(daemon.paths.socket);
});

afterAll(async () => {
  setup.end();
  await daemon.stop();
});

function ok(reply: Reply, what: string) {
  if (!reply || !Object.hasOwn(reply, "result"))
    throw new Error(`${what}: ${JSON.stringify(reply)}`);
  return reply.result;
}

const isConflict = (reply: Reply) =>
  reply?.error?.code === ERROR_CODES.conflict && reply.error.data?.kind === "conflict";

/** Read-modify-write of a doc body: append `line`, retrying from data.current on conflict. */
async function appendWithRetry(client: MuxClient, id: string, line: string) {
  let node = ok(await client.request("node.get", { id }), "node.get");
  for (let conflicts = 0; conflicts < 10_000; conflicts++) {
    const body = node.body === "" ? line : `${node.body}\n${line}`;
    const reply = await client.request("node.update", {
      id,
      body,
      base_updated_at: node.updated_at,
    });
    if (!isConflict(reply)) {
      ok(reply, "node.update");
      return conflicts;
    }
    node = reply.error.data.current;
  }
  throw new Error(`node.update on ${id} never won`);
}

describe(`${CLIENTS} clients × ${STEPS} mixed steps on the same tasks and docs`, () => {
  test("no unexpected errors, exactly N×M log entries, no lost update", async () => {
    const tasks: string[] = [];
    for (let i = 0; i < 3; i++)
      tasks.push(
        ok(await setup.request("task.create", { title: `Shared ${i}` }), "task.create").id,
      );
    const docs: string[] = [];
    for (let i = 0; i < 2; i++)
      docs.push(
        ok(
          await setup.request("node.create", { kind: "doc", title: `Shared doc ${i}` }),
          "node.create",
        ).id,
      );

    const errors: string[] = [];
    const appended = new Map<string, string[]>(docs.map((id) => [id, []]));
    let conflicts = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        const rng = new Rng(mixSeed(SEED, c, 0xc0c0));
        const client = await MuxClient.open(daemon.paths.socket);
        for (let s = 0; s < STEPS; s++) {
          try {
            ok(
              await client.request("log.append", { id: rng.pick(tasks), text: `c${c} s${s}` }),
              "log.append",
            );
            const op = rng.int(0, 3);
            if (op === 0) {
              const attention = rng.pick(ATTENTIONS);
              const task = ok(
                await client.request("task.set_attention", { id: rng.pick(tasks), attention }),
                "task.set_attention",
              );
              if (task.attention !== attention)
                errors.push(`set_attention answered ${task.attention}`);
            } else if (op === 1) {
              const doc = rng.pick(docs);
              conflicts += await appendWithRetry(client, doc, `c${c} s${s}`);
              appended.get(doc)?.push(`c${c} s${s}`);
            } else if (op === 2) {
              const next = ok(await client.request("next", { limit: 50 }), "next");
              if (!Array.isArray(next)) errors.push("next did not answer a list");
            } else {
              const id = rng.pick(tasks);
              if (ok(await client.request("task.get", { id }), "task.get").id !== id)
                errors.push("task.get answered another task");
            }
          } catch (error) {
            errors.push(String(error));
          }
        }
        client.end();
      }),
    );
    const ms = performance.now() - started;
    expect(errors).toEqual([]);

    const notes: string[] = [];
    for (const id of tasks) {
      const log = ok(await setup.request("log.tail", { id, limit: 10_000 }), "log.tail");
      for (const entry of log) if (entry.kind === "note") notes.push(entry.text);
    }
    expect(notes).toHaveLength(CLIENTS * STEPS);
    expect(new Set(notes).size).toBe(CLIENTS * STEPS);

    let updates = 0;
    for (const [id, lines] of appended) {
      const body: string = ok(await setup.request("node.get", { id }), "node.get").body;
      expect(body.split("\n").sort()).toEqual([...lines].sort());
      updates += lines.length;
    }
    console.log(
      `concurrency: ${CLIENTS}×${STEPS} steps in ${ms.toFixed(0)} ms; ${updates} read-modify-write updates, ${conflicts} conflicts retried`,
    );
  });
});

describe("optimistic concurrency: K writers from the same base", () => {
  for (const k of [2, 5, 20, 50]) {
    test(`K=${k} on separate connections: exactly one wins, ${k - 1} get conflict with the winner's version`, async () => {
      const doc = ok(
        await setup.request("node.create", { kind: "doc", title: `Race ${k}`, body: "base" }),
        "node.create",
      );
      const clients = await Promise.all(
        Array.from({ length: k }, () => MuxClient.open(daemon.paths.socket)),
      );
      const replies = await Promise.all(
        clients.map((client, i) =>
          client.request("node.update", {
            id: doc.id,
            body: `writer ${i}`,
            base_updated_at: doc.updated_at,
          }),
        ),
      );
      for (const client of clients) client.end();
      const winners = replies.filter((reply) => reply?.result);
      const losers = replies.filter(isConflict);
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(k - 1);
      const winner = winners[0].result;
      for (const loser of losers) {
        expect(loser.error.data.current.body).toBe(winner.body);
        expect(loser.error.data.current.updated_at).toBe(winner.updated_at);
      }
      expect(ok(await setup.request("node.get", { id: doc.id }), "node.get").body).toBe(
        winner.body,
      );
    });
  }

  test("K=20 pipelined on one connection: exactly one wins", async () => {
    const doc = ok(
      await setup.request("node.create", { kind: "doc", title: "Race pipelined", body: "base" }),
      "node.create",
    );
    const client = await MuxClient.open(daemon.paths.socket);
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        client.request("node.update", {
          id: doc.id,
          body: `writer ${i}`,
          base_updated_at: doc.updated_at,
        }),
      ),
    );
    client.end();
    expect(replies.filter((reply) => reply?.result)).toHaveLength(1);
    expect(replies.filter(isConflict)).toHaveLength(19);
  });

  test("K=20 task.done on one task: one completes it, the others get invalid_state, one done logged", async () => {
    const task = ok(await setup.request("task.create", { title: "Done once" }), "task.create");
    const clients = await Promise.all(
      Array.from({ length: 20 }, () => MuxClient.open(daemon.paths.socket)),
    );
    const replies = await Promise.all(
      clients.map((client) => client.request("task.done", { id: task.id })),
    );
    for (const client of clients) client.end();
    expect(replies.filter((reply) => reply?.result?.state === "done")).toHaveLength(1);
    const refused = replies.filter((reply) => reply?.error);
    expect(refused).toHaveLength(19);
    for (const reply of refused)
      expect(reply.error).toMatchObject({
        code: ERROR_CODES.invalidState,
        data: { kind: "invalid_state", state: "done" },
      });
    const log = ok(await setup.request("log.tail", { id: task.id, limit: 100 }), "log.tail");
    expect(log.filter((entry: { kind: string }) => entry.kind === "done")).toHaveLength(1);
  });

  test("K=50 node.append at once: every line lands exactly once", async () => {
    const doc = ok(
      await setup.request("node.create", { kind: "doc", title: "Appended", body: "" }),
      "node.create",
    );
    const clients = await Promise.all(
      Array.from({ length: 50 }, () => MuxClient.open(daemon.paths.socket)),
    );
    const replies = await Promise.all(
      clients.map((client, i) => client.request("node.append", { id: doc.id, text: `line ${i}` })),
    );
    for (const client of clients) client.end();
    for (const reply of replies) ok(reply, "node.append");
    const body: string = ok(await setup.request("node.get", { id: doc.id }), "node.get").body;
    const lines = body.split("\n").filter((line) => line !== "");
    expect(lines.sort()).toEqual(Array.from({ length: 50 }, (_, i) => `line ${i}`).sort());
  });
});
