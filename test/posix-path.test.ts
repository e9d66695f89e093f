/** The CLI's own POSIX path helpers give node:path's answers (src/posix-path.ts). */
import { describe, expect, test } from "bun:test";
import { posix } from "node:path";
import { isAbsolute, join, normalize, resolveFrom } from "../src/posix-path.ts";

const SAMPLES = [
  "",
  ".",
  "..",
  "/",
  "//",
  "a",
  "a/",
  "/a/b/../c",
  "a/./b",
  "../../x",
  "/../x",
  "a/../../b",
  "./a//b///c/",
  "/tmp/heph-1/hephd.sock",
  "x/..",
  "~/.local",
  "with space/dir",
];

/** Seeded, so a failure names an input that reproduces. */
function randomPaths(count: number, seed = 7): string[] {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state;
  };
  const parts = ["a", "bb", ".", "..", "", "c.d", "é"];
  return Array.from({ length: count }, () => {
    const length = next() % 6;
    const body = Array.from({ length }, () => parts[next() % parts.length]).join("/");
    return next() % 2 === 0 ? `/${body}` : body;
  });
}

describe("posix-path agrees with node:path", () => {
  const inputs = [...SAMPLES, ...randomPaths(500)];

  test("isAbsolute", () => {
    for (const path of inputs)
      expect([path, isAbsolute(path)]).toEqual([path, posix.isAbsolute(path)]);
  });

  test("normalize", () => {
    for (const path of inputs)
      expect([path, normalize(path)]).toEqual([
        path,
        posix.normalize(path).replace(/(.)\/$/, "$1"),
      ]);
  });

  test("join", () => {
    for (let index = 0; index + 2 < inputs.length; index++) {
      const segments = inputs.slice(index, index + 3) as [string, string, string];
      expect([segments, join(...segments)]).toEqual([
        segments,
        posix.join(...segments).replace(/(.)\/$/, "$1"),
      ]);
    }
  });

  test("resolveFrom", () => {
    for (let index = 0; index + 2 < inputs.length; index++) {
      const segments = inputs.slice(index, index + 2) as [string, string];
      const cwd = "/home/someone/work";
      expect([segments, resolveFrom(cwd, ...segments)]).toEqual([
        segments,
        posix.resolve(cwd, ...segments),
      ]);
    }
  });
});
