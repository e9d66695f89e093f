import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { join } from "node:path";
import type { NewNode } from "../../src/store/nodes.ts";
import { openStore, type Store } from "../../src/store/store.ts";
import { tempDir } from "../helpers/tmp.ts";

/** A clock the test moves by hand. */
function fakeClock(start: string) {
  let now = new Date(start);
  return {
    clock: () => new Date(now.getTime()),
    set: (iso: string) => {
      now = new Date(iso);
    },
    advance: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
  };
}

const T0 = "2026-03-01T09:00:00.000Z";
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

let dir: { path: string; cleanup(): void };
let dbPath: string;
let time: ReturnType<typeof fakeClock>;
let store: Store;

beforeEach(() => {
  dir = tempDir();
  dbPath = join(dir.path, "heph.db");
  time = fakeClock(T0);
  store = openStore(dbPath, time.clock);
});

afterEach(() => {
  store.close();
  dir.cleanup();
});

function newNode(fields: Partial<NewNode> = {}): NewNode {
  return { kind: "doc", title: "A note", body: "", aliases: [], tags: [], ...fields };
}

/** The updated node, or a test failure for any other outcome. */
function updated(outcome: ReturnType<Store["nodes"]["update"]>) {
  if (outcome.status !== "updated") throw new Error(`expected updated: ${JSON.stringify(outcome)}`);
  return outcome.node;
}

describe("create", () => {
  test("returns every field", () => {
    const node = store.nodes.create(
      newNode({
        kind: "task",
        title: "Pay rent",
        body: "# Rent\n\n- [ ] transfer",
        aliases: ["rent", "monthly rent"],
        tags: ["home", "money"],
      }),
    );
    expect(node.id).toMatch(ULID);
    expect(node).toEqual({
      id: node.id,
      kind: "task",
      title: "Pay rent",
      body: "# Rent\n\n- [ ] transfer",
      aliases: ["rent", "monthly rent"],
      tags: ["home", "money"],
      properties: {},
      folder: null,
      created_at: T0,
      updated_at: T0,
      deleted_at: null,
    });
  });

  test("the id carries the clock's time", () => {
    const node = store.nodes.create(newNode());
    // The first 10 ULID characters encode the millisecond timestamp.
    const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    const ms = [...node.id.slice(0, 10)].reduce((acc, ch) => acc * 32 + alphabet.indexOf(ch), 0);
    expect(ms).toBe(Date.parse(T0));
  });

  test("tags and aliases are deduplicated, keeping first-seen order", () => {
    const node = store.nodes.create(
      newNode({ aliases: ["b", "a", "b", "c", "a"], tags: ["x", "y", "x", "z", "y"] }),
    );
    expect(node.aliases).toEqual(["b", "a", "c"]);
    expect(node.tags).toEqual(["x", "y", "z"]);
  });

  test("ids created in the same millisecond sort in creation order", () => {
    const ids = Array.from(
      { length: 50 },
      (_, i) => store.nodes.create(newNode({ title: `n${i}` })).id,
    );
    expect(new Set(ids).size).toBe(50);
    expect([...ids].sort()).toEqual(ids);
  });

  test("ids keep creation order even when the clock steps back", () => {
    const first = store.nodes.create(newNode()).id;
    time.advance(-60_000);
    const second = store.nodes.create(newNode()).id;
    expect(second > first).toBe(true);
  });
});

describe("get", () => {
  test("finds a node by its id in either case", () => {
    const node = store.nodes.create(newNode({ title: "Case" }));
    expect(store.nodes.get(node.id)).toEqual(node);
    expect(store.nodes.get(node.id.toLowerCase())).toEqual(node);
  });

  test("an unknown id is undefined", () => {
    expect(store.nodes.get("01JD3QZ5N6X4W8Y2T7R9M0K1AB")).toBeUndefined();
  });
});

