import { afterEach, describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ensureSocketDir } from "../src/dirs.ts";
import { StartupError } from "../src/errors.ts";
import { checkSocketPath, resolvePaths, socketPathLimit } from "../src/paths.ts";
import { tempDir } from "./helpers/tmp.ts";

const home = "/home/ada";
const cwd = "/work/project";

function context(env: Record<string, string | undefined> = {}) {
  return { env, home, cwd };
}

describe("resolvePaths", () => {
  test("defaults: ~/.local/share/heph, socket in the data dir", () => {
    expect(resolvePaths({}, context())).toEqual({
      dataDir: "/home/ada/.local/share/heph",
      db: "/home/ada/.local/share/heph/heph.db",
      socket: "/home/ada/.local/share/heph/hephd.sock",
      log: "/home/ada/.local/share/heph/hephd.log",
    });
  });

  test("XDG_DATA_HOME replaces ~/.local/share", () => {
    expect(resolvePaths({}, context({ XDG_DATA_HOME: "/data" }))).toEqual({
      dataDir: "/data/heph",
      db: "/data/heph/heph.db",
      socket: "/data/heph/hephd.sock",
      log: "/data/heph/hephd.log",
    });
  });

  test("XDG_RUNTIME_DIR moves only the socket", () => {
    const paths = resolvePaths({}, context({ XDG_RUNTIME_DIR: "/run/user/1000" }));
    expect(paths.socket).toBe("/run/user/1000/heph/hephd.sock");
    expect(paths.db).toBe("/home/ada/.local/share/heph/heph.db");
    expect(paths.log).toBe("/home/ada/.local/share/heph/hephd.log");
  });

  test("HEPH_DB and HEPH_SOCKET beat the XDG defaults", () => {
    const env = {
      XDG_DATA_HOME: "/data",
      XDG_RUNTIME_DIR: "/run/user/1000",
      HEPH_DB: "/env/store.db",
      HEPH_SOCKET: "/env/s.sock",
    };
    const paths = resolvePaths({}, context(env));
    expect(paths.db).toBe("/env/store.db");
    expect(paths.socket).toBe("/env/s.sock");
    expect(paths.log).toBe("/data/heph/hephd.log");
  });

  test("flags beat HEPH_DB and HEPH_SOCKET", () => {
    const env = { HEPH_DB: "/env/store.db", HEPH_SOCKET: "/env/s.sock" };
    const flags = { db: "/flag/store.db", socket: "/flag/s.sock", log: "/flag/d.log" };
    expect(resolvePaths(flags, context(env))).toEqual({
      dataDir: "/home/ada/.local/share/heph",
      db: "/flag/store.db",
      socket: "/flag/s.sock",
      log: "/flag/d.log",
    });
  });

  test("each path is overridden on its own", () => {
    const paths = resolvePaths({ socket: "/flag/s.sock" }, context({ HEPH_DB: "/env/store.db" }));
    expect(paths.db).toBe("/env/store.db");
    expect(paths.socket).toBe("/flag/s.sock");
    expect(paths.log).toBe("/home/ada/.local/share/heph/hephd.log");
  });

  test("empty environment variables count as unset", () => {
    const env = { XDG_DATA_HOME: "", XDG_RUNTIME_DIR: "", HEPH_DB: "", HEPH_SOCKET: "" };
    expect(resolvePaths({}, context(env))).toEqual(resolvePaths({}, context()));
  });

  test("empty flags count as unset and fall back to the environment", () => {
    const env = { HEPH_DB: "/env/store.db", HEPH_SOCKET: "/env/s.sock" };
    const paths = resolvePaths({ db: "", socket: "", log: "" }, context(env));
    expect(paths.db).toBe("/env/store.db");
    expect(paths.socket).toBe("/env/s.sock");
    expect(paths.log).toBe("/home/ada/.local/share/heph/hephd.log");
  });

  test("relative paths are made absolute against cwd", () => {
    const flags = resolvePaths(
      { db: "store.db", socket: "./run/s.sock", log: "../logs/d.log" },
      context(),
    );
    expect(flags.db).toBe("/work/project/store.db");
    expect(flags.socket).toBe("/work/project/run/s.sock");
    expect(flags.log).toBe("/work/logs/d.log");

    const env = resolvePaths({}, context({ HEPH_DB: "db/h.db", HEPH_SOCKET: "h.sock" }));
    expect(env.db).toBe("/work/project/db/h.db");
    expect(env.socket).toBe("/work/project/h.sock");
  });

  test("relative XDG_DATA_HOME / XDG_RUNTIME_DIR are ignored, as the XDG spec says", () => {
    const xdg = resolvePaths({}, context({ XDG_DATA_HOME: "data", XDG_RUNTIME_DIR: "rt" }));
    const defaults = resolvePaths({}, context());
    expect(xdg).toEqual(defaults);
    expect(xdg.dataDir.startsWith("/")).toBe(true);
    expect(xdg.socket).toBe(`${xdg.dataDir}/hephd.sock`);
  });

  test("uses the process environment when no context is given", () => {
    const saved = process.env.HEPH_DB;
    process.env.HEPH_DB = "/from/process/env.db";
    try {
      expect(resolvePaths().db).toBe("/from/process/env.db");
    } finally {
      if (saved === undefined) delete process.env.HEPH_DB;
      else process.env.HEPH_DB = saved;
    }
  });
});

