/**
 * Crash consistency on the compiled binary. Each round: writers issue acknowledged writes
 * (task.create, node.update, task.done on recurring tasks with a ticked checklist, log.append)
 * on several pipelined connections while a seeded timer SIGKILLs the daemon 0–30 ms in. After
 * the restart every acknowledged write must be there, every recurring `done` must be all or
 * nothing, the store must pass integrity_check, and the stale socket must have been reclaimed.
 * HEPH_CRASH_ROUNDS sets the rounds (default 8), HEPH_FUZZ_SEED the seed.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, lstatSync } from "node:fs";
import type { Subprocess } from "bun";
import { answers, daemonArgs, ensureBinary, isolatedEnv, spawnDaemon } from "../helpers/binary.ts";
import type { Reply } from "../helpers/raw-socket.ts";
import { tempPaths } from "../helpers/tmp.ts";
import { integrityCheck } from "./health.ts";
import { envInt, mixSeed, Rng } from "./seeded.ts";
import { MuxClient } from "./wire.ts";

const ROUNDS = envInt("HEPH_CRASH_ROUNDS", 8);
const SEED = envInt("HEPH_FUZZ_SEED", 20_261_126);
const WRITERS = 4;
const LANES = 4; // requests in flight per writer connection
const RECURRING_PER_ROUND = 3;
const CHECKLIST = "- [x] water\n- [ ] feed\n";

const paths = tempPaths();
const env = isolatedEnv(paths.dir, { TZ: "UTC" });
const args = daemonArgs(paths);
let daemon: Subprocess | undefined;

/** What the clients were told, across all rounds. */
const acked = {
  tasks: new Map<string, string>(), // id → title
  docs: new Map<string, { writer: string; sent: number; acked: number }>(), // id → versions
  logs: new Map<string, Set<string>>(), // task id → texts
  recurring: [] as Array<{
    id: string;
    context: string;
    doDate: string;
    done: "no" | "sent" | "acked";
  }>,
};
const totals = { acknowledged: 0, cutOff: 0 };

beforeAll(async () => {
  ensureBinary();
  daemon = (await spawnDaemon(args, env, paths.socket)).process;
});

afterAll(async () => {
  if (daemon && daemon.exitCode === null && daemon.signalCode === null) {
    daemon.kill("SIGKILL");
    await daemon.exited;
  }
  paths.cleanup();
  console.log(
    `crash: ${ROUNDS} rounds, ${totals.acknowledged} acknowledged writes checked, ${totals.cutOff} requests in flight cut off by the kill`,
  );
});

function result(reply: Reply, what: string) {
  if (!reply || !Object.hasOwn(reply, "result"))
    throw new Error(`${what} failed: ${JSON.stringify(reply)}`);
  return reply.result;
}

/** Acknowledged setup: recurring tasks whose context docs hold a ticked checklist, and docs. */
async function setUp(round: number) {
  const client = await MuxClient.open(paths.socket);
  const recurring: typeof acked.recurring = [];
  for (let i = 0; i < RECURRING_PER_ROUND; i++) {
    const title = `Water plants r${round} #${i}`;
    const task = result(
      await client.request("task.create", { title, recurrence: "daily" }),
      "task.create",
    );
    result(
      await client.request("node.update", { id: task.context_id, body: CHECKLIST }),
      "node.update",
    );
    acked.tasks.set(task.id, title);
    const entry: (typeof acked.recurring)[number] = {
      id: task.id,
      context: task.context_id,
      doDate: task.do_date,
      done: "no",
    };
    acked.recurring.push(entry);
    recurring.push(entry);
  }
  const docs: string[] = [];
  for (let w = 0; w < WRITERS; w++) {
    const doc = result(
      await client.request("node.create", {
        kind: "doc",
        title: `Doc r${round} w${w}`,
        body: "v0",
      }),
      "node.create",
    );
    acked.docs.set(doc.id, { writer: `r${round}w${w}`, sent: 0, acked: 0 });
    docs.push(doc.id);
  }
  client.end();
  return { recurring, docs };
}

/** One writer connection: LANES loops of random writes until the daemon dies under it. */
async function writer(
  client: MuxClient,
  w: number,
  rng: Rng,
  doc: string,
  recurring: typeof acked.recurring,
  problems: string[],
) {
  const version = acked.docs.get(doc) as { writer: string; sent: number; acked: number };
  let n = 0;
  const lane = async () => {
    while (!client.closed) {
      const op = rng.int(0, 9);
      const tag = `w${w}n${n++}`;
      try {
        if (op < 3) {
          const title = `Task ${version.writer} ${tag}`;
          const reply = await client.request("task.create", { title });
          acked.tasks.set(result(reply, "task.create").id, title);
        } else if (op < 6) {
          const k = ++version.sent;
          const reply = await client.request("node.update", {
            id: doc,
            body: `${version.writer} v${k}`,
          });
          result(reply, "node.update");
          version.acked = Math.max(version.acked, k);
        } else if (op < 9) {
          const task = rng.pick(recurring);
          const text = `note ${version.writer} ${tag}`;
          const reply = await client.request("log.append", { id: task.id, text });
          result(reply, "log.append");
          const texts = acked.logs.get(task.id) ?? new Set<string>();
          acked.logs.set(task.id, texts.add(text));
        } else {
          const task = recurring.find((entry) => entry.done === "no");
          if (!task) continue;
          task.done = "sent";
          result(await client.request("task.done", { id: task.id }), "task.done");
          task.done = "acked";
        }
        totals.acknowledged++;
      } catch (error) {
        if (client.closed) totals.cutOff++;
        else problems.push(String(error));
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: LANES }, lane));
}

