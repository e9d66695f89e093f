/** `[[wiki-links]]`: the grammar, what is not a link, and a smoke run over a real vault. */
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  parseWikiLinks,
  uniqueTargets,
  type WikiLink,
  wikiLinkRanges,
} from "../../src/core/wikilinks.ts";

type Shape = Omit<WikiLink, "raw" | "index">;
const doc = (...lines: string[]) => lines.join("\n");
const link = (target: string, more: Partial<Shape> = {}): Shape => ({
  target,
  heading: null,
  block: null,
  label: null,
  embed: false,
  ...more,
});
const shapes = (markdown: string): Shape[] =>
  parseWikiLinks(markdown).map(({ raw: _raw, index: _index, ...shape }) => shape);

describe("parseWikiLinks", () => {
  const cases: Array<[string, string, Shape[]]> = [
    ["plain", "see [[Note]] now", [link("Note")]],
    ["label", "[[Note|shown]]", [link("Note", { label: "shown" })]],
    ["heading", "[[Note#Plan]]", [link("Note", { heading: "Plan" })]],
    [
      "heading and label",
      "[[Note#Plan|the plan]]",
      [link("Note", { heading: "Plan", label: "the plan" })],
    ],
    ["block", "[[Note#^abc-123]]", [link("Note", { block: "abc-123" })]],
    ["block and label", "[[Note#^b1|see]]", [link("Note", { block: "b1", label: "see" })]],
    ["two headings keep the subpath", "[[Note#a#b]]", [link("Note", { heading: "a#b" })]],
    ["embed image", "![[image.png]]", [link("image.png", { embed: true })]],
    ["embed section", "![[Note#Section]]", [link("Note", { heading: "Section", embed: true })]],
    ["embed with size label", "![[pic.png|400]]", [link("pic.png", { label: "400", embed: true })]],
    [
      "ULID is just a target",
      "[[01JD3QZ5N6X4W8Y2T7R9M0K1AB]]",
      [link("01JD3QZ5N6X4W8Y2T7R9M0K1AB")],
    ],
    ["target is trimmed", "[[  Note  | x ]]", [link("Note", { label: "x" })]],
    ["spaces, dots, slashes", "[[Folder/My Note.md]]", [link("Folder/My Note.md")]],
    ["unicode", "[[Café 日本 ✓]]", [link("Café 日本 ✓")]],
    [
      "several on one line",
      "[[A]] and [[B|b]], ![[C]]",
      [link("A"), link("B", { label: "b" }), link("C", { embed: true })],
    ],
    ["no space before", "see[[Note]]s", [link("Note")]],
    ["empty label is null", "[[Note|]]", [link("Note")]],
    ["empty heading is null", "[[Note#]]", [link("Note")]],
    ["label keeps later pipes", "[[Note|a|b]]", [link("Note", { label: "a|b" })]],
    ["table-escaped pipe", "| [[Note\\|alias]] |", [link("Note", { label: "alias" })]],
    ["same-note heading skipped", "[[#Heading]] and [[#^block]]", []],
    ["empty skipped", "[[]] [[   ]] [[|alias]] [[|]]", []],
    ["newline inside is not a link", "[[Foo\nBar]]", []],
    ["CRLF inside is not a link", "[[Foo\r\nBar]]", []],
    ["escaped", "\\[\\[Note\\]\\]", []],
    ["escaped first bracket", "\\[[Note]]", []],
    ["escaped backslash does not escape", "\\\\[[Note]]", [link("Note")]],
    ["escaped embed is a plain link", "\\![[img.png]]", [link("img.png")]],
    ["nested opener: innermost wins", "[[a [[b]]", [link("b")]],
    ["triple brackets", "[[[Note]]]", [link("Note")]],
    ["in a heading", "## A link in a [[x]]", [link("x")]],
    ["in a task line", "- [ ] #task call [[Bob]] 📅 2024-01-01", [link("Bob")]],
    ["backtick fence", doc("```", "[[In]]", "```", "[[Out]]"), [link("Out")]],
    ["tilde fence", doc("~~~md", "[[In]]", "~~~", "[[Out]]"), [link("Out")]],
    ["unclosed fence hides the rest", doc("[[A]]", "```", "[[B]]"), [link("A")]],
    ["fence in a list item", doc("- x", "  ```", "  [[In]]", "  ```", "- [[Out]]"), [link("Out")]],
    ["fence in a callout", doc("> ```", "> [[In]]", "> ```", "> [[Out]]"), [link("Out")]],
    ["inline code", "`[[In]]` [[Out]]", [link("Out")]],
    ["double-backtick code", "``a ` [[In]]`` [[Out]]", [link("Out")]],
    ["unclosed backtick is literal", "a ` [[Out]]", [link("Out")]],
    ["CRLF document", "a\r\n[[A]]\r\n```\r\n[[B]]\r\n```\r\n[[C]]", [link("A"), link("C")]],
  ];
  test.each(cases)("%s", (_name, markdown, expected) => {
    expect(shapes(markdown)).toEqual(expected);
  });

  test("raw and index point at the link as written", () => {
    const md = "é [[A|x]] then ![[B#h]]";
    const links = parseWikiLinks(md);
    expect(links.map((l) => [l.raw, l.index])).toEqual([
      ["[[A|x]]", 2],
      ["![[B#h]]", 15],
    ]);
    for (const l of links) expect(md.slice(l.index, l.index + l.raw.length)).toBe(l.raw);
  });
});

describe("uniqueTargets", () => {
  test("first-seen order, exact-string dedupe", () => {
    const links = parseWikiLinks("[[B]] [[A#h]] ![[B]] [[a]] [[A|x]]");
    expect(uniqueTargets(links)).toEqual(["B", "A", "a"]);
  });
  test("no links", () => {
    expect(uniqueTargets([])).toEqual([]);
  });
});

describe("wikiLinkRanges", () => {
  test("covers same-note links too, but not code", () => {
    const md = "[[#H]] `[[X]]` ![[Y]]";
    expect(wikiLinkRanges(md).map(([s, e]) => md.slice(s, e))).toEqual(["[[#H]]", "![[Y]]"]);
  });
});

describe("corpus smoke test", () => {
  const root = "/work/shared/corpora/obsidian-tasks-demo";
  test("parses every note of a real Obsidian vault", () => {
    const files = readdirSync(root, { recursive: true, encoding: "utf8" }).filter((f) =>
      f.endsWith(".md"),
    );
    expect(files.length).toBeGreaterThan(150);
    let withLinks = 0;
    for (const file of files) {
      const links = parseWikiLinks(readFileSync(join(root, file), "utf8"));
      for (const l of links) expect(l.target).not.toBe("");
      if (links.length > 0) withLinks++;
    }
    // 34 of the vault's 206 notes link elsewhere (only 36 contain `[[` at all; the other two
    // have only same-note or in-code links), so the bar sits just under the real count.
    expect(withLinks).toBeGreaterThanOrEqual(30);
  });
});
