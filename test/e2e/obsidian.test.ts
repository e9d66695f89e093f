/**
 * `heph import obsidian` and `heph export markdown` end to end: dist/heph against daemons from
 * the binary, on the real vault in shared/corpora (a copy, so it can be edited and broken). The
 * store is read back through the `export` RPC; the expectations are computed from the files.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  chmodSync,
  cpSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { join, relative, resolve } from "node:path";
import { RpcClient } from "../../src/client/client.ts";
import type { ExportLink, ExportNode } from "../../src/protocol/import-schemas.ts";
import { type BinaryDaemon, hephBinary, runHeph, startBinaryDaemon } from "../helpers/binary.ts";
import { runOnTerminal } from "../helpers/pty.ts";

const AT = "2026-12-01T09:00:00.000Z";
const CORPUS = resolve(import.meta.dir, "../../../shared/corpora/obsidian-tasks-demo");

let a: BinaryDaemon;
let clientA: RpcClient;
let vault: string;

function walk(dir: string, root = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name.startsWith(".")) return [];
    const full = join(dir, entry.name);
    return entry.isDirectory() ? walk(full, root) : [relative(root, full)];
  });
}

async function everything(client: RpcClient) {
  const page = await client.call("export", { limit: 5000 });
  expect(page.next_after).toBeNull();
  return page;
}

const importVault = (daemon: BinaryDaemon, dir: string, ...flags: string[]) =>
  runHeph(["import", "obsidian", dir, "--json", ...flags], daemon.env);

beforeAll(async () => {
  a = await startBinaryDaemon();
  clientA = new RpcClient(a.paths.socket);
  vault = join(a.paths.dir, "vault");
  cpSync(CORPUS, vault, { recursive: true });
  chmodSync(vault, 0o755);
  for (const path of walk(vault)) chmodSync(join(vault, path), 0o644);
  for (const dir of new Set(walk(vault).map((p) => p.split("/").slice(0, -1).join("/"))))
    if (dir) chmodSync(join(vault, dir), 0o755);
});
afterAll(async () => {
  clientA.close();
  await a.stop();
});

describe("heph import obsidian on the shared vault", () => {
  const notes = () => walk(CORPUS).filter((p) => p.endsWith(".md"));
  const isDaily = (p: string) => /^\d{4}-\d{2}-\d{2}\.md$/.test(p.split("/").pop() ?? "");

  test("a dry run counts every note and writes nothing", async () => {
    const run = await importVault(a, vault, "--dry-run");
    expect(run.exitCode).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.counts.created).toBe(notes().length);
    expect((await everything(clientA)).nodes).toEqual([]);
  });

  test("notes become docs in their folders, daily notes journals, Tasks lines tasks", async () => {
    const run = await importVault(a, vault, "--tasks", "--global-filter", "#task");
    expect(run.exitCode).toBe(0);
    const { nodes } = await everything(clientA);
    const imported = nodes.filter((n) => n.sources.some((s) => s.source === "obsidian"));
    const byKey = new Map(imported.map((n) => [n.sources[0]?.key as string, n]));
    for (const path of notes()) {
      const node = byKey.get(path) as ExportNode;
      expect(node.kind).toBe(isDaily(path) ? "journal" : "doc");
      expect(node.folder).toBe(path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "");
    }
    const journal = byKey.get("Daily Notes/2025-06-19.md") as ExportNode;
    expect(journal.title).toBe("2025-06-19");

    // - [ ] #task Take out the trash 🔁 every week on Monday ➕ 2024-02-19 📅 2024-03-04
    // - [x] #task Take out the trash 🔁 every week on Monday ➕ 2024-02-12 📅 2024-02-19 ✅ 2024-02-19
    const trash = nodes.filter((n) => n.kind === "task" && n.title === "Take out the trash");
    const open = trash.find((t) => t.task?.state === "outstanding") as ExportNode;
    const done = trash.find((t) => t.task?.state === "done") as ExportNode;
    expect(open.task).toMatchObject({ late_on: "2024-03-04", recurrence: "FREQ=WEEKLY;BYDAY=MO" });
    expect(open.created_at).toBe("2024-02-19T12:00:00.000Z");
    expect(done.task?.closed_at).toBe("2024-02-19T12:00:00.000Z");
    // The checklist line links to its task right after the box, so Tasks still reads its fields.
    const source = byKey.get(open.sources[0]?.key.split("#")[0] as string) as ExportNode;
    expect(source.body).toContain(`- [ ] [[${open.id}]] #task Take out the trash 🔁`);

    // - [ ] #task Cook dinner ⏫ ⏳ 2021-11-23: high → red, scheduled → do-date.
    const dinner = nodes.find((n) => n.title === "Cook dinner") as ExportNode;
    expect(dinner.task).toMatchObject({ attention: "red", do_date: "2021-11-23", late_on: null });
  });

  test("links resolve as Obsidian resolves them: by path, and by name in any case", async () => {
    const { nodes, links } = await everything(clientA);
    const idOf = (key: string) => nodes.find((n) => n.sources[0]?.key === key)?.id;
    const target = idOf("Test Data/link_in_task_wikilink.md") as string;
    const from = (key: string) => links.filter((l: ExportLink) => l.src === idOf(key));
    const self = from("Test Data/link_in_task_wikilink.md");
    expect(self.find((l) => l.target === "Test Data/link_in_task_wikilink")?.dst).toBe(target);
    const everywhere = from("Test Data/links_everywhere.md");
    expect(everywhere.find((l) => l.target === "link_in_task_wikilink")?.dst).toBe(target);
  });

  test("a name two notes share: the path decides, else the same folder, else the top", async () => {
    const twins = join(a.paths.dir, "twins");
    for (const dir of ["Deep/Down", "Near"]) mkdirSync(join(twins, dir), { recursive: true });
    writeFileSync(join(twins, "Deep/Down/Plan.md"), "deep\n");
    writeFileSync(join(twins, "Near/Plan.md"), "near\n");
    writeFileSync(join(twins, "Near/Start.md"), "[[Plan]]\n");
    writeFileSync(join(twins, "Deep/Start deep.md"), "[[Down/Plan]] and [[Near/plan]]\n");
    writeFileSync(join(twins, "Top.md"), "[[plan]]\n");
    expect((await importVault(a, twins)).exitCode).toBe(0);
    const id = async (title: string) => (await clientA.call("node.find", { ref: title })).id;
    const deep = (await clientA.call("node.resolve", { title: "Deep/Down/Plan" }))?.id as string;
    const near = (await clientA.call("node.resolve", { title: "Near/Plan" }))?.id as string;
    expect(deep).toBeDefined();
    expect(near).toBeDefined();
    expect(deep).not.toBe(near);
    const dst = async (title: string) =>
      (await clientA.call("links.out", { id: await id(title) })).map((l) => [l.target, l.dst]);
    expect(await dst("Start")).toEqual([["Plan", near]]);
    expect(await dst("Start deep")).toEqual([
      ["Down/Plan", deep],
      ["Near/plan", near],
    ]);
    // From the top, the shallower of the two.
    expect(await dst("Top")).toEqual([["plan", near]]);
  });

  test("importing again changes nothing; an edited note is updated, a new one created", async () => {
    const again = JSON.parse(
      (await importVault(a, vault, "--tasks", "--global-filter", "#task")).stdout,
    );
    expect(again.counts.created + again.counts.updated).toBe(0);
    writeFileSync(join(vault, "ACME.md"), "# ACME\n\nRewritten in Obsidian.\n");
    writeFileSync(join(vault, "Brand new.md"), "See [[ACME]].\n");
    const run = await importVault(a, vault, "--tasks", "--global-filter", "#task");
    const report = JSON.parse(run.stdout);
    expect(report.counts).toMatchObject({ created: 1, updated: 1 });
    const acme = await clientA.call("node.find", { ref: "ACME" });
    expect(acme.body).toBe("# ACME\n\nRewritten in Obsidian.\n");
    const fresh = await clientA.call("node.find", { ref: "Brand new" });
    expect((await clientA.call("links.out", { id: fresh.id }))[0]?.dst).toBe(acme.id);
  });

  test("a terminal gets a progress bar; a pipe gets plain lines", async () => {
    const onTerminal = await runOnTerminal(
      [hephBinary, "import", "obsidian", vault, "--dry-run"],
      a.env,
    );
    expect(onTerminal.exitCode).toBe(0);
    expect(onTerminal.output).toMatch(/\rimporting from obsidian \[#+\] \d+\/\d+/);
    const piped = await runHeph(["import", "obsidian", vault, "--dry-run"], a.env);
    expect(piped.stderr).toMatch(/^importing from obsidian: \d+\/\d+ records$/m);
    expect(piped.stderr).not.toContain("\r");
  });

  test("the vault's own settings: daily notes' folder and format, the Tasks global filter", async () => {
    const settings = join(a.paths.dir, "settings-vault");
    mkdirSync(join(settings, ".obsidian/plugins/obsidian-tasks-plugin"), { recursive: true });
    mkdirSync(join(settings, "Journal/2025"), { recursive: true });
    writeFileSync(
      join(settings, ".obsidian/daily-notes.json"),
      JSON.stringify({ folder: "Journal", format: "YYYY/DD.MM.YYYY" }),
    );
    writeFileSync(
      join(settings, ".obsidian/plugins/obsidian-tasks-plugin/data.json"),
      JSON.stringify({ globalFilter: "#todo", other: 1 }),
    );
    writeFileSync(
      join(settings, "Journal/2025/19.06.2025.md"),
      "- [ ] #todo Water plants 📅 2025-06-20\n- [ ] not a task\n",
    );
    writeFileSync(join(settings, "2025-06-21.md"), "a note, not a daily note here\n");
    const run = await importVault(a, settings, "--tasks");
    expect(run.exitCode).toBe(0);
    const report = JSON.parse(run.stdout);
    const kinds = Object.fromEntries(
      report.results.map((r: { key: string; kind: string }) => [r.key, r.kind]),
    );
    expect(kinds).toEqual({
      "2025-06-21.md": "doc",
      "Journal/2025/19.06.2025.md": "journal",
      "Journal/2025/19.06.2025.md#Water plants": "task",
    });
    const water = await clientA.call("node.find", { ref: "Water plants" });
    expect((await clientA.call("task.get", { id: water.id })).late_on).toBe("2025-06-20");
  });

  test("bad files are reported by path; the others land and nothing is half-written", async () => {
    const bad = join(a.paths.dir, "bad-vault");
    mkdirSync(join(bad, "sub"), { recursive: true });
    writeFileSync(join(bad, "good.md"), "fine\n");
    writeFileSync(join(bad, "latin1.md"), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
    // 50 MB, sparse: heph refuses it by its size, before reading a byte.
    writeFileSync(join(bad, "sub/huge.md"), "");
    truncateSync(join(bad, "sub/huge.md"), 50 * 1024 * 1024);
    const laughs = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 12; i++)
      laughs.push(`${"b".repeat(i)}: &b${i} [${`*${i === 1 ? "a" : `b${i - 1}`}, `.repeat(9)}]`);
    writeFileSync(join(bad, "bomb.md"), `---\n${laughs.join("\n")}\n---\nbody\n`);
    writeFileSync(join(bad, "broken.md"), "---\ntitle: [unclosed\n---\ntext\n");
    const run = await importVault(a, bad);
    expect(run.exitCode).toBe(1);
    const report = JSON.parse(run.stdout);
    const unreadable = report.problems.map((p: { where: string }) => p.where).sort();
    expect(unreadable).toEqual(["latin1.md", "sub/huge.md"]);
    expect(report.counts.created).toBe(3);
    // A frontmatter heph cannot read stays in the body, as written.
    const broken = await clientA.call("node.find", { ref: "broken" });
    expect(broken.body).toBe("---\ntitle: [unclosed\n---\ntext\n");
    const bomb = await clientA.call("node.find", { ref: "bomb" });
    expect(bomb.body.startsWith("---\na: &a")).toBe(true);
  });
});

describe("heph export markdown, imported into an empty store", () => {
  /** The store as `export` gives it, without what an import is free to differ in. */
  const comparable = (page: { nodes: ExportNode[]; links: ExportLink[] }) => ({
    nodes: page.nodes.map(({ sources: _s, updated_at: _u, ...node }) => node),
    links: [...page.links].sort((x, y) =>
      `${x.src} ${x.type} ${x.target}`.localeCompare(`${y.src} ${y.type} ${y.target}`),
    ),
  });

  async function roundTrip(from: BinaryDaemon) {
    const out = join(from.paths.dir, `export-${Date.now()}`);
    const exported = await runHeph(["export", "markdown", out], from.env);
    expect(exported.exitCode).toBe(0);
    const b = await startBinaryDaemon();
    const clientB = new RpcClient(b.paths.socket);
    try {
      const run = await importVault(b, out);
      expect(run.exitCode).toBe(0);
      return { out, after: await everything(clientB) };
    } finally {
      clientB.close();
      await b.stop();
    }
  }

  test("the shared vault's store comes back the same: nodes, fields, links, journals", async () => {
    const before = await everything(clientA);
    const { out, after } = await roundTrip(a);
    expect(comparable(after)).toEqual(comparable(before));
    expect(JSON.parse(readFileSync(join(out, ".obsidian/daily-notes.json"), "utf8"))).toEqual({
      folder: "Daily Notes",
      format: "YYYY-MM-DD",
    });
    // The export refuses to write into a folder with files in it.
    const again = await runHeph(["export", "markdown", out], a.env);
    expect(again.exitCode).not.toBe(0);
    expect(again.stderr).toContain("not empty");
  });

  test("a generated store with every field comes back the same", async () => {
    const c = await startBinaryDaemon();
    const client = new RpcClient(c.paths.socket);
    try {
      const work = await client.call("project.create", { name: "Work" });
      await client.call("project.create", { name: "Client: A/B", parent: work.id });
      const rent = await client.call("task.create", {
        title: "Pay rent",
        attention: "red",
        do_date: "2026-12-01",
        late_on: "2026-12-03",
        recurrence: "FREQ=MONTHLY;BYMONTHDAY=1",
        project: "Client: A/B",
      });
      await client.call("log.append", { id: rent.id, text: "called the landlord" });
      const call = await client.call("task.create", { title: "Call Bob", attention: "blue" });
      await client.call("task.done", { id: call.id });
      const drop = await client.call("task.create", { title: "Old idea" });
      await client.call("task.drop", { id: drop.id });
      const doc = await client.call("node.create", { kind: "doc", title: "Notes: rent/2026" });
      await client.call("node.update", {
        id: doc.id,
        body: [
          "---",
          "title: 'Notes: rent/2026'",
          "aliases: [Landlord]",
          "tags: [home, money]",
          "rating: 5",
          "nested: {list: [1, two]}",
          "project: a property of a doc, not a task field",
          "---",
          `Paid by [[${rent.id}]], see [[Landlord]] and [[notes: RENT/2026]].`,
          "- [ ] sub #money",
          "",
        ].join("\n"),
      });
      await client.call("node.create", { kind: "doc", title: "Twin", body: "one" });
      await client.call("node.create", { kind: "doc", title: "twin", body: "two [[Twin]]" });
      await client.call("journal.get", { date: "2026-12-05" });
      const tag = await client.call("node.create", { kind: "tag", title: "money" });
      await client.call("links.add", { src: doc.id, type: "related", dst: rent.id });
      await client.call("links.add", { src: tag.id, type: "describes", dst: doc.id });
      // A sub-task is made only by imports.
      await client.call("import.apply", {
        source: "todoist",
        items: [
          {
            kind: "task",
            key: "p",
            hash: "1",
            title: "Move house",
            log: [{ at: AT, text: "boxes" }],
          },
          { kind: "task", key: "c", hash: "1", title: "Pack books", parent_key: "p" },
        ],
      });
      const before = await everything(client);
      expect(before.links.filter((l) => l.type === "subtask-of")).toHaveLength(1);
      const { out, after } = await roundTrip(c);
      expect(comparable(after)).toEqual(comparable(before));

      // The export edited in Obsidian and imported back into its own store: edits, no copies.
      const file = join(out, "Tasks", "Pay rent.md");
      writeFileSync(
        file,
        readFileSync(file, "utf8").replace("attention: red", "attention: orange"),
      );
      const back = await importVault(c, out);
      expect(back.exitCode).toBe(0);
      const report = JSON.parse(back.stdout);
      expect(report.counts.created).toBe(0);
      expect((await client.call("task.get", { id: rent.id })).attention).toBe("orange");
      expect((await everything(client)).nodes).toHaveLength(before.nodes.length);
    } finally {
      client.close();
      await c.stop();
    }
  });
});
