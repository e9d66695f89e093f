/** Every task command on the compiled binary, with its --json shape, against a real daemon. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { RpcClient } from "../../src/client/client.ts";
import {
  type BinaryDaemon,
  isolatedEnv,
  runHeph,
  spawnDaemon,
  startBinaryDaemon,
} from "../helpers/binary.ts";
import { tempPaths } from "../helpers/tmp.ts";

let daemon: BinaryDaemon;
let env: Record<string, string>;

beforeAll(async () => {
  daemon = await startBinaryDaemon();
  env = daemon.env;
});
afterAll(() => daemon.stop());

const heph = (...args: string[]) => runHeph(args, env);
async function json(...args: string[]) {
  const result = await heph(...args, "--json");
  if (result.exitCode !== 0)
    throw new Error(`heph ${args.join(" ")} failed (${result.exitCode}): ${result.stderr}`);
  expect(result.stderr).toBe("");
  return JSON.parse(result.stdout);
}

const today = new Date().toISOString().slice(0, 10);
const dayAfter = (days: number) =>
  new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const TASK_FIELDS = [
  "id",
  "title",
  "state",
  "attention",
  "do_date",
  "late_on",
  "recurrence",
  "project",
  "created_at",
];

describe("creating", () => {
  test("heph add parses one line; --json prints the created task", async () => {
    const task = await json("add", "Pay rent tomorrow p1 #Home every month");
    for (const field of TASK_FIELDS) expect(task).toHaveProperty(field);
    expect(task).toMatchObject({
      title: "Pay rent",
      attention: "red",
      project: "Home",
      recurrence: "FREQ=MONTHLY",
      do_date: dayAfter(1),
      state: "outstanding",
    });
    const human = await heph("add", "Buy stamps");
    expect(human.exitCode).toBe(0);
    expect(human.stdout).toContain("Added");
    expect(human.stdout).toContain("Buy stamps");
  });

  test("heph task takes the title as written, with flags", async () => {
    const task = await json(
      "task",
      "Renew passport p1 tomorrow",
      "--project",
      "Admin",
      "--do",
      "today",
      "--late",
      "+10d",
      "--attention",
      "orange",
      "--recur",
      "yearly",
    );
    expect(task).toMatchObject({
      title: "Renew passport p1 tomorrow",
      project: "Admin",
      do_date: today,
      late_on: dayAfter(10),
      attention: "orange",
      recurrence: "FREQ=YEARLY",
    });
    const rrule = await json("task", "Standup", "--rrule", "FREQ=WEEKLY;BYDAY=MO,WE,FR");
    expect(rrule.recurrence).toContain("BYDAY=MO,WE,FR");
  });

  test("bad input: a clear error, exit 1 or 2, nothing created", async () => {
    const before = (await json("list", "--all")).length;
    const badDate = await heph("task", "x", "--do", "2026-02-30");
    expect(badDate.exitCode).toBe(1);
    expect(badDate.stderr).toContain("2026-02-30");
    const badColour = await heph("task", "x", "--attention", "purple");
    expect(badColour.exitCode).toBe(2);
    expect(badColour.stderr).toContain("purple");
    const both = await heph("task", "x", "--recur", "daily", "--rrule", "FREQ=DAILY");
    expect(both.exitCode).toBe(2);
    const badRule = await heph("task", "x", "--recur", "every blue moon");
    expect(badRule.exitCode).toBe(1);
    expect(badRule.stderr).toContain("every blue moon");
    const emptyTitle = await heph("add", "p1 #Home tomorrow");
    expect(emptyTitle.exitCode).toBe(1);
    expect((await json("list", "--all")).length).toBe(before);
  });
});

describe("reading", () => {
  test("next: an array of tasks in order; --explain says why", async () => {
    await json("task", "Overdue bill", "--late", "2020-01-01");
    const next = await json("next", "--limit", "5");
    expect(Array.isArray(next)).toBe(true);
    expect(next[0].title).toBe("Overdue bill");
    for (const field of TASK_FIELDS) expect(next[0]).toHaveProperty(field);
    const explained = await heph("next", "--explain");
    expect(explained.stdout).toContain("Late by");
    expect(explained.stdout).toContain("Overdue bill");
  });

  test("list with filters, and view by name", async () => {
    const home = await json("list", "--project", "Home");
    expect(home.map((t: { title: string }) => t.title)).toEqual(["Pay rent"]);
    const red = await json("list", "--attention", "red");
    expect(red.every((t: { attention: string }) => t.attention === "red")).toBe(true);
    const inbox = await json("view", "inbox");
    expect(inbox.map((t: { title: string }) => t.title)).toContain("Buy stamps");
    const late = await json("view", "late");
    expect(late.map((t: { title: string }) => t.title)).toEqual(["Overdue bill"]);
    const views = await heph("view");
    expect(views.stdout).toContain("upcoming");
    expect((await heph("view", "someday")).exitCode).toBe(2);
    expect((await heph("list", "--attention", "pink")).exitCode).toBe(2);
  });

  test("show prints the task, its context and its log; ids work by unique prefix", async () => {
    const [task] = await json("list", "--project", "Home");
    const shown = await json("show", task.id.slice(0, 12));
    expect(shown).toMatchObject({ id: task.id, title: "Pay rent" });
    expect(shown.log[0].kind).toBe("created");
    const human = await heph("show", task.id);
    expect(human.stdout).toContain("Pay rent");
    expect(human.stdout).toContain("every month");
  });
});

describe("changing", () => {
  test("done, skip, drop, reopen; several ids at once; one bad id fails the command", async () => {
    const a = await json("add", "Errand one");
    const b = await json("add", "Errand two");
    const done = await json("done", a.id, b.id);
    expect(done.map((r: { task: { state: string } }) => r.task.state)).toEqual(["done", "done"]);
    const mixed = await heph("reopen", a.id, "ZZZZZZZZ");
    expect(mixed.exitCode).toBe(1);
    expect(mixed.stdout).toContain("Reopened: Errand one");
    expect(mixed.stderr).toContain("ZZZZZZZZ");
    expect((await json("drop", a.id))[0].task.state).toBe("dropped");
    const recurring = await json("add", "Water plants every 3 days");
    const skipped = await json("skip", recurring.id);
    expect(skipped[0].task.do_date).toBe(dayAfter(3));
  });

  test("attention and edit, with none clearing fields", async () => {
    const task = await json("add", "Tidy desk tomorrow #Home");
    expect((await json("attention", task.id, "blue")).attention).toBe("blue");
    expect((await heph("attention", task.id, "purple")).exitCode).toBe(2);
    const edited = await json(
      "edit",
      task.id,
      "--title",
      "Tidy the desk",
      "--do",
      "none",
      "--project",
      "none",
      "--late",
      "2030-01-01",
    );
    expect(edited).toMatchObject({
      title: "Tidy the desk",
      do_date: null,
      project: null,
      late_on: "2030-01-01",
    });
    expect((await heph("edit", task.id)).exitCode).toBe(2);
  });

  test("context and log", async () => {
    const task = await json("add", "Plan trip");
    await heph("context", task.id, "--body", "- [ ] book train");
    await heph("context", task.id, "--append", "- [ ] pack");
    const context = await heph("context", task.id);
    expect(context.stdout).toBe("- [ ] book train\n- [ ] pack\n");
    const entry = await json("log", task.id, "Called the hotel");
    expect(entry).toMatchObject({ kind: "note", text: "Called the hotel" });
    const log = await json("log", task.id);
    expect(log.map((e: { kind: string }) => e.kind)).toEqual(["created", "note"]);
  });

  test("projects: add, list, move (cycles refused), rename", async () => {
    expect((await json("project", "add", "Garden")).path).toEqual(["Garden"]);
    expect((await json("project", "add", "Roses", "--parent", "Garden")).path).toEqual([
      "Garden",
      "Roses",
    ]);
    const cycle = await heph("project", "move", "Garden", "--parent", "Roses");
    expect(cycle.exitCode).toBe(1);
    expect(cycle.stderr).toContain("inside");
    expect((await json("project", "move", "Roses", "--parent", "none")).path).toEqual(["Roses"]);
    expect((await json("project", "rename", "Roses", "Flowers")).name).toBe("Flowers");
    const list = await json("project", "list");
    expect(list.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(["Admin", "Flowers", "Garden", "Home"]),
    );
    const human = await heph("project", "list");
    expect(human.stdout).toContain("Home");
  });

  test("an empty next says so kindly", async () => {
    const empty = tempPaths();
    const emptyEnv = isolatedEnv(empty.dir, { HEPH_SOCKET: empty.socket, HEPH_DB: empty.db });
    const other = await spawnDaemon(
      ["hephd", "--mode", "local", "--log", empty.log],
      emptyEnv,
      empty.socket,
    );
    const result = await runHeph(["next"], emptyEnv);
    other.process.kill("SIGTERM");
    await other.process.exited;
    empty.cleanup();
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("Nothing to do right now");
  });
});

describe("list pages", () => {
  // A daemon of its own: 60 outstanding tasks, 2 done, so every count below is exact.
  let paged: BinaryDaemon;
  const list = (...args: string[]) => runHeph(["list", ...args], paged.env);
  const lines = (text: string) => text.split("\n").filter(Boolean);
  const DEFAULT_HINT = "(--limit N for more, --all for every task in every state)";

  beforeAll(async () => {
    paged = await startBinaryDaemon();
    const client = new RpcClient(paged.paths.socket);
    try {
      for (let i = 0; i < 60; i++) await client.call("task.create", { title: `Paged task ${i}` });
      for (const title of ["Closed one", "Closed two"]) {
        const task = await client.call("task.create", { title });
        await client.call("task.done", { id: task.id });
      }
    } finally {
      client.close();
    }
  });
  afterAll(() => paged.stop());

  test("the default page: 50 rows on stdout, one hint with the rest on stderr", async () => {
    const result = await list();
    expect(result.exitCode).toBe(0);
    expect(lines(result.stdout)).toHaveLength(50);
    expect(result.stdout).toContain("Paged task 0");
    expect(result.stdout).not.toContain("Paged task 50");
    expect(result.stdout).not.toContain("more");
    expect(result.stderr).toBe(`… 10 more ${DEFAULT_HINT}\n`);
  });

  test("--limit N: N rows, and the hint only while more match", async () => {
    const more = await list("--limit", "55");
    expect(lines(more.stdout)).toHaveLength(55);
    expect(more.stderr).toBe(`… 5 more ${DEFAULT_HINT}\n`);
    const fits = await list("--limit", "60");
    expect(lines(fits.stdout)).toHaveLength(60);
    expect(fits.stderr).toBe("");
    const bad = await list("--limit", "0");
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain("--limit takes a whole number of 1 or more, not 0.");
  });

  test("--all: every task of every state, no page limit, no hint", async () => {
    const all = await list("--all");
    expect(all.exitCode).toBe(0);
    expect(lines(all.stdout)).toHaveLength(62);
    expect(lines(all.stdout).filter((line) => line.endsWith("[done]"))).toHaveLength(2);
    expect(all.stderr).toBe("");
    const capped = await list("--all", "--limit", "3");
    expect(lines(capped.stdout)).toHaveLength(3);
    expect(capped.stderr).toBe("… 59 more (--all without --limit for all of them)\n");
  });

  test("--state done --all: every task in those states; --state alone pages", async () => {
    const done = await list("--state", "done", "--all");
    expect(done.exitCode).toBe(0);
    expect(lines(done.stdout)).toHaveLength(2);
    expect(lines(done.stdout).every((line) => line.endsWith("[done]"))).toBe(true);
    expect(done.stderr).toBe("");
    const page = await list("--state", "done", "--limit", "1");
    expect(lines(page.stdout)).toHaveLength(1);
    expect(page.stderr).toBe("… 1 more (--limit N for more, --all for all of them)\n");
    const outstanding = await list("--state", "outstanding", "--all");
    expect(lines(outstanding.stdout)).toHaveLength(60);
    expect(outstanding.stderr).toBe("");
  });

  test("--json: stdout is the same array of tasks, paged the same way; the hint stays on stderr", async () => {
    const page = await list("--json");
    expect(page.exitCode).toBe(0);
    const tasks = JSON.parse(page.stdout);
    expect(Array.isArray(tasks)).toBe(true);
    expect(tasks).toHaveLength(50);
    for (const field of TASK_FIELDS) expect(tasks[0]).toHaveProperty(field);
    expect(page.stderr).toBe(`… 10 more ${DEFAULT_HINT}\n`);
    // The same rows, in the same order, as the table (ids are printed as prefixes there).
    const table = lines((await list()).stdout).map((line) => line.split(" ")[0]);
    expect(
      tasks.map((task: { id: string }, i: number) => task.id.startsWith(table[i] ?? "-")),
    ).toEqual(tasks.map(() => true));
    const all = await list("--json", "--all");
    expect(JSON.parse(all.stdout)).toHaveLength(62);
    expect(all.stderr).toBe("");
  });

  test("a filter that matches little: everything fits, no hint", async () => {
    const few = await list("--state", "done");
    expect(lines(few.stdout)).toHaveLength(2);
    expect(few.stderr).toBe("");
    const none = await list("--attention", "red");
    expect(none.stdout).toBe("No tasks match.\n");
    expect(none.stderr).toBe("");
  });
});
