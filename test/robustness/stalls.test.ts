/**
 * Requests that are valid but make the single-threaded daemon compute for seconds, during which
 * no other client is answered. Measured as the longest gap between 10 ms ticks of this process's
 * event loop (the daemon runs in this process), and as a second client's wait.
 *
 * Both pin daemon bugs these suites found (see the comments); each failed by seconds before.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startTestDaemon, type TestDaemon } from "../helpers/daemon.ts";
import { RawConnection, type Reply } from "../helpers/raw-socket.ts";

const STALL_LIMIT_MS = 1000;

let daemon: TestDaemon;
let client: RawConnection;

beforeAll(async () => {
  daemon = await startTestDaemon();
  client = await RawConnection.open(daemon.paths.socket);
});

afterAll(async () => {
  client.end();
  await daemon.stop();
});

/** Runs `work` while timing the event loop; returns its result and the longest stall. */
async function measured(work: () => Promise<Reply>): Promise<{ reply: Reply; stalledMs: number }> {
  let last = performance.now();
  let stalledMs = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    stalledMs = Math.max(stalledMs, now - last);
    last = now;
  }, 10);
  try {
    const reply = await work();
    stalledMs = Math.max(stalledMs, performance.now() - last);
    return { reply, stalledMs };
  } finally {
    clearInterval(ticker);
  }
}

test("a recurrence with no occurrence (30 February) does not block the daemon", async () => {
  // Found by this suite: nextOccurrence() asked rrule for the next date after today; for a rule
  // that never occurs rrule walks day by day to the year 9999 (~2.9 M iterations): task.create
  // (and task.done, task.update) blocked the daemon ~10 s, and could be repeated at will.
  const rule = "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30";
  const { reply, stalledMs } = await measured(() =>
    client.call("task.create", { title: "Thirtieth of February", recurrence: rule }),
  );
  console.log(`stalls: task.create recurrence ${rule} blocked the loop ${stalledMs.toFixed(0)} ms`);
  // Either refused as a rule that never occurs, or accepted: but answered, and quickly.
  if (reply.error)
    expect(reply.error).toMatchObject({ code: -32602, data: { kind: "invalid_params" } });
  else expect(reply.result.recurrence).toBe(rule);
  expect(stalledMs).toBeLessThan(STALL_LIMIT_MS);
});

test("search over a 2 MiB document does not block the daemon", async () => {
  // Found by this suite: FTS5 snippet() over a long body with many matches grew quadratically:
  // one search took ~2 s with a 1 MiB body, ~9 s with 2 MiB and ~32 s with 4 MiB (bodies may be
  // up to ~16 MiB), all of it with the daemon unable to answer anyone.
  const words = ["error", "warning", "request", "the", "connection", "timeout", "retry"];
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < 2 * 1024 * 1024; i++) {
    const word = words[(i * 7919) % words.length] as string;
    parts.push(word);
    size += word.length + 1;
  }
  const created = await client.call("node.create", {
    kind: "doc",
    title: "build log",
    body: parts.join(" "),
  });
  expect(created.result.kind).toBe("doc");
  const { reply, stalledMs } = await measured(() => client.call("search", { query: "error" }, 2));
  console.log(`stalls: search over a 2 MiB body blocked the loop ${stalledMs.toFixed(0)} ms`);
  expect(reply.result.map((hit: { id: string }) => hit.id)).toContain(created.result.id);
  expect(stalledMs).toBeLessThan(STALL_LIMIT_MS);
});
