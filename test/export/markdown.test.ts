import { describe, expect, test } from "bun:test";
import { buildVault, fileNameOf } from "../../src/export/markdown.ts";
import { readNote } from "../../src/import/obsidian/read-note.ts";
import type { ExportLink, ExportNode } from "../../src/protocol/import-schemas.ts";

const AT = "2026-12-05T10:00:00.000Z";
let n = 0;
function node(fields: Partial<ExportNode> & Pick<ExportNode, "title">): ExportNode {
  n++;
  return {
    id: `01JD3QZ5N6X4W8Y2T7R9M0K${String(n).padStart(3, "0")}`.slice(0, 26),
    kind: "doc",
    body: "",
    aliases: [],
    tags: [],
    properties: {},
    folder: null,
    created_at: AT,
    updated_at: AT,
    deleted_at: null,
    sources: [],
    task: null,
    project: null,
    ...fields,
  };
}

describe("fileNameOf", () => {
  test("characters Obsidian refuses become -, a leading dot is not a hidden file", () => {
    expect(fileNameOf('Client: A/B "x" #1 [y] ^z|w?')).toBe("Client- A-B -x- -1 -y- -z-w-");
    expect(fileNameOf(".env")).toBe("-env");
    expect(fileNameOf("   ")).toBe("Untitled");
    expect(fileNameOf("a".repeat(500)).length).toBe(180);
  });
});

describe("buildVault", () => {
  test("folders by origin or kind, unique names ignoring case, journals as daily notes", () => {
    const nodes = [
      node({ title: "Plan", folder: "Work/2026" }),
      node({ title: "plan", folder: "Work/2026" }),
      node({ title: "Idea" }),
      node({ kind: "journal", title: "2026-12-05" }),
      node({ kind: "project", title: "Home", project: { parent_id: null } }),
    ];
    const vault = buildVault(nodes, []);
    expect(vault.files.map((f) => f.path)).toEqual([
      "Work/2026/Plan.md",
      "Work/2026/plan (2).md",
      "Docs/Idea.md",
      "Journal/2026-12-05.md",
      "Projects/Home.md",
    ]);
    expect(vault.dailyNotes).toEqual({ folder: "Journal", format: "YYYY-MM-DD" });
  });

  test("links Obsidian would miss are written by path, and read back as heph wrote them", () => {
    const target = node({ title: "Pay: rent" });
    const twinA = node({ title: "Twin", folder: "A" });
    const twinB = node({ title: "Twin", folder: "B" });
    const body = `See [[${target.id}]], [[Pay: rent#Due|due]], ![[Twin]] and [[ok]].\n`;
    const source = node({ title: "Source", body });
    const ok = node({ title: "ok" });
    const links: ExportLink[] = [
      { src: source.id, type: "wiki", target: target.id, dst: target.id },
      { src: source.id, type: "wiki", target: "Pay: rent", dst: target.id },
      { src: source.id, type: "wiki", target: "Twin", dst: twinB.id },
      { src: source.id, type: "wiki", target: "ok", dst: ok.id },
    ];
    const vault = buildVault([target, twinA, twinB, source, ok], links);
    const file = vault.files.find((f) => f.path === "Docs/Source.md");
    expect(file?.text).toContain(
      `See [[Docs/Pay- rent|${target.id}]], [[Docs/Pay- rent#Due|due]], ![[B/Twin|Twin]] and [[ok]].`,
    );
    const read = readNote("Docs/Source.md", file?.text ?? "");
    expect(read.body).toBe(body);
    expect(read.heph?.id).toBe(source.id);
  });

  test("a doc's own `project` property is written; a task's fields and log travel", () => {
    const project = node({ kind: "project", title: "Home", project: { parent_id: null } });
    const doc = node({ title: "Doc", properties: { project: "mine", rating: 5 } });
    const task = node({
      kind: "task",
      title: "Pay rent",
      task: {
        state: "done",
        attention: "red",
        do_date: "2026-12-01",
        late_on: null,
        recurrence: null,
        project_id: project.id,
        context_id: null,
        parent_id: null,
        closed_at: AT,
        log: [{ at: AT, kind: "done", text: "" }],
      },
    });
    const vault = buildVault([project, doc, task], []);
    const docRead = readNote("Docs/Doc.md", vault.files[1]?.text ?? "");
    expect(docRead.properties).toEqual({ project: "mine", rating: 5 });
    const taskRead = readNote("Tasks/Pay rent.md", vault.files[2]?.text ?? "");
    expect(taskRead.task).toEqual({
      state: "done",
      attention: "red",
      do_date: "2026-12-01",
      project: "Home",
    });
    expect(taskRead.heph?.log).toEqual([{ at: AT, kind: "done", text: "" }]);
  });
});
