import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { join } from "node:path";
import type { NodeKind } from "../../src/protocol/schemas.ts";
import { type SearchHit, SearchStore } from "../../src/store/search.ts";
import { openStore, type Store } from "../../src/store/store.ts";
import { tempDir } from "../helpers/tmp.ts";

let dir: { path: string; cleanup(): void };
let store: Store;
let search: SearchStore;

beforeEach(() => {
  dir = tempDir();
  store = openStore(join(dir.path, "heph.db"), () => new Date());
  search = new SearchStore(store.db);
});

afterEach(() => {
  store.close();
  dir.cleanup();
});

function add(title: string, body = "", kind: NodeKind = "doc"): string {
  return store.nodes.create({ kind, title, body, aliases: [], tags: [] }).id;
}

function find(query: string, options: { kinds?: NodeKind[]; limit?: number } = {}): SearchHit[] {
  return search.search({ query, limit: options.limit ?? 50, kinds: options.kinds });
}

const ids = (hits: SearchHit[]) => hits.map((hit) => hit.id);

describe("ranking", () => {
  test("a title match outranks a body-only match of the same word", () => {
    const inBody = add("Weekend notes", "We should plant tomatoes in the garden this spring.");
    const inTitle = add("Garden", "We should plant tomatoes in the yard this spring.");
    const hits = find("garden");
    expect(ids(hits)).toEqual([inTitle, inBody]);
    expect(hits[0]?.score).toBeGreaterThan(hits[1]?.score ?? Number.POSITIVE_INFINITY);
    expect(hits.every((hit) => hit.score > 0)).toBe(true);
  });

  test("more occurrences rank higher", () => {
    const once = add("One", "apple pear plum fig kiwi lime");
    const thrice = add("Two", "apple pear apple fig apple lime");
    const twice = add("Three", "apple pear apple fig kiwi lime");
    expect(ids(find("apple"))).toEqual([thrice, twice, once]);
  });

  test("kinds filter", () => {
    const doc = add("Budget doc", "", "doc");
    const task = add("Budget task", "", "task");
    const journal = add("2026-03-01", "budget talk", "journal");
    expect(ids(find("budget", { kinds: ["task"] }))).toEqual([task]);
    expect(new Set(ids(find("budget", { kinds: ["doc", "journal"] })))).toEqual(
      new Set([doc, journal]),
    );
    expect(find("budget", { kinds: [] })).toHaveLength(3);
    expect(find("budget", { kinds: ["project"] })).toEqual([]);
    expect(find("budget", { kinds: ["task"] })[0]?.kind).toBe("task");
  });

  test("limit", () => {
    for (let i = 0; i < 10; i++) add(`Note ${i}`, "shared word here");
    expect(find("shared", { limit: 3 })).toHaveLength(3);
    expect(find("shared", { limit: 100 })).toHaveLength(10);
    expect(() => find("shared", { limit: 0 })).toThrow(RangeError);
    expect(() => find("shared", { limit: 1.5 })).toThrow(RangeError);
  });
});

describe("snippets", () => {
  test("mark the match with [ ]", () => {
    add("Trip", "Before leaving we must water the garden and\nlock the door.");
    const [hit] = find("garden");
    expect(hit?.snippet).toContain("[garden]");
    expect(hit?.snippet).not.toContain("\n");
  });

  test("a long body is cut around the match with …", () => {
    const filler = Array.from({ length: 60 }, (_, i) => `word${i}`).join(" ");
    add("Long", `${filler} needle ${filler}`);
    const snippet = find("needle")[0]?.snippet ?? "";
    expect(snippet).toContain("[needle]");
    expect(snippet).toContain("…");
    expect(snippet.length).toBeLessThan(200);
  });

  test("a title-only hit shows the start of the body, or the title", () => {
    const long =
      "The first line of a body that goes on and on, much longer than eighty characters.";
    add("Orchard", long);
    add("Orchard plan", "");
    const hits = find("orchard");
    const byTitle = new Map(hits.map((hit) => [hit.title, hit.snippet]));
    const withBody = byTitle.get("Orchard") ?? "";
    expect(withBody.startsWith("The first line of a body")).toBe(true);
    expect(withBody.endsWith("…")).toBe(true);
    expect(withBody.length).toBeLessThanOrEqual(81);
    expect(withBody).not.toContain("[");
    expect(byTitle.get("Orchard plan")).toBe("Orchard plan");
  });
});

