import { describe, expect, test } from "bun:test";
import { MAX_FRONTMATTER_BYTES, readNote } from "../../src/import/obsidian/read-note.ts";

describe("readNote", () => {
  test("the file name is the title; frontmatter gives aliases, tags, properties", () => {
    const note = readNote(
      "Work/Plan.md",
      "---\naliases: P\ntags: [a, '#b']\nstatus: draft\nproject: x\n---\nbody\n",
    );
    expect(note).toMatchObject({
      folder: "Work",
      title: "Plan",
      aliases: ["P"],
      tags: ["a", "b"],
      body: "body\n",
      properties: { status: "draft", project: "x" },
      heph: null,
      notes: [],
    });
  });

  test("a frontmatter title wins, and the file name stays reachable as an alias", () => {
    const note = readNote("202301011200.md", "---\ntitle: My Note\n---\n");
    expect(note.title).toBe("My Note");
    expect(note.aliases).toEqual(["202301011200"]);
    // A file name too long to be an alias (over 200 characters) is not made one.
    const long = "n".repeat(250);
    expect(readNote(`${long}.md`, "---\ntitle: Short\n---\n").aliases).toEqual([]);
  });

  test("a frontmatter heph cannot read stays in the body, with the reason", () => {
    const broken = "---\ntags: [unclosed\n---\ntext\n";
    const note = readNote("a.md", broken);
    expect(note.body).toBe(broken);
    expect(note.notes[0]).toContain("Invalid YAML");
    const wrongType = readNote("b.md", "---\ntitle: [1, 2]\ntags: x\n---\n");
    expect(wrongType.title).toBe("b");
    expect(wrongType.tags).toEqual(["x"]);
    expect(wrongType.properties).toEqual({ title: [1, 2] });
    expect(wrongType.notes[0]).toContain("kept as a property");
  });

  test("an alias bomb and an oversized block are refused, not expanded", () => {
    const laughs = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 12; i++)
      laughs.push(`b${i}: &b${i} [${`*${i === 1 ? "a" : `b${i - 1}`}, `.repeat(9)}]`);
    const bomb = readNote("bomb.md", `---\n${laughs.join("\n")}\n---\n`);
    expect(bomb.notes).toHaveLength(1);
    expect(bomb.body.startsWith("---\na: &a")).toBe(true);
    const big = `---\nx: "${"y".repeat(MAX_FRONTMATTER_BYTES)}"\n---\nrest\n`;
    const huge = readNote("big.md", big);
    expect(huge.body).toBe(big);
    expect(huge.notes[0]).toContain("over");
  });

  test("a `heph:` value that is not heph's block is an ordinary property", () => {
    const note = readNote("c.md", "---\nheph: cool tool\n---\n");
    expect(note.heph).toBeNull();
    expect(note.properties).toEqual({ heph: "cool tool" });
  });
});
