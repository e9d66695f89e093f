/** hephd from the compiled binary: serving, the store lock, signals, crashes, durability. */

import { beforeAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { existsSync, lstatSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { RpcClient } from "../../src/client/client.ts";
import {
  daemonArgs,
  ensureBinary,
  hephdLink,
  isolatedEnv,
  runHeph,
  spawnDaemon,
} from "../helpers/binary.ts";
import { tempPaths } from "../helpers/tmp.ts";

beforeAll(() => {
  ensureBinary();
});

async function stopWith(signal: "SIGTERM" | "SIGINT", child: Subprocess) {
  child.kill(signal);
  return child.exited;
}

describe("serving", () => {
  test("`heph hephd --mode local` serves, and `heph health --json` reports its version and pid", async () => {
    const paths = tempPaths();
    const env = isolatedEnv(paths.dir);
    const daemon = await spawnDaemon(daemonArgs(paths), env, paths.socket);
    try {
      const health = await runHeph(["health", "--json"], { ...env, HEPH_SOCKET: paths.socket });
      expect(health.exitCode).toBe(0);
      const info = JSON.parse(health.stdout);
      const version = (await runHeph(["--version"], env)).stdout.trim();
      expect(info).toMatchObject({
        version,
        pid: daemon.process.pid,
        mode: "local",
        db: paths.db,
        socket: paths.socket,
      });
      expect(health.stderr).toBe("");
    } finally {
      expect(await stopWith("SIGTERM", daemon.process)).toBe(0);
      paths.cleanup();
    }
  });

  test("the hephd symlink serves too, with paths from HEPH_DB and HEPH_SOCKET alone", async () => {
    const paths = tempPaths();
    const env = isolatedEnv(paths.dir, { HEPH_DB: paths.db, HEPH_SOCKET: paths.socket });
    const daemon = await spawnDaemon(["--mode", "local"], env, paths.socket, hephdLink);
    try {
      const health = await runHeph(["health"], env);
      expect(health.exitCode).toBe(0);
      expect(health.stdout).toContain(`pid ${daemon.process.pid}`);
      expect(health.stdout).toContain(paths.db);
      // The log went to the default place under XDG_DATA_HOME, 0600, one timestamped line per event.
      const log = join(env.XDG_DATA_HOME as string, "heph", "hephd.log");
      expect(statSync(log).mode & 0o777).toBe(0o600);
      expect(readFileSync(log, "utf8")).toMatch(
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO {2}hephd ready/m,
      );
    } finally {
      expect(await stopWith("SIGINT", daemon.process)).toBe(0);
      paths.cleanup();
    }
  });
});

describe("one daemon per store", () => {
  test("a second daemon exits non-zero naming the store and the holder's pid", async () => {
    const paths = tempPaths();
    const env = isolatedEnv(paths.dir);
    const first = await spawnDaemon(daemonArgs(paths), env, paths.socket);
    try {
      const second = await runHeph(
        daemonArgs({ ...paths, socket: join(paths.dir, "second.sock") }),
        env,
      );
      expect(second.exitCode).not.toBe(0);
      expect(second.stderr).toContain(paths.db);
      expect(second.stderr).toContain(`pid ${first.process.pid}`);
    } finally {
      await stopWith("SIGTERM", first.process);
      paths.cleanup();
    }
  });
});

describe("stopping and crashing", () => {
  test("SIGTERM: exit 0, socket removed, store closed cleanly", async () => {
    const paths = tempPaths();
    const daemon = await spawnDaemon(daemonArgs(paths), isolatedEnv(paths.dir), paths.socket);
    expect(await stopWith("SIGTERM", daemon.process)).toBe(0);
    expect(existsSync(paths.socket)).toBe(false);
    // A clean stop checkpoints the WAL into the main file.
    expect(existsSync(`${paths.db}-wal`)).toBe(false);
    paths.cleanup();
  });

  test("after kill -9 the stale socket is reclaimed and every acknowledged write is there", async () => {
    const paths = tempPaths();
    const env = isolatedEnv(paths.dir);
    const first = await spawnDaemon(daemonArgs(paths), env, paths.socket);
    const client = new RpcClient(paths.socket);
    const acknowledged: Array<{ id: string; title: string; body: string }> = [];
    for (let i = 0; i < 50; i++) {
      const node = await client.call("node.create", { kind: "doc", title: `durable ${i}` });
      acknowledged.push(await client.call("node.update", { id: node.id, body: `body ${i}` }));
    }
    client.close();
    first.process.kill("SIGKILL");
    await first.process.exited;
    expect(lstatSync(paths.socket).isSocket()).toBe(true);

    const stale = await runHeph(["health"], { ...env, HEPH_SOCKET: paths.socket });
    expect(stale.exitCode).toBe(3);
    expect(stale.stderr).toContain("no longer running");

    const second = await spawnDaemon(daemonArgs(paths), env, paths.socket);
    const again = new RpcClient(paths.socket);
    try {
      for (const node of acknowledged) {
        const stored = await again.call("node.get", { id: node.id });
        expect({ title: stored.title, body: stored.body }).toEqual({
          title: node.title,
          body: node.body,
        });
      }
    } finally {
      again.close();
      await stopWith("SIGTERM", second.process);
      paths.cleanup();
    }
  });
});

describe("the store path", () => {
  function digest(path: string) {
    return createHash("sha256").update(readFileSync(path)).digest("hex");
  }

  test("a file that is not a heph store is refused and left byte for byte as it was", async () => {
    const paths = tempPaths();
    const env = isolatedEnv(paths.dir);
    writeFileSync(paths.db, "# my shopping list\n- eggs\n");
    const before = digest(paths.db);
    const result = await runHeph(daemonArgs(paths), env);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("not a SQLite database");
    expect(digest(paths.db)).toBe(before);
    expect(existsSync(paths.socket)).toBe(false);

    const foreign = tempPaths();
    const { Database } = await import("bun:sqlite");
    const db = new Database(foreign.db);
    db.run("CREATE TABLE songs (title TEXT)");
    db.close();
    const foreignBefore = digest(foreign.db);
    const refused = await runHeph(daemonArgs(foreign), isolatedEnv(foreign.dir));
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain("another program");
    expect(digest(foreign.db)).toBe(foreignBefore);
    paths.cleanup();
    foreign.cleanup();
  });

  test("a socket path over the limit fails up front with the path and the limit", async () => {
    const paths = tempPaths();
    const socket = join(paths.dir, `${"x".repeat(110)}.sock`);
    const result = await runHeph(daemonArgs({ ...paths, socket }), isolatedEnv(paths.dir));
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(socket);
    expect(result.stderr).toContain("at most 107 bytes");
    paths.cleanup();
  });
});
