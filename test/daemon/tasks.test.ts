/** Tasks through a real daemon on a real socket, with a clock the test controls. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { RpcClient } from "../../src/client/client.ts";
import { manualClock, startTestDaemon, type TestDaemon } from "../helpers/daemon.ts";
import { failure } from "../helpers/rpc.ts";

// Thursday 26 November 2026, mid-morning UTC.
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

describe("creating tasks", () => {
  test("task.create returns the task with its context doc and a first log entry", async () => {
    const task = await client.call("task.create", {
      title: "Water the ferns",
      attention: "orange",
      do_date: "tomorrow",
      late_on: "2026-12-01",
      project: "Home",
    });
    expect(task).toMatchObject({
      kind: "task",
      title: "Water the ferns",
      state: "outstanding",
      attention: "orange",
      do_date: "2026-11-27",
      late_on: "2026-12-01",
      project: "Home",
      recurrence: null,
    });
    const context = await client.call("node.get", { id: task.context_id as string });
    expect(context.kind).toBe("doc");
    const log = await client.call("log.tail", { id: task.id });
    expect(log.map((entry) => entry.kind)).toEqual(["created"]);
  });

  test("bad input is refused with a message naming it, and nothing is written", async () => {
    const before = (await client.call("list", { state: ["outstanding", "done", "dropped"] }))
      .length;
    const badDate = await failure(
      client.call("task.create", { title: "x", do_date: "2026-02-30" }),
    );
    expect(badDate.code).toBe(-32602);
    expect(badDate.message).toContain("2026-02-30");
    const phrase = await failure(
      client.call("task.create", { title: "x", late_on: "someday maybe" }),
    );
    expect(phrase.message).toContain("someday maybe");
    const rule = await failure(
      client.call("task.create", { title: "x", recurrence: "every blue moon" }),
    );
    expect(rule.message).toContain("every blue moon");
    const empty = await failure(client.call("task.create", { title: "   " }));
    expect(empty.code).toBe(-32602);
    const colour = await failure(
      client.call("task.create", { title: "x", attention: "purple" as "red" }),
    );
    expect(colour.message).toContain("attention");
    expect((await client.call("list", { state: ["outstanding", "done", "dropped"] })).length).toBe(
      before,
    );
  });

  test("quick add parses one line with the daemon's today", async () => {
    const task = await client.call("task.add", { line: "Pay rent tomorrow p1 #Home every month" });
    expect(task).toMatchObject({
      title: "Pay rent",
      do_date: "2026-11-27",
      attention: "red",
      project: "Home",
      recurrence: "FREQ=MONTHLY",
    });
  });

  test("a recurring task without a do-date starts at its first occurrence", async () => {
    const task = await client.call("task.create", {
      title: "Weekly review",
      recurrence: "every monday",
    });
    expect(task.do_date).toBe("2026-11-30");
    expect(task.recurrence_text?.toLowerCase()).toContain("monday");
  });
});

describe("done, skip, drop, reopen", () => {
  test("done on a recurring task logs the occurrence, resets the checklist and rolls forward", async () => {
    clock.set("2026-01-31T09:00:00.000Z");
    const task = await client.call("task.create", {
      title: "Pay card",
      do_date: "2026-01-31",
      recurrence: "every month on the 31st",
    });
    const body = "- [x] check statement\n- [ ] pay\n```\n- [x] inside code stays\n```\n";
    await client.call("node.update", { id: task.context_id as string, body });
    const after = await client.call("task.done", { id: task.id });
    expect(after).toMatchObject({ state: "outstanding", do_date: "2026-02-28" });
    const context = await client.call("node.get", { id: task.context_id as string });
    expect(context.body).toBe(
      "- [ ] check statement\n- [ ] pay\n```\n- [x] inside code stays\n```\n",
    );
    const log = await client.call("log.tail", { id: task.id });
    expect(log.at(-1)).toMatchObject({ kind: "done", text: "occurrence 2026-01-31" });
    clock.set("2026-02-28T09:00:00.000Z");
    expect((await client.call("task.done", { id: task.id })).do_date).toBe("2026-03-31");
  });

  test("missed occurrences are skipped, not piled up", async () => {
    clock.set("2026-11-26T10:00:00.000Z");
    const task = await client.call("task.create", {
      title: "Stretch",
      do_date: "2026-11-10",
      recurrence: "daily",
    });
    expect((await client.call("task.done", { id: task.id })).do_date).toBe("2026-11-27");
  });

  test("finishing early moves to the occurrence after the current one", async () => {
    const task = await client.call("task.create", {
      title: "Bins",
      do_date: "2026-11-30",
      recurrence: "weekly",
    });
    expect((await client.call("task.done", { id: task.id })).do_date).toBe("2026-12-07");
  });

  test("skip rolls forward without logging a completion; a plain task cannot be skipped", async () => {
    const task = await client.call("task.create", {
      title: "Gym",
      do_date: "2026-11-26",
      recurrence: "every 2 days",
    });
    const skipped = await client.call("task.skip", { id: task.id });
    expect(skipped.do_date).toBe("2026-11-28");
    expect((await client.call("log.tail", { id: task.id })).map((e) => e.kind)).toEqual([
      "created",
    ]);
    const plain = await client.call("task.create", { title: "Once" });
    const refused = await failure(client.call("task.skip", { id: plain.id }));
    expect(refused).toMatchObject({ code: -32003, kind: "invalid_state" });
  });

  test("done closes a plain task; done again is refused; drop and reopen move the state", async () => {
    const task = await client.call("task.create", { title: "Call the bank" });
    const done = await client.call("task.done", { id: task.id });
    expect(done.state).toBe("done");
    expect(done.closed_at).not.toBeNull();
    expect((await failure(client.call("task.done", { id: task.id }))).kind).toBe("invalid_state");
    expect((await client.call("task.reopen", { id: task.id })).state).toBe("outstanding");
    expect((await client.call("task.drop", { id: task.id })).state).toBe("dropped");
    const log = await client.call("log.tail", { id: task.id });
    expect(log.map((e) => e.kind)).toEqual(["created", "done", "reopened", "dropped"]);
  });
});

describe("projects", () => {
  test("projects nest; a cycle is refused; names are unique", async () => {
    await client.call("project.create", { name: "Garden" });
    await client.call("project.create", { name: "Beds", parent: "Garden" });
    const roses = await client.call("project.create", { name: "Roses", parent: "Beds" });
    expect(roses.path).toEqual(["Garden", "Beds", "Roses"]);
    const cycle = await failure(
      client.call("project.move", { project: "Garden", parent: "Roses" }),
    );
    expect(cycle.kind).toBe("invalid_state");
    expect(cycle.message).toContain("Roses is inside Garden");
    expect(
      (await failure(client.call("project.move", { project: "Beds", parent: "Beds" }))).kind,
    ).toBe("invalid_state");
    expect((await failure(client.call("project.create", { name: "garden" }))).kind).toBe(
      "conflict",
    );
    const moved = await client.call("project.move", { project: "Roses", parent: null });
    expect(moved.path).toEqual(["Roses"]);
    await client.call("project.move", { project: "Roses", parent: "Beds" });
  });

  test("list by project includes sub-projects unless asked not to", async () => {
    const top = await client.call("task.create", { title: "Plan garden", project: "Garden" });
    const deep = await client.call("task.create", { title: "Prune roses", project: "Roses" });
    const all = (await client.call("list", { project: "Garden" })).map((t) => t.id);
    expect(all).toContain(top.id);
    expect(all).toContain(deep.id);
    const only = (await client.call("list", { project: "Garden", subprojects: false })).map(
      (t) => t.id,
    );
    expect(only).toEqual([top.id]);
  });
});

describe("next, list and view", () => {
  test("next orders late first, then red, orange, white, then oldest; hides blue, future and closed", async () => {
    const fresh = await startTestDaemon(manualClock("2026-11-26T10:00:00.000Z"), "UTC");
    const c = new RpcClient(fresh.paths.socket);
    try {
      const make = (title: string, fields: Record<string, string> = {}) =>
        c.call("task.create", { title, ...fields });
      const whiteOld = await make("white old");
      const red = await make("red", { attention: "red" });
      const orange = await make("orange", { attention: "orange" });
      const lateTwo = await make("late two days", { late_on: "2026-11-24" });
      const lateOne = await make("late one day red", { late_on: "2026-11-25", attention: "red" });
      await make("due today is not late", { late_on: "2026-11-26", attention: "blue" });
      await make("blue", { attention: "blue" });
      await make("future", { do_date: "2026-11-27", attention: "red" });
      const closed = await make("closed", { attention: "red" });
      await c.call("task.done", { id: closed.id });
      const next = await c.call("next", { limit: 50, explain: true });
      expect(next.map((t) => t.title)).toEqual([
        lateTwo.title,
        lateOne.title,
        red.title,
        orange.title,
        whiteOld.title,
      ]);
      expect(next[0]?.explain).toMatchObject({ position: 1, late_by_days: 2 });
      expect(next[0]?.explain?.reasons).toContain("late by 2 days");
      expect((await c.call("next", { limit: 2 })).map((t) => t.title)).toEqual([
        lateTwo.title,
        lateOne.title,
      ]);
    } finally {
      c.close();
      await fresh.stop();
    }
  });

  test("views: inbox, ondeck, today, late, upcoming", async () => {
    const fresh = await startTestDaemon(manualClock("2026-11-26T10:00:00.000Z"), "UTC");
    const c = new RpcClient(fresh.paths.socket);
    try {
      const make = (title: string, fields: Record<string, string> = {}) =>
        c.call("task.create", { title, ...fields });
      await make("filed", { project: "Work" });
      await make("inbox");
      await make("on deck", { attention: "blue", project: "Work" });
      await make("do today", { do_date: "2026-11-26", project: "Work" });
      await make("due today", { late_on: "2026-11-26", project: "Work" });
      await make("late", { late_on: "2026-11-20", project: "Work" });
      await make("in 3 days", { do_date: "2026-11-29", project: "Work" });
      await make("in 9 days", { do_date: "2026-12-05", project: "Work" });
      const names = async (name: "inbox" | "ondeck" | "today" | "late" | "upcoming") =>
        (await c.call("view", { name })).map((t) => t.title).sort();
      expect(await names("inbox")).toEqual(["inbox"]);
      expect(await names("ondeck")).toEqual(["on deck"]);
      expect(await names("today")).toEqual(["do today", "due today", "late"]);
      expect(await names("late")).toEqual(["late"]);
      expect(await names("upcoming")).toEqual(["in 3 days"]);
    } finally {
      c.close();
      await fresh.stop();
    }
  });

  test("list filters: attention include/exclude, state, actionable, date windows", async () => {
    const titles = async (filter: Parameters<RpcClient["call"]>[1]) =>
      (await client.call("list", filter as never)).map((t) => t.title);
    expect(await titles({ attention: ["red"] })).toContain("Pay rent");
    expect(await titles({ exclude_attention: ["white", "orange", "blue"] })).not.toContain(
      "Water the ferns",
    );
    expect(await titles({ state: ["dropped"] })).toEqual(["Call the bank"]);
    expect(await titles({ do_from: "2026-11-27", do_to: "2026-11-27" })).toEqual(
      expect.arrayContaining(["Water the ferns", "Pay rent", "Stretch"]),
    );
    const actionable = await client.call("list", { actionable: true });
    expect(
      actionable.every(
        (t) => t.attention !== "blue" && (t.do_date === null || t.do_date <= "2026-11-26"),
      ),
    ).toBe(true);
  });
});

describe("list pages and list.count", () => {
  test("list.count counts what list would return with no limit: filters, states, sub-projects", async () => {
    const fresh = await startTestDaemon(manualClock("2026-11-26T10:00:00.000Z"), "UTC");
    const c = new RpcClient(fresh.paths.socket);
    try {
      await c.call("project.create", { name: "House" });
      await c.call("project.create", { name: "Kitchen", parent: "House" });
      const make = (title: string, fields: Record<string, string> = {}) =>
        c.call("task.create", { title, ...fields });
      for (let i = 0; i < 7; i++) await make(`house ${i}`, { project: "House" });
      for (let i = 0; i < 3; i++)
        await make(`kitchen ${i}`, { project: "Kitchen", attention: "red" });
      await make("inbox late", { late_on: "2026-11-20" });
      await make("inbox blue", { attention: "blue" });
      await make("inbox later", { do_date: "2026-12-01" });
      const done = await make("done one", { project: "House" });
      await c.call("task.done", { id: done.id });
      const dropped = await make("dropped one");
      await c.call("task.drop", { id: dropped.id });
      const gone = await make("deleted one", { project: "House" });
      await c.call("task.delete", { id: gone.id });

      const count = async (filter: Record<string, unknown>) =>
        (await c.call("list.count", filter as never)).count;
      const everything = async (filter: Record<string, unknown>) =>
        (await c.call("list", { ...filter, limit: null } as never)).length;
      const filters: Array<[Record<string, unknown>, number]> = [
        [{}, 13],
        [{ state: ["outstanding", "done", "dropped"] }, 15],
        [{ state: ["done"] }, 1],
        [{ state: ["done", "dropped"] }, 2],
        [{ project: "House" }, 10],
        [{ project: "house", subprojects: false }, 7],
        [{ project: "Kitchen" }, 3],
        [{ project: "House", state: ["outstanding", "done"] }, 11],
        [{ unfiled: true }, 3],
        [{ unfiled: true, state: ["dropped"] }, 1],
        [{ attention: ["red"] }, 3],
        [{ exclude_attention: ["white"] }, 4],
        [{ actionable: true }, 11],
        [{ late_to: "yesterday" }, 1],
        [{ do_from: "tomorrow" }, 1],
        [{ project: "House", attention: ["red"], actionable: true }, 3],
      ];
      for (const [filter, expected] of filters) {
        expect({ filter, count: await count(filter) }).toEqual({ filter, count: expected });
        expect({ filter, listed: await everything(filter) }).toEqual({ filter, listed: expected });
      }

      // project.list counts each project's own outstanding tasks the same way.
      const projects = await c.call("project.list", {});
      expect(projects.map((p) => [p.name, p.outstanding])).toEqual([
        ["House", 7],
        ["Kitchen", 3],
      ]);

      // A page: the first N in the next order; the count is the same whatever the page.
      const whole = (await c.call("list", { limit: null })).map((t) => t.id);
      expect(whole).toHaveLength(13);
      expect((await c.call("list", { limit: 5 })).map((t) => t.id)).toEqual(whole.slice(0, 5));
      expect((await c.call("list", {})).map((t) => t.id)).toEqual(whole); // default 1000

      // Pipelined on one connection: a page and its count, matched by id.
      const [page, total] = await Promise.all([
        c.call("list", { project: "House", limit: 4 }),
        c.call("list.count", { project: "House" }),
      ]);
      expect(page).toHaveLength(4);
      expect(total).toEqual({ count: 10 });
    } finally {
      c.close();
      await fresh.stop();
    }
  });

  test("list.count refuses what list refuses, and a limit", async () => {
    const limit = await failure(client.call("list.count", { limit: 5 } as never));
    expect(limit.code).toBe(-32602);
    expect((limit.data as { issues: Array<{ code: string }> }).issues).toEqual([
      expect.objectContaining({ code: "unrecognized_keys" }),
    ]);
    const state = await failure(client.call("list.count", { state: ["someday"] } as never));
    expect(state.code).toBe(-32602);
    expect((state.data as { issues: Array<{ path: unknown[] }> }).issues[0]?.path).toEqual([
      "state",
      "0",
    ]);
    const date = await failure(client.call("list.count", { do_to: "2026-02-30" }));
    expect(date.code).toBe(-32602);
    expect(date.message).toContain("do_to");
    const project = await failure(client.call("list.count", { project: "Nowhere" }));
    expect(project.code).toBe(-32001);
    for (const bad of [0, -1, 1.5, 100_001, "10"]) {
      const error = await failure(client.call("list", { limit: bad } as never));
      expect(error.code).toBe(-32602);
      expect((error.data as { issues: Array<{ path: unknown[] }> }).issues[0]?.path).toEqual([
        "limit",
      ]);
    }
  });

  test("rpc.discover describes list.count, and list's limit takes null", async () => {
    const doc = await client.call("rpc.discover", {});
    const count = doc.methods.find((method) => method.name === "list.count");
    expect(count).toBeDefined();
    expect(JSON.stringify(count)).toContain("project");
    expect(JSON.stringify(count?.params)).not.toContain('"limit"');
    const list = doc.methods.find((method) => method.name === "list");
    expect(JSON.stringify(list)).toContain("null");
  });
});

describe("ids, logs, concurrency", () => {
  test("a unique prefix resolves; an ambiguous one lists the matches", async () => {
    // A ULID starts with its millisecond: tasks made at another time have their own prefix.
    clock.set("2030-01-01T00:00:00.000Z");
    const task = await client.call("task.create", { title: "Prefix me" });
    expect((await client.call("task.get", { id: task.id.slice(0, 10).toLowerCase() })).id).toBe(
      task.id,
    );
    // Made in one and the same millisecond, these two share their first 10 characters (and more).
    clock.set("2031-01-01T00:00:00.000Z");
    const a = await client.call("task.create", { title: "twin a" });
    const b = await client.call("task.create", { title: "twin b" });
    const shared = a.id.slice(0, 10);
    expect(b.id.slice(0, 10)).toBe(shared);
    const ambiguous = await failure(client.call("task.get", { id: shared }));
    expect(ambiguous.kind).toBe("ambiguous");
    expect(ambiguous.message).toContain(a.id);
    expect(ambiguous.message).toContain(b.id);
    expect((await client.call("task.get", { id: b.id })).title).toBe("twin b");
    clock.set("2026-11-26T10:00:00.000Z");
  });

  test("N clients appending M notes each leave exactly N×M entries, in order per client", async () => {
    const task = await client.call("task.create", { title: "Busy log" });
    const clients = Array.from({ length: 8 }, () => new RpcClient(daemon.paths.socket));
    await Promise.all(
      clients.map((c, n) =>
        Promise.all(
          Array.from({ length: 25 }, (_, m) =>
            c.call("log.append", { id: task.id, text: `client ${n} note ${m}` }),
          ),
        ),
      ),
    );
    for (const c of clients) c.close();
    const log = await client.call("log.tail", { id: task.id, limit: 1000 });
    expect(log.filter((e) => e.kind === "note")).toHaveLength(200);
  });

  test("node.create refuses tasks and projects (their own methods set them up)", async () => {
    const refused = await failure(client.call("node.create", { kind: "task", title: "x" }));
    expect(refused.message).toContain("task.create");
  });
});

describe("time zones", () => {
  async function todayIn(timeZone: string, instant: string) {
    const zoned = await startTestDaemon(manualClock(instant), timeZone);
    const c = new RpcClient(zoned.paths.socket);
    try {
      const info = await c.call("daemon.info", {});
      const task = await c.call("task.create", { title: "when?", do_date: "today" });
      const daily = await c.call("task.create", {
        title: "daily",
        do_date: "today",
        recurrence: "daily",
      });
      const rolled = await c.call("task.done", { id: daily.id });
      return { zone: info.time_zone, today: task.do_date, next: rolled.do_date };
    } finally {
      c.close();
      await zoned.stop();
    }
  }

  test("today is the calendar date at the daemon's instant in its zone", async () => {
    // One instant, three calendar dates.
    expect(await todayIn("Pacific/Kiritimati", "2026-11-26T10:30:00.000Z")).toEqual({
      zone: "Pacific/Kiritimati",
      today: "2026-11-27",
      next: "2026-11-28",
    });
    expect(await todayIn("UTC", "2026-11-26T10:30:00.000Z")).toEqual({
      zone: "UTC",
      today: "2026-11-26",
      next: "2026-11-27",
    });
    expect(await todayIn("Pacific/Pago_Pago", "2026-11-26T10:30:00.000Z")).toEqual({
      zone: "Pacific/Pago_Pago",
      today: "2026-11-25",
      next: "2026-11-26",
    });
  });

  test("around a DST change, dates move by calendar days, never by 23 or 25 hours", async () => {
    // New York springs forward at 2026-03-08 07:00 UTC (02:00 EST → 03:00 EDT).
    expect((await todayIn("America/New_York", "2026-03-08T04:59:00.000Z")).today).toBe(
      "2026-03-07",
    );
    expect(await todayIn("America/New_York", "2026-03-08T06:30:00.000Z")).toMatchObject({
      today: "2026-03-08",
      next: "2026-03-09",
    });
    // …and falls back at 2026-11-01 06:00 UTC: 23:30 EST on the 1st is still the 1st.
    expect(await todayIn("America/New_York", "2026-11-02T04:30:00.000Z")).toMatchObject({
      today: "2026-11-01",
      next: "2026-11-02",
    });
  });
});
