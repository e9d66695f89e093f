import { expect, test } from "bun:test";
import { methods } from "../../src/protocol/methods.ts";
import { READ_ONLY_METHODS } from "../../src/protocol/read-only-methods.ts";

test("READ_ONLY_METHODS names exactly the methods the table marks as not mutating", () => {
  const fromTable = Object.entries(methods)
    .filter(([, spec]) => !spec.mutates)
    .map(([name]) => name)
    .sort();
  expect([...READ_ONLY_METHODS].sort()).toEqual(fromTable);
});
