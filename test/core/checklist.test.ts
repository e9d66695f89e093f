/** Checklist items in a context doc: which lines count, and resetting them byte-for-byte. */
import { describe, expect, test } from "bun:test";
import { checklistItems, resetChecklist } from "../../src/core/checklist.ts";

const doc = (...lines: string[]) => lines.join("\n");
const summary = (markdown: string) =>
  checklistItems(markdown).map((i) => `${i.line}:${i.checked ? "x" : " "}:${i.text}`);

describe("checklistItems", () => {
  test("mixed markers, case of x, ordered lists, and the full item shape", () => {
    const md = doc(
      "# Groceries",
      "- [ ] milk",
      "* [x] eggs",
      "+ [X] bread  ",
      "1. [ ] first",
      "2) [x] second",
      "- [ ]",
    );
    expect(checklistItems(md)).toEqual([
      { line: 2, checked: false, text: "milk", indent: "" },
      { line: 3, checked: true, text: "eggs", indent: "" },
      { line: 4, checked: true, text: "bread", indent: "" },
      { line: 5, checked: false, text: "first", indent: "" },
      { line: 6, checked: true, text: "second", indent: "" },
      { line: 7, checked: false, text: "", indent: "" },
    ]);
  });

  test("nested items at any depth keep their raw indent", () => {
    const md = doc(
      "- [ ] pack",
      "  - [x] socks",
      "    * [ ] wool ones",
      "\t- [x] tabbed",
      "1. [ ] ordered parent",
      "   1. [x] ordered child",
    );
    expect(checklistItems(md).map((i) => [i.line, i.indent, i.text])).toEqual([
      [1, "", "pack"],
      [2, "  ", "socks"],
      [3, "    ", "wool ones"],
      [4, "\t", "tabbed"],
      [5, "", "ordered parent"],
      [6, "   ", "ordered child"],
    ]);
  });

  test("things that look close but are not task items", () => {
    const md = doc(
      "[x] no list marker",
      "-[x] no space after marker",
      "- [x]glued text",
      "- [y] not a box",
      "- plain item",
      "Use `- [x]` in a paragraph, it is inline code.",
      "`- [x] starts with a backtick`",
      "- - -",
      "-      [x] five spaces after the marker make it code",
    );
    expect(checklistItems(md)).toEqual([]);
  });

  test("[x] inside ``` and ~~~ fences, with info strings, is untouched", () => {
    const md = doc(
      "- [x] real one",
      "```markdown",
      "- [x] in backticks",
      "```",
      "~~~ {.md}",
      "- [x] in tildes",
      "```",
      "- [x] a ``` line does not close a ~~~ fence",
      "~~~",
      "````",
      "```",
      "- [x] a shorter fence does not close a longer one",
      "`````",
      "- [ ] after the fences",
    );
    expect(summary(md)).toEqual(["1:x:real one", "14: :after the fences"]);
  });

  test("a closing fence must be bare: text after it keeps the fence open", () => {
    const md = doc("```", "``` not a close", "- [x] still code", "```", "- [x] out");
    expect(summary(md)).toEqual(["5:x:out"]);
  });

  test("a closing fence indented 4+ columns past its container is fence content", () => {
    const md = doc("```", "    ```", "- [x] still code", "```", "- [x] out");
    expect(summary(md)).toEqual(["5:x:out"]);
  });

  test("text after a heading inside an item is not lazy, so it closes the list", () => {
    const md = doc("- [ ] a", "  # Heading in a", "text", "    - [x] continuation of text");
    expect(summary(md)).toEqual(["1: :a"]);
  });

  test("`- - -` is a thematic break, not an item, so indented code may follow it", () => {
    expect(summary(doc("- [ ] a", "- - -", "    - [x] code after a rule"))).toEqual(["1: :a"]);
  });

  test("```inline``` on one line is code span, not a fence", () => {
    expect(summary(doc("```js```", "- [x] item"))).toEqual(["2:x:item"]);
  });

  test("a fence inside a list item", () => {
    const md = doc(
      "- [ ] deploy",
      "  ```sh",
      "  - [x] not an item",
      "  ```",
      "  - [x] nested real item",
      "- [x] sibling",
    );
    expect(summary(md)).toEqual(["1: :deploy", "5:x:nested real item", "6:x:sibling"]);
  });

  test("an unclosed fence runs to the end", () => {
    const md = doc("- [ ] before", "~~~", "- [x] hidden", "", "- [x] still hidden");
    expect(summary(md)).toEqual(["1: :before"]);
  });

  test("indented code after a blank line is code, but nested list items are not", () => {
    const md = doc(
      "Example:",
      "",
      "    - [x] indented code at top level",
      "",
      "    - [x] still the same code block",
      "- [ ] parent",
      "",
      "  - [x] child after a blank line, inside the item",
      "",
      "        - [x] code inside the child (4 past its content column)",
      "- [x] back in the list",
      "",
      "    - [x] under the item's content column? no: 4 is > 2, so nested item",
    );
    expect(summary(md)).toEqual([
      "6: :parent",
      "8:x:child after a blank line, inside the item",
      "11:x:back in the list",
      "13:x:under the item's content column? no: 4 is > 2, so nested item",
    ]);
  });

  test("after a paragraph, an over-indented line is continuation text, not code or an item", () => {
    const md = doc(
      "- [ ] a",
      "      - [x] too deep: continuation of a",
      "Lazy text keeps item a open,",
      "    - [x] so this nests under a",
      "",
      "Para",
      "    - [x] continuation of Para",
    );
    expect(summary(md)).toEqual(["1: :a", "4:x:so this nests under a"]);
  });

  test("text right after indented code is not lazy, so it closes the list", () => {
    const md = doc("- [ ] a", "", "      code in a", "text", "    - [x] continuation of text");
    expect(summary(md)).toEqual(["1: :a"]);
  });

  test("a dedented line after a blank line leaves the list, so indented code can follow", () => {
    const md = doc("- [ ] a", "", "para", "", "    - [x] code, not in a list any more");
    expect(summary(md)).toEqual(["1: :a"]);
  });

  test("CRLF and lone CR count as line breaks", () => {
    expect(summary("- [x] one\r\n```\r\n- [x] code\r\n```\r\n- [ ] two\r- [x] three")).toEqual([
      "1:x:one",
      "5: :two",
      "6:x:three",
    ]);
  });
});

