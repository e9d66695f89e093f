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
      body: `- [ ] [[${ID}]] milk\n- [ ] eggs\n- [ ] milk\n`,
    });
    if (first.outcome !== "linked") throw new Error("not linked");
    expect(linkChecklistLine(first.body, "- [ ] milk", ID)).toEqual({ outcome: "already" });
  });

  test("trailing spaces and CRLF do not matter; a missing line is reported", () => {
    expect(linkChecklistLine("- [ ] milk  \r\nx", "- [ ] milk", ID)).toEqual({
      outcome: "linked",
      body: `- [ ] [[${ID}]] milk\r\nx`,
    });
    // A Tasks-plugin line keeps its fields at the end; a line that is no checklist item gets
    // the link at its end.
    expect(
      linkChecklistLine("  * [x] Pay rent 📅 2025-06-20", "  * [x] Pay rent 📅 2025-06-20", ID),
    ).toEqual({
      outcome: "linked",
      body: `  * [x] [[${ID}]] Pay rent 📅 2025-06-20`,
    });
    expect(linkChecklistLine("Pay rent", "Pay rent", ID)).toEqual({
      outcome: "linked",
      body: `Pay rent [[${ID}]]`,
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