/** Every acknowledged write, from every round so far, read back from the restarted daemon. */
async function verify(client: MuxClient): Promise<string[]> {
  const problems: string[] = [];
  await Promise.all(
    [...acked.tasks].map(async ([id, title]) => {
      const reply = await client.request("task.get", { id });
      if (reply?.result?.title !== title)
        problems.push(`task ${id} "${title}" lost: ${JSON.stringify(reply)}`);
    }),
  );
  for (const [id, version] of acked.docs) {
    const body: string | undefined = (await client.request("node.get", { id }))?.result?.body;
    const k = Number(/ v(\d+)$/.exec(body ?? "")?.[1] ?? (body === "v0" ? 0 : Number.NaN));
    if (!(k >= version.acked && k <= version.sent))
      problems.push(
        `doc ${id}: body "${body}" but v${version.acked} was acknowledged (v${version.sent} sent)`,
      );
  }
  for (const [id, texts] of acked.logs) {
    const entries = result(await client.request("log.tail", { id, limit: 10_000 }), "log.tail");
    const stored = new Set(entries.map((entry: { text: string }) => entry.text));
    for (const text of texts) if (!stored.has(text)) problems.push(`log of ${id}: "${text}" lost`);
  }
  for (const task of acked.recurring) {
    const stored = result(await client.request("task.get", { id: task.id }), "task.get");
    const log = result(
      await client.request("log.tail", { id: task.id, limit: 10_000 }),
      "log.tail",
    );
    const context = result(
      await client.request("node.get", { id: task.context, checklist: true }),
      "node.get",
    );
    const moved = stored.do_date !== task.doDate;
    const logged = log.some((entry: { kind: string }) => entry.kind === "done");
    const reset = context.checklist[0]?.checked === false;
    const parts = `do_date ${task.doDate}→${stored.do_date}, done logged ${logged}, checklist reset ${reset}`;
    if (!(moved === logged && logged === reset))
      problems.push(`recurring ${task.id} half done: ${parts}`);
    if (task.done === "acked" && !moved)
      problems.push(`recurring ${task.id} acknowledged done lost: ${parts}`);
    if (task.done === "no" && moved)
      problems.push(`recurring ${task.id} done without a request: ${parts}`);
  }
  return problems;
}

describe(`crash consistency: SIGKILL during writes, ${ROUNDS} rounds (seed ${SEED})`, () => {
  for (let round = 1; round <= ROUNDS; round++) {
    test(`round ${round}: acknowledged writes survive kill -9, recurring done is atomic`, async () => {
      const rng = new Rng(mixSeed(SEED, round, 0xc4a5));
      const { recurring, docs } = await setUp(round);
      const before = totals.acknowledged;
      const problems: string[] = [];
      const victim = daemon as Subprocess;
      const delay = rng.int(0, 30);
      // Connected first, so the kill delay counts from the first write, not from connecting.
      const clients = await Promise.all(docs.map(() => MuxClient.open(paths.socket)));
      const writers = docs.map((doc, w) =>
        writer(clients[w] as MuxClient, w, rng, doc, recurring, problems),
      );
      const kill = setTimeout(() => victim.kill("SIGKILL"), delay); // the crash moment, not a wait
      await Promise.all(writers);
      clearTimeout(kill);
      if (victim.exitCode === null && victim.signalCode === null) victim.kill("SIGKILL");
      await victim.exited;
      expect(victim.signalCode).toBe("SIGKILL");
      expect(problems).toEqual([]);

      // The killed daemon left its socket behind: stale, nobody answering.
      expect(lstatSync(paths.socket).isSocket()).toBe(true);
      expect(await answers(paths.socket)).toBe(false);

      daemon = (await spawnDaemon(args, env, paths.socket)).process;
      const client = await MuxClient.open(paths.socket);
      const info = result(await client.request("daemon.info"), "daemon.info");
      expect(info.pid).toBe(daemon.pid);
      const lost = await verify(client);
      client.end();
      const doneStates = recurring.map((task) => task.done).join(",");
      console.log(
        `crash r${round}: kill at ${delay} ms, ${totals.acknowledged - before} writes acknowledged, done: ${doneStates}`,
      );
      expect(lost).toEqual([]);
      expect(integrityCheck(paths.db)).toEqual(["ok"]);
    });
  }

  test("after the last crash the daemon still stops cleanly: exit 0, socket removed", async () => {
    const last = daemon as Subprocess;
    last.kill("SIGTERM");
    expect(await last.exited).toBe(0);
    expect(existsSync(paths.socket)).toBe(false);
    expect(integrityCheck(paths.db)).toEqual(["ok"]);
  });
});
