import { describe, expect, test } from "bun:test";
import {
  appendSection,
  findSection,
  importedSection,
  linkChecklistLine,
} from "../../src/core/import-text.ts";

const ID = "01JD3QZ5N6X4W8Y2T7R9M0K1AB";

describe("linkChecklistLine", () => {
  test("links the first line that reads the text, once", () => {
    const body = "- [ ] milk\n- [ ] eggs\n- [ ] milk\n";
    const first = linkChecklistLine(body, "- [ ] milk", ID);
    expect(first).toEqual({
      outcome: "linked",
      body: `- [ ] milk [[${ID}]]\n- [ ] eggs\n- [ ] milk\n`,
    });
    if (first.outcome !== "linked") throw new Error("not linked");
    expect(linkChecklistLine(first.body, "- [ ] milk", ID)).toEqual({ outcome: "already" });
  });

  test("trailing spaces and CRLF do not matter; a missing line is reported", () => {
    expect(linkChecklistLine("- [ ] milk  \r\nx", "- [ ] milk", ID)).toEqual({
      outcome: "linked",
      body: `- [ ] milk [[${ID}]]\r\nx`,
    });
    expect(linkChecklistLine("- [ ] eggs\n", "- [ ] milk", ID)).toEqual({ outcome: "missing" });
  });
});

describe("imported sections", () => {
  test("an appended section is found again, up to the next imported one", () => {
    const one = importedSection("obsidian", "Daily/a.md", "A");
    const two = importedSection("obsidian", "Daily/b.md", "B\n");
    const body = appendSection(appendSection("mine", one), two);
    expect(body).toBe(
      "mine\n\n---\n<!-- imported from obsidian: Daily/a.md -->\nA\n\n---\n<!-- imported from obsidian: Daily/b.md -->\nB\n",
    );
    const at = findSection(body, "obsidian", "Daily/a.md");
    expect(at && body.slice(at.start, at.end)).toBe(one);
    const last = findSection(body, "obsidian", "Daily/b.md");
    expect(last && body.slice(last.start, last.end)).toBe(two);
    expect(findSection(body, "obsidian", "Daily/c.md")).toBeUndefined();
  });

  test("a key with -- cannot end the comment early", () => {
    expect(importedSection("obsidian", "a--b.md", "")).toContain("a- -b.md");
  });
});
