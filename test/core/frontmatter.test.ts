/** Frontmatter: rendering the projection, splitting it off byte-exactly, reading it back. */
import { describe, expect, test } from "bun:test";
import {
  FrontmatterError,
  type FrontmatterFields,
  type FrontmatterRead,
  readFrontmatterFields,
  renderFrontmatter,
  splitFrontmatter,
} from "../../src/core/frontmatter.ts";

const doc = (...lines: string[]) => lines.join("\n");
const errorOf = (run: () => unknown): FrontmatterError => {
  try {
    run();
  } catch (error) {
    if (error instanceof FrontmatterError) return error;
    throw error;
  }
  throw new Error("expected a FrontmatterError");
};

describe("renderFrontmatter", () => {
  test("a doc: fixed key order, empty lists written", () => {
    expect(renderFrontmatter({ title: "Garden plan", aliases: [], tags: [] })).toBe(
      doc("---", "title: Garden plan", "aliases: []", "tags: []", "---", ""),
    );
  });

  test("a task: task keys after the doc keys, null fields omitted, dates unquoted", () => {
    const fields: FrontmatterFields = {
      title: "Renew passport",
      aliases: ["passport"],
      tags: ["admin", "area/home"],
      task: {
        project: null,
        recurrence: null,
        late_on: "2027-01-10",
        do_date: "2026-12-24",
        attention: "red",
        state: "outstanding",
      },
    };
    expect(renderFrontmatter(fields)).toBe(
      doc(
        "---",
        "title: Renew passport",
        "aliases:",
        "  - passport",
        "tags:",
        "  - admin",
        "  - area/home",
        "state: outstanding",
        "attention: red",
        "do_date: 2026-12-24",
        "late_on: 2027-01-10",
        "---",
        "",
      ),
    );
  });

  test("other properties come last, in the caller's order, and never shadow our keys", () => {
    const text = renderFrontmatter({
      title: "T",
      aliases: [],
      tags: [],
      properties: { zeta: 1, title: "shadow", state: "done", cssclasses: ["wide"] },
    });
    expect(text).toBe(
      doc(
        "---",
        "title: T",
        "aliases: []",
        "tags: []",
        "zeta: 1",
        // A node that is no task has no task fields: its `state` property is its own.
        "state: done",
        "cssclasses:",
        "  - wide",
        "---",
        "",
      ),
    );
    const read = readFrontmatterFields(splitFrontmatter(text).data ?? {});
    expect(read.extra).toEqual({ zeta: 1, cssclasses: ["wide"] });
    expect(read.state).toBe("done");
    // A task's own fields win over a property of the same name.
    const task = renderFrontmatter({
      title: "T",
      aliases: [],
      tags: [],
      task: {
        state: "outstanding",
        attention: "white",
        do_date: null,
        late_on: null,
        recurrence: null,
        project: null,
      },
      properties: { state: "done" },
    });
    expect(task).not.toContain("state: done");
    expect(task).toContain("state: outstanding");
  });

  test("a __proto__ property round-trips as a plain key", () => {
    const extra = readFrontmatterFields(
      splitFrontmatter("---\n__proto__: x\n---\n").data ?? {},
    ).extra;
    const text = renderFrontmatter({ title: "T", aliases: [], tags: [], properties: extra });
    expect(text).toContain("\n__proto__: x\n");
  });

  test("YAML-significant titles are quoted; long ones are not folded", () => {
    const long = "word ".repeat(40).trim();
    const out = renderFrontmatter({ title: "a: b #c", aliases: ["null", "123"], tags: [] });
    expect(splitFrontmatter(out).data).toEqual({
      title: "a: b #c",
      aliases: ["null", "123"],
      tags: [],
    });
    expect(renderFrontmatter({ title: long, aliases: [], tags: [] }).split("\n")[1]).toBe(
      `title: ${long}`,
    );
  });
});

