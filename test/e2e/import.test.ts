/**
 * `heph import` end to end: dist/heph against a daemon from the binary. The Taskwarrior data is
 * made by the real `task` (2.6) in a temp TASKDATA/TASKRC and `task export`ed; the store is
 * checked through the RPC, not through the command's messages.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { RpcClient } from "../../src/client/client.ts";
import type { Task } from "../../src/protocol/task-schemas.ts";
import { type BinaryDaemon, runCommand, runHeph, startBinaryDaemon } from "../helpers/binary.ts";

let daemon: BinaryDaemon;
let client: RpcClient;
let exportFile: string;
let twEnv: Record<string, string>;

const task = (args: string[]) => runCommand(["task", ...args], twEnv);

beforeAll(async () => {
  daemon = await startBinaryDaemon();
  client = new RpcClient(daemon.paths.socket);
  const dir = daemon.paths.dir;
  const data = join(dir, "taskdata");
  writeFileSync(
    join(dir, "taskrc"),
    `data.location=${data}\nconfirmation=off\nverbose=nothing\nhooks=off\nnews.version=2.6.0\n`,
  );
  twEnv = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: dir,
    TASKDATA: data,
    TASKRC: join(dir, "taskrc"),
    TZ: "UTC",
  };
  for (const args of [
    [
      "add",
      "Water the ferns",
      "project:Home.Garden",
      "due:2026-12-01",
      "recur:weekly",
      "priority:H",
      "+plants",
    ],
    ["add", "Read the manual", "project:Work", "scheduled:2030-01-05", "wait:2030-01-03"],
    ["add", "Old report", "project:Work.Reports", "priority:M"],
    ["add", "Abandoned idea"],
    ["add", "Every three hours", "due:2026-12-01", "recur:3h"],
  ]) {
    const added = await task(args);
    if (added.exitCode !== 0) throw new Error(`task ${args.join(" ")}: ${added.stderr}`);
  }
  await task(["rc.recurrence=off", "description:Old report", "annotate", "first draft sent"]);
  await task(["rc.recurrence=off", "description:Old report", "done"]);
  await task(["rc.recurrence=off", "description:Abandoned idea", "delete"]);
  const exported = await task(["rc.recurrence=off", "export"]);
  exportFile = join(dir, "export.json");
  writeFileSync(exportFile, exported.stdout);
});
afterAll(async () => {
  client.close();
  await daemon.stop();
});

const all = () => client.call("list", { state: ["outstanding", "done", "dropped"], limit: 1000 });
const byTitle = (tasks: Task[], title: string) => tasks.find((t) => t.title === title) as Task;

describe("heph import taskwarrior", () => {
  test("a dry run prints what would happen and writes nothing", async () => {
    const run = await runHeph(["import", "taskwarrior", exportFile, "--dry-run"], daemon.env);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain("dry run");
    expect(run.stdout).toMatch(/5 {2}would be created/);
    expect(await all()).toEqual([]);
  });

  test("the export lands as tasks, with projects, dates, recurrence, log and states", async () => {
    const run = await runHeph(["import", "taskwarrior", exportFile, "--json"], daemon.env);
    expect(run.exitCode).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.counts).toMatchObject({ created: 5, skipped: 0, unreadable: 0 });
    expect(report.notes.map((n: { message: string }) => n.message).join()).toContain("recur:3h");
    const tasks = await all();
    expect(tasks).toHaveLength(5);
    expect(byTitle(tasks, "Water the ferns")).toMatchObject({
      attention: "red",
      recurrence: "FREQ=WEEKLY",
      do_date: "2026-12-01",
      late_on: null,
      tags: ["plants"],
      project: "Garden",
    });
    expect(byTitle(tasks, "Read the manual")).toMatchObject({
      do_date: "2030-01-05",
      project: "Work",
    });
    const report2 = byTitle(tasks, "Old report");
    expect(report2).toMatchObject({ state: "done", attention: "orange", project: "Reports" });
    expect(
      (await client.call("log.tail", { id: report2.id })).map((e) => [e.kind, e.text]),
    ).toEqual([
      ["created", ""],
      ["note", "first draft sent"],
      ["done", ""],
    ]);
    expect(byTitle(tasks, "Abandoned idea").state).toBe("dropped");
    expect(byTitle(tasks, "Every three hours")).toMatchObject({
      recurrence: null,
      late_on: "2026-12-01",
    });
    const paths = (await client.call("project.list", {})).map((p) => p.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["Home", "Home.Garden", "Work", "Work.Reports"]));
  });

  test("importing again, from stdin, changes nothing", async () => {
    const before = await all();
    const child = Bun.spawn(["sh", "-c", `"$HEPH" import taskwarrior - --json < "${exportFile}"`], {
      env: { ...daemon.env, HEPH: join(import.meta.dir, "../../dist/heph") },
      stdout: "pipe",
      stderr: "pipe",
    });
    const [stdout, code] = await Promise.all([new Response(child.stdout).text(), child.exited]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).counts).toMatchObject({ created: 0, updated: 0, unchanged: 5 });
    expect(await all()).toEqual(before);
  });

  test("a broken record is reported with its line, the rest go in, and the exit status is 1", async () => {
    const lines = (await Bun.file(exportFile).text()).trim().split("\n");
    const broken = join(daemon.paths.dir, "broken.json");
    const record = JSON.parse(lines[1]?.replace(/,$/, "") ?? "{}");
    writeFileSync(
      broken,
      `${JSON.stringify({ ...record, uuid: "new-one", description: "Fresh task" })}\n{"uuid": oops\n${JSON.stringify({ uuid: "x", status: "pending" })}\n`,
    );
    const run = await runHeph(["import", "taskwarrior", broken], daemon.env);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(`${broken} line 2`);
    expect(run.stdout).toContain(`${broken} line 3`);
    expect(byTitle(await all(), "Fresh task")).toBeDefined();
  });
});

describe("heph import todoist", () => {
  const fixtures = join(import.meta.dir, "../fixtures/todoist");

  test("the CSV template and the Sync backup land; a second run is all unchanged", async () => {
    const csv = await runHeph(
      ["import", "todoist", join(fixtures, "Home.csv"), "--json"],
      daemon.env,
    );
    expect(csv.exitCode).toBe(0);
    expect(JSON.parse(csv.stdout).counts).toMatchObject({ skipped: 0, unreadable: 0 });
    const json = await runHeph(
      ["import", "todoist", join(fixtures, "backup.json"), "--json"],
      daemon.env,
    );
    expect(json.exitCode).toBe(1); // one item of the fixture is broken on purpose
    expect(JSON.parse(json.stdout).problems[0].where).toContain("items[3]");
    const tasks = await all();
    const rent = byTitle(tasks, "Pay rent");
    expect(rent).toMatchObject({
      attention: "red",
      recurrence: "FREQ=MONTHLY",
      tags: ["bills"],
      project: "Home",
    });
    expect((await client.call("log.tail", { id: rent.id })).map((e) => e.text)).toContain(
      "Paid by card in March",
    );
    const washers = byTitle(tasks, "Buy washers");
    const links = await client.call("links.out", { id: washers.id });
    expect(links.find((l) => l.type === "subtask-of")?.dst).toBe(byTitle(tasks, "Call plumber").id);
    expect(byTitle(tasks, "Send invoice")).toMatchObject({
      attention: "red",
      late_on: "2026-12-05",
      project: "Next",
    });
    expect(byTitle(tasks, "Attach timesheet").state).toBe("done");
    expect(byTitle(tasks, "Think about lunch").project).toBeNull();

    const again = await runHeph(
      ["import", "todoist", join(fixtures, "Home.csv"), "--json"],
      daemon.env,
    );
    expect(JSON.parse(again.stdout).counts).toMatchObject({ created: 0, updated: 0 });
  });
});

describe("heph export json and heph backup", () => {
  test("export json writes the whole store, 0600, as one document", async () => {
    const file = join(daemon.paths.dir, "export.json");
    const run = await runHeph(["export", "json", file], daemon.env);
    expect(run.exitCode).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const document = JSON.parse(await Bun.file(file).text());
    expect(document).toMatchObject({
      format: "heph-export",
      format_version: 1,
      include_deleted: false,
    });
    const imported = document.nodes.filter((n: { sources: unknown[] }) => n.sources.length > 0);
    expect(imported.length).toBeGreaterThan(10);
    const stdout = await runHeph(["export", "json"], daemon.env);
    expect(JSON.parse(stdout.stdout).nodes.length).toBe(document.nodes.length);
  });

  test("backup writes a checked copy and refuses to overwrite without --force", async () => {
    const file = join(daemon.paths.dir, "copy.db");
    const first = await runHeph(["backup", file, "--json"], daemon.env);
    expect(first.exitCode).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ ok: true, integrity: ["ok"] });
    const again = await runHeph(["backup", file], daemon.env);
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toContain("--force");
    expect((await runHeph(["backup", file, "--force"], daemon.env)).exitCode).toBe(0);
  });
});
