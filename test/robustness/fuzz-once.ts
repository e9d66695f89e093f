/** Scenarios run once per fuzz run: the connection limit, and inputs that found daemon bugs. */
import { DEFAULT_LIMITS } from "../../src/daemon/server.ts";
import { ERROR_CODES } from "../../src/protocol/envelope.ts";
import { RawConnection } from "../helpers/raw-socket.ts";
import { Findings, type FuzzContext, withConnection } from "./fuzz-support.ts";
import { eventually } from "./health.ts";

/**
 * Fills the daemon to maxConnections (in waves, so the listen backlog never overflows), checks
 * the next one gets -32005 too_many_connections and is closed, and that a freed slot is reused.
 */
export async function connectionLimit(context: FuzzContext, count: () => number) {
  const findings = new Findings(context, "connection limit");
  const limit = DEFAULT_LIMITS.maxConnections;
  const open: RawConnection[] = [];
  try {
    while (open.length < limit) {
      const wave = await Promise.all(
        Array.from({ length: Math.min(128, limit - open.length) }, () =>
          RawConnection.open(context.socket),
        ),
      );
      const replies = await Promise.all(wave.map((c, i) => c.call("daemon.info", {}, i)));
      if (replies.some((reply) => reply?.result?.mode !== "local"))
        findings.fail(`connections ${open.length}…`, "a connection under the limit was not served");
      open.push(...wave);
    }
    if (count() !== limit)
      findings.fail("filling up", `daemon counts ${count()}, expected ${limit}`);

    const extra = await RawConnection.open(context.socket);
    const refused = await extra.next();
    const label = `connection ${limit + 1}`;
    if (
      findings.expectError(label, refused, [ERROR_CODES.tooManyConnections], "too_many_connections")
    ) {
      if (refused.id !== null || refused.error.data.limit !== limit)
        findings.fail(label, `expected id null and data.limit ${limit}`, refused);
    }
    await extra.waitClosed();
    if (count() !== limit) findings.fail(label, `the refused connection was counted (${count()})`);

    open.pop()?.end();
    await eventually(() => count() === limit - 1, "a freed connection slot");
    const reused = await withConnection(context.socket, (c) => c.call("daemon.info", {}, "again"));
    if (reused?.result?.mode !== "local") findings.fail("a freed slot", "not reusable", reused);
  } finally {
    for (const connection of open) connection.end();
  }
  await eventually(() => count() === 0, "all limit-test connections to close");
  return findings.problems;
}

/** project.create refuses names over 1000 characters; creating one through a task must too. */
export async function unboundedProjectName(context: FuzzContext) {
  const findings = new Findings(context, "project name length");
  const name = "p".repeat(5000);
  await withConnection(context.socket, async (c) => {
    const direct = await c.call("project.create", { name });
    findings.expectError("project.create name of 5000", direct, [ERROR_CODES.invalidParams]);
    const viaTask = await c.call("task.create", { title: "filed", project: name }, 2);
    const label = "task.create project name of 5000";
    if (viaTask?.result)
      findings.fail(
        label,
        `created project ${viaTask.result.project_id} with a ${name.length}-char name`,
      );
    else findings.expectError(label, viaTask, [ERROR_CODES.invalidParams]);
  });
  return findings.problems;
}

/**
 * Recurrence phrases the daemon accepts at first but cannot use: "every 10000 years" becomes
 * FREQ=YEARLY;INTERVAL=10000, which the rule checker then refuses (INTERVAL has at most 4
 * digits); "constructor" and "__proto__" find Object.prototype members in the phrase tables.
 * Each must be refused as invalid params naming `recurrence`, on every method that takes a rule.
 */
export async function recurrencePhrases(context: FuzzContext) {
  const findings = new Findings(context, "recurrence phrases");
  const phrases = [
    "every 10000 years",
    "every 10000 days",
    "constructor",
    "__proto__",
    "every constructor",
  ];
  await withConnection(context.socket, async (c) => {
    const boundary = await c.call("task.create", {
      title: "Every 9999 years",
      recurrence: "every 9999 years",
    });
    if (
      findings.expectResult("task.create every 9999 years", boundary) &&
      boundary.result.recurrence !== "FREQ=YEARLY;INTERVAL=9999"
    )
      findings.fail(
        "task.create every 9999 years",
        "not stored as FREQ=YEARLY;INTERVAL=9999",
        boundary,
      );
    const task = (await c.call("task.create", { title: "Plain", do_date: "2026-12-01" }, 2)).result;
    for (const recurrence of phrases) {
      const calls: Array<[string, Record<string, unknown>]> = [
        ["task.create", { title: "Ruled", recurrence }],
        ["task.update", { id: task.id, recurrence }],
        ["task.set_schedule", { id: task.id, recurrence }],
      ];
      for (const [method, params] of calls) {
        const label = `${method} ${JSON.stringify(params)}`;
        const reply = await c.call(method, params, 3);
        if (!findings.expectError(label, reply, [ERROR_CODES.invalidParams], "invalid_params"))
          continue;
        const paths = (reply.error.data.issues ?? []).map(
          (issue: { path: string[] }) => issue.path[0],
        );
        if (!paths.includes("recurrence")) findings.fail(label, "no issue names recurrence", reply);
      }
    }
  });
  return findings.problems;
}

/**
 * Frontmatter YAML whose alias refers to itself (`a: &a [*a]`) parses into a cyclic value; the
 * daemon must refuse it (invalid params) or drop it, never answer -32603.
 */
export async function cyclicFrontmatter(context: FuzzContext) {
  const findings = new Findings(context, "cyclic frontmatter");
  const body = "---\ntitle: Loop\na: &a [*a]\n---\ntext\n";
  await withConnection(context.socket, async (c) => {
    const doc = (await c.call("node.create", { kind: "doc", title: "Plain doc" })).result;
    const calls: Array<[string, Record<string, unknown>]> = [
      ["node.create", { kind: "doc", body }],
      ["node.create", { kind: "doc", title: "Loop", body }],
      ["node.update", { id: doc.id, body }],
    ];
    for (const [method, params] of calls) {
      const label = `${method} ${JSON.stringify(params)}`;
      const reply = await c.call(method, params, 2);
      if (reply?.error)
        findings.expectError(label, reply, [ERROR_CODES.invalidParams], "invalid_params");
      else findings.expectResult(label, reply);
    }
  });
  return findings.problems;
}