describe("checkSocketPath", () => {
  /** An absolute path of exactly `bytes` bytes. */
  const pathOf = (bytes: number) => `/${"s".repeat(bytes - 1)}`;

  test("limits: 108 bytes on linux, 104 on darwin and the BSDs (with the NUL)", () => {
    expect(socketPathLimit("linux")).toBe(108);
    expect(socketPathLimit("darwin")).toBe(104);
    expect(socketPathLimit("freebsd")).toBe(104);
  });

  test("linux: 107 bytes pass, 108 are refused", () => {
    expect(() => checkSocketPath(pathOf(107), "linux")).not.toThrow();
    expect(() => checkSocketPath(pathOf(108), "linux")).toThrow(StartupError);
  });

  test("darwin: 103 bytes pass, 104 are refused", () => {
    expect(() => checkSocketPath(pathOf(103), "darwin")).not.toThrow();
    expect(() => checkSocketPath(pathOf(104), "darwin")).toThrow(StartupError);
    // What linux accepts, darwin refuses.
    expect(() => checkSocketPath(pathOf(107), "darwin")).toThrow(StartupError);
  });

  test("multi-byte characters count in bytes", () => {
    // "é" is 2 bytes: 1 + 53 × 2 = 107 bytes in 54 characters.
    const fits = `/${"é".repeat(53)}`;
    expect(Buffer.byteLength(fits)).toBe(107);
    expect(() => checkSocketPath(fits, "linux")).not.toThrow();
    // 108 bytes in only 55 characters.
    const tooLong = `${fits}s`;
    expect(tooLong.length).toBe(55);
    expect(() => checkSocketPath(tooLong, "linux")).toThrow(StartupError);
    // "𝄞" is 4 bytes (and 2 UTF-16 units): 1 + 26 × 4 = 105 bytes, over darwin's 103.
    expect(() => checkSocketPath(`/${"𝄞".repeat(26)}`, "darwin")).toThrow(StartupError);
    expect(() => checkSocketPath(`/${"𝄞".repeat(26)}`, "linux")).not.toThrow();
  });

  test("the message names the path, its size and the limit", () => {
    const path = pathOf(120);
    let message = "";
    try {
      checkSocketPath(path, "linux");
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(path);
    expect(message).toContain("120 bytes");
    expect(message).toContain("107");
    expect(message).toContain("108");
    expect(message).toContain("linux");
  });
});

describe("ensureSocketDir", () => {
  let dir: { path: string; cleanup(): void };
  afterEach(() => dir.cleanup());

  const modeOf = (path: string) => statSync(path).mode & 0o7777;

  test("creates missing directories 0700, parents included", () => {
    dir = tempDir();
    const target = join(dir.path, "a", "b");
    ensureSocketDir(target);
    expect(statSync(target).isDirectory()).toBe(true);
    expect(modeOf(target)).toBe(0o700);
    expect(modeOf(join(dir.path, "a"))).toBe(0o700);
  });

  test("accepts an existing private directory and leaves its mode alone", () => {
    dir = tempDir();
    const target = join(dir.path, "mine");
    mkdirSync(target, { mode: 0o755 });
    chmodSync(target, 0o755);
    ensureSocketDir(target);
    expect(modeOf(target)).toBe(0o755);
  });

  for (const mode of [0o777, 0o770, 0o702]) {
    test(`refuses an existing non-sticky directory with mode ${mode.toString(8)}`, () => {
      dir = tempDir();
      const target = join(dir.path, "shared");
      mkdirSync(target);
      chmodSync(target, mode);
      expect(() => ensureSocketDir(target)).toThrow(StartupError);
      expect(() => ensureSocketDir(target)).toThrow(target);
      expect(() => ensureSocketDir(target)).toThrow(`mode ${mode.toString(8)}`);
      // Never chmod-ed.
      expect(modeOf(target)).toBe(mode);
    });
  }

  test("refuses a sticky world-writable directory like /tmp too, without changing it", () => {
    // Sticky stops others deleting our socket, not binding the path before us.
    dir = tempDir();
    const target = join(dir.path, "tmp-like");
    mkdirSync(target);
    chmodSync(target, 0o1777);
    expect(() => ensureSocketDir(target)).toThrow(/writable by other users \(mode 1777\)/);
    expect(modeOf(target)).toBe(0o1777);
  });

  test("refuses a symlink to a directory", () => {
    dir = tempDir();
    const real = join(dir.path, "real");
    mkdirSync(real, { mode: 0o700 });
    const link = join(dir.path, "link");
    symlinkSync(real, link);
    expect(() => ensureSocketDir(link)).toThrow(StartupError);
  });

  // mkdirSync(recursive) throws a bare EEXIST for a file; the user must get a StartupError.
  test("refuses a path that is a file, with a StartupError naming it", () => {
    dir = tempDir();
    const file = join(dir.path, "not-a-dir");
    writeFileSync(file, "x");
    expect(() => ensureSocketDir(file)).toThrow(StartupError);
    expect(() => ensureSocketDir(file)).toThrow(`${file} should be a directory`);
  });
});