describe("query forms", () => {
  test("prefix: the last term is a prefix", () => {
    const garden = add("Garden", "");
    expect(ids(find("gard"))).toEqual([garden]);
    expect(find("gard tomato")).toEqual([]);
  });

  test('phrases: "red apple" matches "red apple", not "apple red"', () => {
    const phrase = add("A", "a red apple on the table");
    const reversed = add("B", "the apple is red");
    expect(ids(find('"red apple"'))).toEqual([phrase]);
    expect(new Set(ids(find("red apple")))).toEqual(new Set([phrase, reversed]));
  });

  test("NOT: apple -red", () => {
    add("A", "a red apple");
    const green = add("B", "a green apple");
    add("C", "a red car");
    expect(ids(find("apple -red"))).toEqual([green]);
    expect(ids(find("-red apple"))).toEqual([green]);
  });

  test("a lone -term is an ordinary term", () => {
    const red = add("A", "a red car");
    expect(ids(find("-red"))).toEqual([red]);
  });

  test("accents fold both ways", () => {
    const accented = add("Café Central", "");
    const lower = add("Notes", "met at the café");
    const plain = add("Cafe list", "");
    expect(new Set(ids(find("cafe")))).toEqual(new Set([accented, lower, plain]));
    expect(new Set(ids(find("café")))).toEqual(new Set([accented, lower, plain]));
    expect(new Set(ids(find("CAFÉ")))).toEqual(new Set([accented, lower, plain]));
  });

  test("CJK: a term finds a longer run that starts with it", () => {
    const id = add("メモ", "日本語のテキスト");
    expect(ids(find("日本語"))).toEqual([id]);
    expect(ids(find("メモ"))).toEqual([id]);
  });

  test("emoji do not crash", () => {
    const id = add("Party 🎉", "cake 🎂 and 🎉 balloons");
    expect(find("🎉")).toEqual([]);
    expect(ids(find("🎉 party"))).toEqual([id]);
    expect(ids(find("cake🎂"))).toEqual([id]);
  });
});

describe("kept in step with nodes", () => {
  test("updating a body changes the results", () => {
    const id = add("Note", "about pears");
    expect(ids(find("pears"))).toEqual([id]);
    store.nodes.update(id, { body: "about plums" });
    expect(find("pears")).toEqual([]);
    expect(ids(find("plums"))).toEqual([id]);
    store.nodes.update(id, { title: "Quince" });
    expect(ids(find("quince"))).toEqual([id]);
    expect(find("note")).toEqual([]);
  });

  test("an update that leaves title and body alone keeps every word findable", () => {
    // NodeStore.update rewrites title and body even when only tags change.
    const id = add("Shopping list", "about pears and plums");
    store.nodes.update(id, { tags: ["home"] });
    store.nodes.update(id, { aliases: ["groceries"] });
    for (const word of ["shopping", "list", "about", "pears", "plums"]) {
      expect(ids(find(word))).toEqual([id]);
    }
  });

  test("a tombstoned node disappears; a recreated one appears", () => {
    const id = add("Ephemeral", "gone soon");
    expect(ids(find("ephemeral"))).toEqual([id]);
    store.nodes.delete(id);
    expect(find("ephemeral")).toEqual([]);
    expect(find("gone")).toEqual([]);
    const again = add("Ephemeral", "back again");
    expect(ids(find("ephemeral"))).toEqual([again]);
  });

  test("a rolled-back write leaves the index as it was", () => {
    const id = add("Stable", "before");
    expect(() =>
      store.transaction(() => {
        store.nodes.update(id, { body: "after" });
        throw new Error("abort");
      }),
    ).toThrow("abort");
    expect(ids(find("before"))).toEqual([id]);
    expect(find("after")).toEqual([]);
  });
});

describe("hostile input never throws", () => {
  const hostile: string[] = [
    'foo"bar',
    '"',
    '""',
    "AND",
    "OR",
    "NOT",
    "NEAR",
    "NEAR(a b)",
    "a OR",
    "OR a",
    "a AND",
    "a NOT",
    "*",
    "-",
    "-foo",
    "(",
    ")",
    "title:foo",
    "body:foo",
    "-title:foo",
    "^foo",
    "{a b}",
    "{title}: foo",
    "a:b:c",
    "'; DROP TABLE nodes; --",
    "x".repeat(10_000),
    "foo bar ".repeat(2_000),
    "a\u0000b",
    "\u0000",
    '"a\u0000b"',
    "\uD800",
    "\uDC00x\uD800",
    "a\uDBFFb",
    Array.from({ length: 100 }, (_, i) => `term${i}`).join(" "),
    Array.from({ length: 100 }, (_, i) => `-term${i}`).join(" "),
    '"""',
    'a"b"c"d',
    "foo*bar*",
    "**",
    "+",
    "a + b",
    "\\",
    "%_",
    "🎉",
    "👩‍👩‍👧",
    "\u200B",
  ];

  test.each(hostile.map((input) => [input.length > 40 ? `${input.slice(0, 40)}…` : input, input]))(
    "%p",
    (_label, input) => {
      add("foo bar", "a b c NEAR term1 title foo");
      const hits = find(input);
      expect(Array.isArray(hits)).toBe(true);
      expect(find(input, { kinds: ["doc"], limit: 1 }).length).toBeLessThanOrEqual(1);
    },
  );

  test("the store is intact afterwards", () => {
    const id = add("Survivor", "");
    find("'; DROP TABLE nodes; --");
    expect(ids(find("survivor"))).toEqual([id]);
    expect(store.nodes.get(id)?.title).toBe("Survivor");
  });
});