describe("update", () => {
  test("patches only the given fields", () => {
    const node = store.nodes.create(
      newNode({ title: "Old", body: "old body", aliases: ["o"], tags: ["t1", "t2"] }),
    );
    time.advance(1000);

    const titled = updated(store.nodes.update(node.id, { title: "New" }));
    expect(titled).toEqual({ ...node, title: "New", updated_at: "2026-03-01T09:00:01.000Z" });

    time.advance(1000);
    const retagged = updated(store.nodes.update(node.id, { tags: ["t3", "t3", "t1"] }));
    expect(retagged).toEqual({
      ...titled,
      tags: ["t3", "t1"],
      updated_at: "2026-03-01T09:00:02.000Z",
    });

    time.advance(1000);
    const cleared = updated(store.nodes.update(node.id, { body: "", aliases: [] }));
    expect(cleared).toEqual({
      ...retagged,
      body: "",
      aliases: [],
      updated_at: "2026-03-01T09:00:03.000Z",
    });
    expect(store.nodes.get(node.id)).toEqual(cleared);
  });

  test("accepts a lower-case id", () => {
    const node = store.nodes.create(newNode());
    expect(updated(store.nodes.update(node.id.toLowerCase(), { title: "x" })).id).toBe(node.id);
  });

  test("updated_at strictly increases when the clock does not move", () => {
    const node = store.nodes.create(newNode());
    const first = updated(store.nodes.update(node.id, { body: "1" }));
    const second = updated(store.nodes.update(node.id, { body: "2" }));
    expect(first.updated_at).toBe("2026-03-01T09:00:00.001Z");
    expect(second.updated_at).toBe("2026-03-01T09:00:00.002Z");
    expect(second.created_at).toBe(T0);
  });

  test("updated_at strictly increases when the clock goes backwards", () => {
    const node = store.nodes.create(newNode());
    time.set("2026-02-01T00:00:00.000Z");
    const after = updated(store.nodes.update(node.id, { body: "later" }));
    expect(after.updated_at).toBe("2026-03-01T09:00:00.001Z");
    expect(after.created_at).toBe(T0);
  });

  test("a matching base_updated_at applies the update", () => {
    const node = store.nodes.create(newNode());
    time.advance(5);
    const after = updated(store.nodes.update(node.id, { body: "mine" }, node.updated_at));
    expect(after.body).toBe("mine");
  });

  test("a stale base_updated_at is a conflict carrying the current node, and nothing changes", () => {
    const node = store.nodes.create(newNode({ body: "v0" }));
    time.advance(10);
    const theirs = updated(store.nodes.update(node.id, { body: "theirs" }));

    time.advance(10);
    const outcome = store.nodes.update(
      node.id,
      { title: "mine", body: "mine", tags: ["mine"] },
      node.updated_at,
    );
    expect(outcome).toEqual({ status: "conflict", current: theirs });
    expect(store.nodes.get(node.id)).toEqual(theirs);
  });

  test("a missing node is not_found", () => {
    expect(store.nodes.update("01JD3QZ5N6X4W8Y2T7R9M0K1AB", { title: "x" })).toEqual({
      status: "not_found",
    });
  });

  test("a deleted node is not_found, and stays as it was", () => {
    const node = store.nodes.create(newNode({ title: "gone" }));
    const tombstone = store.nodes.delete(node.id);
    expect(store.nodes.update(node.id, { title: "back" })).toEqual({ status: "not_found" });
    expect(store.nodes.get(node.id, { includeDeleted: true })).toEqual(tombstone);
  });
});

describe("delete", () => {
  test("tombstones: get hides it, includeDeleted shows it", () => {
    const node = store.nodes.create(newNode({ tags: ["keep"] }));
    time.advance(2000);
    const tombstone = store.nodes.delete(node.id.toLowerCase());
    expect(tombstone).toEqual({
      ...node,
      updated_at: "2026-03-01T09:00:02.000Z",
      deleted_at: "2026-03-01T09:00:02.000Z",
    });
    expect(store.nodes.get(node.id)).toBeUndefined();
    expect(store.nodes.get(node.id, { includeDeleted: true })).toEqual(tombstone);
  });

  test("deleting again returns the tombstone unchanged", () => {
    const node = store.nodes.create(newNode());
    time.advance(1000);
    const tombstone = store.nodes.delete(node.id);
    time.advance(1000);
    expect(store.nodes.delete(node.id)).toEqual(tombstone);
    expect(store.nodes.get(node.id, { includeDeleted: true })).toEqual(tombstone);
  });

  test("deleted_at is after the last update even when the clock does not move", () => {
    const node = store.nodes.create(newNode());
    const tombstone = store.nodes.delete(node.id);
    expect(tombstone?.deleted_at).toBe("2026-03-01T09:00:00.001Z");
    expect(tombstone?.updated_at).toBe("2026-03-01T09:00:00.001Z");
  });

  test("deleting an unknown id returns undefined", () => {
    expect(store.nodes.delete("01JD3QZ5N6X4W8Y2T7R9M0K1AB")).toBeUndefined();
  });
});

describe("durability", () => {
  test("nodes, tombstones and their fields survive close and reopen", () => {
    const kept = store.nodes.create(
      newNode({ kind: "project", title: "Home", body: "b", aliases: ["h"], tags: ["x", "y"] }),
    );
    time.advance(1);
    const edited = updated(store.nodes.update(kept.id, { body: "edited" }));
    const gone = store.nodes.delete(store.nodes.create(newNode({ title: "gone" })).id);
    store.close();

    store = openStore(dbPath, time.clock);
    expect(store.schemaVersion()).toBeGreaterThanOrEqual(1);
    expect(store.nodes.get(kept.id)).toEqual(edited);
    expect(store.nodes.get(gone?.id as string, { includeDeleted: true })).toEqual(gone);
  });
});