describe("render → split → read round trip", () => {
  test("a doc", () => {
    const fields = { title: "Über: the plan", aliases: ["Plan, v2", "P"], tags: ["work"] };
    const { data, body } = splitFrontmatter(`${renderFrontmatter(fields)}# Body\n`);
    expect(body).toBe("# Body\n");
    expect(readFrontmatterFields(data ?? {})).toEqual({ ...fields, extra: {} });
  });

  test("a task, with null fields coming back absent", () => {
    const task = {
      state: "outstanding",
      attention: "blue",
      do_date: "2026-12-24",
      late_on: null,
      recurrence: "FREQ=WEEKLY;BYDAY=MO",
      project: "Home",
    };
    const text = renderFrontmatter({ title: "Bins", aliases: [], tags: [], task });
    const read = readFrontmatterFields(splitFrontmatter(text).data ?? {});
    expect(read).toEqual({
      title: "Bins",
      aliases: [],
      tags: [],
      state: "outstanding",
      attention: "blue",
      do_date: "2026-12-24",
      recurrence: "FREQ=WEEKLY;BYDAY=MO",
      project: "Home",
      extra: {},
    });
  });
});

describe("splitFrontmatter", () => {
  test("dates and timestamps stay strings", () => {
    const { data } = splitFrontmatter(
      doc("---", "do_date: 2026-12-24", "at: 2024-07-21T12:37:00", "---", ""),
    );
    expect(data).toEqual({ do_date: "2026-12-24", at: "2024-07-21T12:37:00" });
  });

  const cases: Array<[string, string, Record<string, unknown> | null, string]> = [
    ["no block", "# Title\n---\nx: 1\n---\n", null, "# Title\n---\nx: 1\n---\n"],
    ["not on the first line", "\n---\nx: 1\n---\n", null, "\n---\nx: 1\n---\n"],
    ["unclosed block is not frontmatter", "---\nx: 1\nbody\n", null, "---\nx: 1\nbody\n"],
    ["`---x` does not open", "---x\na: 1\n---\n", null, "---x\na: 1\n---\n"],
    ["empty text", "", null, ""],
    ["body kept verbatim with its blank line", "---\nx: 1\n---\n\n# B\n", { x: 1 }, "\n# B\n"],
    ["`...` closes", "---\nx: 1\n...\nbody", { x: 1 }, "body"],
    ["closer with trailing spaces", "---\nx: 1\n--- \nbody", { x: 1 }, "body"],
    ["closing line at the end, no newline", "---\nx: 1\n---", { x: 1 }, ""],
    ["empty block", "---\n---\nbody", {}, "body"],
    ["comments only", "---\n# just a note\n---\nbody", {}, "body"],
    ["BOM before the block", "\uFEFF---\nx: 1\n---\nbody", { x: 1 }, "body"],
    ["BOM, no block: unchanged", "\uFEFF# T\n", null, "\uFEFF# T\n"],
    [
      "CRLF everywhere",
      "---\r\nx: a\r\n---\r\n\r\nline\r\n  two\r\n",
      { x: "a" },
      "\r\nline\r\n  two\r\n",
    ],
    ["a later --- is body", "---\nx: 1\n---\na\n---\nb\n", { x: 1 }, "a\n---\nb\n"],
  ];
  test.each(cases)("%s", (_name, text, data, body) => {
    const split = splitFrontmatter(text);
    expect(split.data).toEqual(data);
    expect(split.body).toBe(body);
  });

  test("invalid YAML names the document line", () => {
    const error = errorOf(() =>
      splitFrontmatter(doc("---", "title: ok", "project: a: b", "---", "body")),
    );
    expect(error.message).toBe(
      "Invalid YAML in frontmatter at line 3, column 10: Nested mappings are not allowed in compact mappings",
    );
    expect(error).toBeInstanceOf(Error);
  });

  test("an error found at the end of the YAML points at the closing line", () => {
    const error = errorOf(() =>
      splitFrontmatter(doc("---", "title: ok", "tags: [a, b", "---", "")),
    );
    expect(error.message).toStartWith(
      "Invalid YAML in frontmatter at line 4 (where the frontmatter ends): Flow sequence",
    );
  });

  test("duplicate keys are an error on the second one", () => {
    const error = errorOf(() => splitFrontmatter(doc("---", "title: a", "", "title: b", "---")));
    expect(error.message).toContain("line 4, column 1");
    expect(error.message).toMatch(/unique/);
  });

  test.each([
    ["a list", "---\n- a\n- b\n---\n", "it is a list"],
    ["a scalar", "---\njust text\n---\n", 'it is the text "just text"'],
  ])("a block that is %s is refused", (_name, text, detail) => {
    const error = errorOf(() => splitFrontmatter(text));
    expect(error.message).toContain("must be a mapping");
    expect(error.message).toContain(detail);
  });
});

