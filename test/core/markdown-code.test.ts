/** Code ranges: fenced blocks and inline spans, so scanners can skip `[[x]]` / `#y` in code. */
import { describe, expect, test } from "bun:test";
import { codeRanges, isInCode } from "../../src/core/markdown-code.ts";

const doc = (...lines: string[]) => lines.join("\n");
/** The code text each range covers, which is easier to read than offsets. */
const code = (markdown: string) => codeRanges(markdown).map(([s, e]) => markdown.slice(s, e));

describe("codeRanges: fenced blocks", () => {
  const cases: Array<[string, string, string[]]> = [
    ["backtick fence", doc("a", "```", "x", "```", "b"), ["```\nx\n```"]],
    ["tilde fence with info", doc("~~~ js", "x", "~~~"), ["~~~ js\nx\n~~~"]],
    ["longer closer closes", doc("```", "x", "`````", "b"), ["```\nx\n`````"]],
    ["shorter run does not close", doc("````", "```", "x", "````"), ["````\n```\nx\n````"]],
    ["other char does not close", doc("~~~", "```", "x", "~~~"), ["~~~\n```\nx\n~~~"]],
    ["closer with text after is content", doc("```", "``` no", "```"), ["```\n``` no\n```"]],
    ["unclosed runs to the end", doc("a", "```", "x", "", "y"), ["```\nx\n\ny"]],
    [
      "indented in a list item",
      doc("- a", "  ```sh", "  ls", "  ```", "b"),
      ["  ```sh\n  ls\n  ```"],
    ],
    ["deep list fence", doc("- a", "    ```", "    x", "    ```"), ["    ```\n    x\n    ```"]],
    ["closer too deep is content", doc("```", "x", "    ```", "```"), ["```\nx\n    ```\n```"]],
    ["```js``` on one line is inline", "```js``` b", ["```js```"]],
    ["two blocks", doc("```", "a", "```", "t", "~~~", "b", "~~~"), ["```\na\n```", "~~~\nb\n~~~"]],
    [
      "fence in a callout",
      doc("> [!note]", "> ```tasks", "> x", "> ```", "after"),
      ["> ```tasks\n> x\n> ```"],
    ],
    ["callout ends the fence", doc("> ```", "> x", "", "after `y`"), ["> ```\n> x", "`y`"]],
    ["quoted closer inside a plain fence", doc("```", "> ```", "x", "```"), ["```\n> ```\nx\n```"]],
    ["CRLF line endings", "a\r\n```\r\nx\r\n```\r\nb", ["```\r\nx\r\n```"]],
    ["empty document", "", []],
  ];
  test.each(cases)("%s", (_name, markdown, expected) => {
    expect(code(markdown)).toEqual(expected);
  });
});

describe("codeRanges: inline spans", () => {
  const cases: Array<[string, string, string[]]> = [
    ["single backticks", "a `b` c `d`", ["`b`", "`d`"]],
    ["double backticks hold a single one", "x ``a ` b`` y", ["``a ` b``"]],
    ["needs exactly the same run length", "`a`` b` c", ["`a`` b`"]],
    ["unclosed run is literal, later spans still count", "a `b and ``c`` d", ["``c``"]],
    ["escaped backtick cannot open", "\\`a` b `c`", ["` b `"]],
    ["escaped backslash does not escape", "\\\\`a`", ["`a`"]],
    ["spans a soft line break", doc("a `b", "c` d"), ["`b\nc`"]],
    ["does not cross a blank line", doc("a `b", "", "c` d"), []],
    ["does not cross list items", doc("- a `b", "- c` d"), []],
    ["heading is its own paragraph", doc("# T `x", "y` z"), []],
    ["span in a heading", "## T `x`", ["`x`"]],
    ["backslash inside a span is literal", "`a\\` b", ["`a\\`"]],
  ];
  test.each(cases)("%s", (_name, markdown, expected) => {
    expect(code(markdown)).toEqual(expected);
  });

  test("offsets are UTF-16 indices, half-open", () => {
    const md = "é 😀 `x` y";
    expect(codeRanges(md)).toEqual([[5, 8]]);
    expect(md.slice(5, 8)).toBe("`x`");
  });
});

describe("isInCode", () => {
  test("start is inside, end is outside, gaps are outside", () => {
    const ranges = codeRanges("ab `cd` ef `gh` ij");
    expect(ranges).toEqual([
      [3, 7],
      [11, 15],
    ]);
    const inside = [...Array(18).keys()].filter((i) => isInCode(ranges, i));
    expect(inside).toEqual([3, 4, 5, 6, 11, 12, 13, 14]);
  });

  test("no ranges", () => {
    expect(isInCode([], 0)).toBe(false);
  });

  test("works over many ranges (binary search)", () => {
    const md = Array.from({ length: 50 }, (_, i) => `w${i} \`c${i}\``).join(" ");
    const ranges = codeRanges(md);
    expect(ranges).toHaveLength(50);
    for (const [s, e] of ranges) {
      expect(isInCode(ranges, s)).toBe(true);
      expect(isInCode(ranges, e - 1)).toBe(true);
      expect(isInCode(ranges, s - 1)).toBe(false);
      expect(isInCode(ranges, e)).toBe(false);
    }
  });
});
