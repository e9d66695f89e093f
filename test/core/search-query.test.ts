import { describe, expect, test } from "bun:test";
import { MAX_QUERY_TERMS, toFtsQuery } from "../../src/core/search-query.ts";

const cases: [string, string | null][] = [
  // Terms are FTS5 strings, ANDed; the last bare term is a prefix.
  ["gard", '"gard"*'],
  ["garden party", '"garden" "party"*'],
  ["  garden \t party  ", '"garden" "party"*'],
  ["Café", '"Café"*'],
  // Phrases.
  ['"red apple"', '"red apple"'],
  ['"red apple" pie', '"red apple" "pie"*'],
  ['pie "red apple"', '"pie" "red apple"'],
  ['"red apple"pie', '"red apple" "pie"*'],
  // An unclosed phrase runs to the end and is still being typed.
  ['"red app', '"red app"*'],
  ['pie "red app', '"pie" "red app"*'],
  // An explicit trailing * is a prefix, anywhere.
  ["foo* bar", '"foo"* "bar"*'],
  ["foo** bar", '"foo"* "bar"*'],
  ['"red apple"* pie', '"red apple"* "pie"*'],
  ["gard*en", '"gard*en"*'],
  // NOT: only beside a positive term; exclusions go last.
  ["apple -red", '"apple" NOT "red"'],
  ["-red apple", '"apple"* NOT "red"'],
  ["apple -red pie", '"apple" "pie"* NOT "red"'],
  ["a -b -c", '"a" NOT "b" NOT "c"'],
  ['pie -"red apple"', '"pie" NOT "red apple"'],
  ["apple -red*", '"apple" NOT "red"*'],
  ["-foo", '"foo"*'],
  ["-foo -bar", '"foo" "bar"*'],
  ['-"red apple"', '"red apple"'],
  ["-", null],
  ["- foo", '"foo"*'],
  ["--foo", '"-foo"*'],
  ["well-known", '"well-known"*'],
  // Operators are plain words.
  ["AND", '"AND"*'],
  ["OR", '"OR"*'],
  ["NOT", '"NOT"*'],
  ["a OR b", '"a" "OR" "b"*'],
  ["a OR", '"a" "OR"*'],
  ["NEAR(a b)", '"NEAR(a" "b)"*'],
  ["a AND NOT b", '"a" "AND" "NOT" "b"*'],
  // FTS5 syntax characters stay inside strings; quotes are doubled.
  ['foo"bar', '"foo""bar"*'],
  ['foo"', '"foo"""*'],
  ["title:foo", '"title:foo"*'],
  ["^foo", '"^foo"*'],
  ["{a b}", '"{a" "b}"*'],
  ["a:b:c", '"a:b:c"*'],
  ["a+b", '"a+b"*'],
  ["'; DROP TABLE nodes; --", '"DROP" "TABLE" "nodes;"*'],
  // Nothing searchable.
  ["", null],
  ["   ", null],
  ['"', null],
  ['""', null],
  ['" "', null],
  ["*", null],
  ["(", null],
  [")", null],
  ["()", null],
  ["?!.,;:", null],
  ["🎉", null],
  ["🎉 ✨", null],
  ["\u0301", null],
  // Unsearchable terms are dropped; the rest still counts.
  ["apple 🎉", '"apple"*'],
  ["apple -🎉", '"apple"*'],
  ["🎉 -foo", '"foo"*'],
  // CJK: a run is one token, so every CJK term is a prefix.
  ["日本語", '"日本語"*'],
  ["日本語 text", '"日本語"* "text"*'],
  ['"日本語" note', '"日本語"* "note"*'],
  ["apple -日本", '"apple" NOT "日本"*'],
  ["한국어", '"한국어"*'],
  ["カタカナ memo", '"カタカナ"* "memo"*'],
  // Control characters are spaces; lone surrogates are U+FFFD.
  ["a\u0000b", '"a" "b"*'],
  ['"a\u0000b"', '"a b"'],
  ["a\nb", '"a" "b"*'],
  ["\uD800x", '"\uFFFDx"*'],
  ["x\uDC00", '"x\uFFFD"*'],
];

describe("toFtsQuery", () => {
  test.each(cases)("%p → %p", (input, expected) => {
    expect(toFtsQuery(input)).toBe(expected);
  });

  test("keeps at most 32 terms, the first ones; a dropped last term gives no prefix", () => {
    const words = Array.from({ length: 100 }, (_, i) => `w${i}`);
    const expected = words
      .slice(0, MAX_QUERY_TERMS)
      .map((word) => `"${word}"`)
      .join(" ");
    expect(toFtsQuery(words.join(" "))).toBe(expected);
  });

  test("reads only the first 500 characters", () => {
    const query = toFtsQuery(`${"a".repeat(498)} bcdef`);
    expect(query).toBe(`"${"a".repeat(498)}" "b"*`);
    expect(toFtsQuery("x".repeat(10_000))).toBe(`"${"x".repeat(500)}"*`);
  });

  test("never cuts a surrogate pair in two", () => {
    // 499 letters and then an emoji (two UTF-16 units) straddling the 500th character.
    const query = toFtsQuery(`${"a".repeat(499)}😀b`);
    expect(query).toBe(`"${"a".repeat(499)}"*`);
  });

  test("output is balanced: an even number of quotes, whatever the input", () => {
    for (const input of ['"', '""', '"""', 'a"b"c"', '-"', '"a" "b', 'x"*"*', "-\"'\"'"]) {
      const query = toFtsQuery(input);
      if (query !== null) expect((query.match(/"/g) ?? []).length % 2).toBe(0);
    }
  });
});
