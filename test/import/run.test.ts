import { describe, expect, test } from "bun:test";
import { batchItems, MAX_BATCH_BYTES, orderItems, runImport } from "../../src/import/run.ts";
import type { ImportItem, ImportResult } from "../../src/protocol/import-schemas.ts";

const task = (key: string, parent_key: string | null = null): ImportItem => ({
  kind: "task",
  key,
  hash: "h",
  title: key,
  parent_key,
});

describe("orderItems", () => {
  test("projects (shallow first), then notes, then tasks with parents before sub-tasks", () => {
    const items: ImportItem[] = [
      task("grandchild", "child"),
      task("child", "root"),
      { kind: "doc", key: "d", hash: "h", title: "d" },
      { kind: "project", key: "p2", hash: "h", title: "b", path: ["a", "b"] },
      task("root"),
      { kind: "project", key: "p1", hash: "h", title: "a", path: ["a"] },
      task("loop-a", "loop-b"),
      task("loop-b", "loop-a"),
    ];
    expect(orderItems(items).map((i) => i.key)).toEqual([
      "p1",
      "p2",
      "d",
      "root",
      "child",
      "grandchild",
      "loop-b",
      "loop-a",
    ]);
  });
});

describe("batchItems", () => {
  test("at most 1000 items and MAX_BATCH_BYTES a batch; an over-large body is refused", () => {
    const many = Array.from({ length: 2500 }, (_, i) => task(`t${i}`));
    expect(batchItems(many).batches.map((b) => b.length)).toEqual([1000, 1000, 500]);
    const big = {
      kind: "doc",
      key: "big",
      hash: "h",
      title: "big",
      body: "x".repeat(9 * 1024 * 1024),
    } as ImportItem;
    const half = {
      kind: "doc",
      key: "half",
      hash: "h",
      title: "half",
      body: "y".repeat(MAX_BATCH_BYTES / 2),
    } as ImportItem;
    const { batches, refused } = batchItems([half, half, big, half]);
    expect(refused.map((r) => r.item.key)).toEqual(["big"]);
    expect(batches.map((b) => b.length)).toEqual([1, 1, 1]);
  });
});

describe("runImport", () => {
  test("sends every batch, counts outcomes, reports progress, keeps problems and notes", async () => {
    const items = Array.from({ length: 1500 }, (_, i) => task(`t${i}`));
    const progress: number[] = [];
    const report = await runImport(
      { items, problems: [{ where: "f line 3", reason: "bad" }], notes: [] },
      {
        dryRun: false,
        send: async (batch) =>
          batch.map(
            (item, i): ImportResult => ({
              key: item.key,
              kind: item.kind,
              outcome: i % 2 ? "created" : "unchanged",
              id: "X",
              reason: null,
            }),
          ),
        progress: (done) => progress.push(done),
      },
    );
    expect(report.counts).toEqual({
      created: 750,
      updated: 0,
      unchanged: 750,
      skipped: 0,
      unreadable: 1,
    });
    expect(progress.at(-1)).toBe(1500);
  });
});
