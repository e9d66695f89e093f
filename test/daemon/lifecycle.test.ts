/** Starting and stopping a real daemon in this process: lock, socket file, store reuse. */
import { describe, expect, test } from "bun:test";
import { existsSync, lstatSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startDaemon } from "../../src/daemon/run.ts";
import { StartupError } from "../../src/errors.ts";
import { RawConnection } from "../helpers/raw-socket.ts";
import { tempPaths } from "../helpers/tmp.ts";

describe("daemon lifecycle", () => {
  test("a second daemon on the same store is refused, naming the store and the holder's pid", async () => {
    const paths = tempPaths();
    const first = await startDaemon(paths);
    try {
      const second = startDaemon({
        db: paths.db,
        socket: join(paths.dir, "other.sock"),
        log: paths.log,
      });
      await expect(second).rejects.toBeInstanceOf(StartupError);
      await expect(second).rejects.toThrow(paths.db);
      await expect(second).rejects.toThrow(`pid ${process.pid}`);
      // The refused daemon created no socket and the first still serves.
      expect(existsSync(join(paths.dir, "other.sock"))).toBe(false);
      const connection = await RawConnection.open(paths.socket);
      expect((await connection.call("daemon.info")).result.db).toBe(paths.db);
      connection.end();
    } finally {
      await first.stop("test");
      paths.cleanup();
    }
  });

  test("stop removes the socket and releases the store; a new daemon finds the data", async () => {
    const paths = tempPaths();
    try {
      const first = await startDaemon(paths);
      const connection = await RawConnection.open(paths.socket);
      const created = (await connection.call("node.create", { kind: "doc", title: "Kept" })).result;
      connection.end();
      await first.stop("test");
      expect(existsSync(paths.socket)).toBe(false);
      const second = await startDaemon(paths);
      const again = await RawConnection.open(paths.socket);
      expect((await again.call("node.get", { id: created.id })).result.title).toBe("Kept");
      again.end();
      await second.stop("test");
    } finally {
      paths.cleanup();
    }
  });

  test("a socket file left by a dead daemon is reclaimed", async () => {
    const paths = tempPaths();
    // A process that binds the socket and is killed with SIGKILL: exactly what a crash leaves.
    const crashed = Bun.spawnSync([
      process.execPath,
      "-e",
      `Bun.listen({ unix: ${JSON.stringify(paths.socket)}, socket: { data() {} } }); process.kill(process.pid, "SIGKILL");`,
    ]);
    expect(crashed.signalCode).toBe("SIGKILL");
    expect(lstatSync(paths.socket).isSocket()).toBe(true);
    const daemon = await startDaemon(paths);
    try {
      const connection = await RawConnection.open(paths.socket);
      expect((await connection.call("daemon.info")).result.pid).toBe(process.pid);
      connection.end();
    } finally {
      await daemon.stop("test");
      paths.cleanup();
    }
  });

  test("a live socket of another store's daemon is left alone", async () => {
    const paths = tempPaths();
    const other = await startDaemon({
      db: join(paths.dir, "other.db"),
      socket: paths.socket,
      log: paths.log,
    });
    try {
      await expect(startDaemon(paths)).rejects.toThrow("Another daemon is already serving");
      const connection = await RawConnection.open(paths.socket);
      expect((await connection.call("daemon.info")).result.db).toBe(join(paths.dir, "other.db"));
      connection.end();
    } finally {
      await other.stop("test");
      paths.cleanup();
    }
  });

  test("a regular file at the socket path is refused and left untouched", async () => {
    const paths = tempPaths();
    writeFileSync(paths.socket, "my notes");
    try {
      await expect(startDaemon(paths)).rejects.toThrow("is not a socket");
      expect(readFileSync(paths.socket, "utf8")).toBe("my notes");
    } finally {
      paths.cleanup();
    }
  });

  test("a socket path over the byte limit is refused before anything is created", async () => {
    const paths = tempPaths();
    const longSocket = join(paths.dir, `${"s".repeat(120)}.sock`);
    try {
      await expect(startDaemon({ ...paths, socket: longSocket })).rejects.toThrow(
        /at most 107 bytes/,
      );
      expect(existsSync(paths.db)).toBe(false);
      expect(existsSync(paths.log)).toBe(false);
    } finally {
      paths.cleanup();
    }
  });

  test("the socket is owner-only, and its directory is created 0700", async () => {
    const paths = tempPaths();
    const socket = join(paths.dir, "run", "heph", "hephd.sock");
    const daemon = await startDaemon({ ...paths, socket });
    try {
      expect(statSync(join(paths.dir, "run", "heph")).mode & 0o777).toBe(0o700);
      expect(lstatSync(socket).mode & 0o777).toBe(0o600);
      expect(statSync(paths.db).mode & 0o777).toBe(0o600);
    } finally {
      await daemon.stop("test");
      paths.cleanup();
    }
  });
});
