/** Inline `#tags`: what counts, and every place a `#` is not a tag. */
import { describe, expect, test } from "bun:test";
import { parseInlineTags } from "../../src/core/inline-tags.ts";

const doc = (...lines: string[]) => lines.join("\n");

describe("parseInlineTags", () => {
  const cases: Array<[string, string, string[]]> = [
    ["at the start", "#tag", ["tag"]],
    ["after a space", "buy milk #errand today", ["errand"]],
    ["after a tab and a newline", "a\t#one\n#two", ["one", "two"]],
    ["after (", "(#paren) and (see #x)", ["paren", "x"]],
    ["nested", "#area/home/kitchen", ["area/home/kitchen"]],
    ["trailing slash dropped", "#area/ and #b//", ["area", "b"]],
    ["punctuation ends it", "#a. #b, #c! #d: #e) #f<br>", ["a", "b", "c", "d", "e", "f"]],
    ["dash and underscore", "#to-do_list", ["to-do_list"]],
    ["unicode letters", "#café #日本語 #über/straße", ["café", "日本語", "über/straße"]],
    ["digits with a letter", "#y2024 #2024y #1-2", ["y2024", "2024y", "1-2"]],
    ["digits only", "#123 and #1197: and #2**", []],
    ["emoji ends it", "#fun🎉 ok", ["fun"]],
    ["inside a word", "C# and a#b and x#1y", []],
    ["URL fragment", "see https://x.org/p#frag now", []],
    ["www link", "www.x.org/#a", []],
    ["( inside a URL", "https://x.org/a(#b) #real", ["real"]],
    ["heading", doc("# Title", "## Sub", "###### Six"), []],
    ["hashes run", "##tag", []],
    ["tag after a heading marker", "# Title #t", ["t"]],
    ["no space after # at line start is a tag", "#Title", ["Title"]],
    ["fenced code", doc("```", "#in", "```", "#out"), ["out"]],
    ["tilde fence in a list", doc("- a", "  ~~~", "  #in", "  ~~~", "- #out"), ["out"]],
    ["inline code", "`#in` #out ``#in2``", ["out"]],
    ["wiki link heading", "[[Note#Heading]] [[#Here]]", []],
    ["wiki link label", "[[Note|see #x]] #y", ["y"]],
    ["HTML entities", "&#123; &#x27; a&#39;b", []],
    ["same-page anchor link", "[go](#anchor) but (#yes)", ["yes"]],
    ["escaped", "\\#not", []],
    ["bare #", "# and #  and #/ and #-", ["-"]],
    ["exact dedupe, first seen, case kept", "#b #a #b #A", ["b", "a", "A"]],
    [
      "task line",
      "- [ ] #task Call Bob #context/home 📅 2024-01-01 [[Bob#Phone]]",
      ["task", "context/home"],
    ],
    ["CRLF", "#one\r\n#two\r\n", ["one", "two"]],
  ];
  test.each(cases)("%s", (_name, markdown, expected) => {
    expect(parseInlineTags(markdown)).toEqual(expected);
  });
});