describe("readFrontmatterFields", () => {
  const ok: Array<[string, Record<string, unknown>, FrontmatterRead]> = [
    ["only present keys", { title: "T" }, { title: "T", extra: {} }],
    ["single-string tag", { tags: "work" }, { tags: ["work"], extra: {} }],
    [
      "comma/space-separated tags",
      { tags: "a, b  c,#d" },
      { tags: ["a", "b", "c", "d"], extra: {} },
    ],
    [
      "# stripped from list tags",
      { tags: ["#a", " b ", "", "#area/home"] },
      { tags: ["a", "b", "area/home"], extra: {} },
    ],
    ["empty tags", { tags: null }, { tags: [], extra: {} }],
    ["single alias", { aliases: "My alias" }, { aliases: ["My alias"], extra: {} }],
    ["comma-separated aliases", { aliases: "one, two" }, { aliases: ["one", "two"], extra: {} }],
    [
      "null task fields",
      { do_date: null, project: null },
      { do_date: null, project: null, extra: {} },
    ],
    [
      "task fields",
      { state: "done", late_on: "2026-01-02" },
      { state: "done", late_on: "2026-01-02", extra: {} },
    ],
    [
      "unknown keys go to extra untouched",
      { title: "T", Tags: ["x"], cssclasses: ["wide"], n: 3 },
      { title: "T", extra: { Tags: ["x"], cssclasses: ["wide"], n: 3 } },
    ],
  ];
  test.each(ok)("%s", (_name, data, expected) => {
    expect(readFrontmatterFields(data)).toEqual(expected);
  });

  test("a __proto__ key is plain data in extra", () => {
    const { data } = splitFrontmatter("---\n__proto__: x\n---\n");
    const read = readFrontmatterFields(data ?? {});
    expect(Object.keys(read.extra)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(read.extra)).toBe(Object.prototype);
  });

  const bad: Array<[string, Record<string, unknown>, string]> = [
    [
      "aliases: 3",
      { aliases: 3 },
      'Frontmatter "aliases" must be a list of text (or one text), but it is the number 3 (quote it)',
    ],
    [
      "a number title",
      { title: 1984 },
      'Frontmatter "title" must be text, but it is the number 1984 (quote it)',
    ],
    ["empty title", { title: null }, 'Frontmatter "title" must be text, but it is an empty value'],
    [
      "a bad list item",
      { tags: ["a", 2] },
      'Frontmatter "tags" item 2 must be text, but it is the number 2',
    ],
    [
      "a mapping",
      { state: { a: 1 } },
      'Frontmatter "state" must be text or empty, but it is a mapping',
    ],
    [
      "a list for a date",
      { do_date: ["2026-01-01"] },
      'Frontmatter "do_date" must be a date like 2026-12-24, or empty, not a list',
    ],
    [
      "a boolean",
      { project: true },
      'Frontmatter "project" must be text or empty, but it is the boolean true (quote it)',
    ],
  ];
  test.each(bad)("%s is refused", (_name, data, message) => {
    expect(errorOf(() => readFrontmatterFields(data)).message).toBe(message);
  });
});