describe("resetChecklist", () => {
  test("unticks items outside code and counts them, leaving code alone", () => {
    const md = doc(
      "- [x] a",
      "  * [X] b",
      "1. [x] c",
      "- [ ] d",
      "```",
      "- [x] code",
      "```",
      "Inline `- [x]` stays.",
    );
    const { markdown, reset } = resetChecklist(md);
    expect(reset).toBe(3);
    expect(markdown).toBe(
      doc(
        "- [ ] a",
        "  * [ ] b",
        "1. [ ] c",
        "- [ ] d",
        "```",
        "- [x] code",
        "```",
        "Inline `- [x]` stays.",
      ),
    );
    expect(checklistItems(markdown).every((i) => !i.checked)).toBe(true);
  });

  test("CRLF, trailing whitespace and a missing final newline are preserved", () => {
    const md = "- [x] a  \r\n\t- [X] b\t\r\n\r\n~~~\r\n- [x] c\r\n~~~\r\ntail";
    const { markdown, reset } = resetChecklist(md);
    expect(reset).toBe(2);
    expect(markdown).toBe("- [ ] a  \r\n\t- [ ] b\t\r\n\r\n~~~\r\n- [x] c\r\n~~~\r\ntail");
    const withNewline = resetChecklist("- [x] a\n");
    expect(withNewline.markdown).toBe("- [ ] a\n");
  });

  test("idempotent: resetting twice equals resetting once, and the second resets nothing", () => {
    const md = doc("- [x] a", "  - [x] b", "- [ ] c", "~~~", "- [x] z", "~~~");
    const once = resetChecklist(md);
    const twice = resetChecklist(once.markdown);
    expect(once.reset).toBe(2);
    expect(twice).toEqual({ markdown: once.markdown, reset: 0 });
  });

  test("nothing to reset returns the input unchanged", () => {
    expect(resetChecklist("")).toEqual({ markdown: "", reset: 0 });
    const md = "no items here\n- [ ] open\n";
    expect(resetChecklist(md)).toEqual({ markdown: md, reset: 0 });
  });

  test("only the box changes, even when the text contains another box", () => {
    expect(resetChecklist("- [x] [x] literal").markdown).toBe("- [ ] [x] literal");
  });
});
