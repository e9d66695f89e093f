/**
 * Isolation of a local hephd (BRIEF §3): everything it creates is private to its user, it refuses
 * a socket directory others could tamper with, it listens on nothing but its unix socket, other
 * users cannot connect, and request contents never reach its log. Runs the compiled binary.
 *
 * The tests that need a second user create `heph-test-other` (root only) and fail, never skip,
 * when not run as root. The /proc and setpriv parts are Linux only.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
} from "node:fs";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { RpcClient } from "../../src/client/client.ts";
import { MAX_LINE_BYTES } from "../../src/protocol/framing.ts";
import {
  daemonArgs,
  ensureBinary,
  hephBinary,
  isolatedEnv,
  runHeph,
  spawnDaemon,
} from "../helpers/binary.ts";
import { RawConnection } from "../helpers/raw-socket.ts";
import { tempDir } from "../helpers/tmp.ts";
import {
  connectAs,
  ensureOtherUser,
  type Identity,
  isRoot,
  NOBODY,
  OTHER_USER,
  runAs,
} from "./users.ts";

const linux = process.platform === "linux";
const myUid = process.getuid?.() ?? -1;
const MARKER = "hunter2-SECRET-MARKER";

/** Daemons and temp dirs still around when a test fails midway; afterAll clears them. */
const running = new Set<Subprocess>();
const dirs: Array<{ cleanup(): void }> = [];

beforeAll(() => {
  ensureBinary();
});

afterAll(async () => {
  for (const child of running) {
    child.kill("SIGKILL");
    await child.exited;
  }
  for (const dir of dirs) dir.cleanup();
});

function scratch(prefix = "heph-sec-") {
  const dir = tempDir(prefix);
  dirs.push(dir);
  return dir.path;
}

/** mkdir then chmod: mkdir's mode is filtered by the umask, chmod's is not. */
function makeDir(path: string, mode: number, owner?: Identity) {
  mkdirSync(path, { recursive: true });
  if (owner) chownSync(path, owner.uid, owner.gid);
  chmodSync(path, mode);
}

function perms(path: string): number {
  return lstatSync(path).mode & 0o7777;
}

function octal(mode: number): string {
  return `0${mode.toString(8)}`;
}

async function startDaemon(
  args: string[],
  env: Record<string, string>,
  socket: string,
  as?: Identity,
) {
  const argv = as ? [...runAs(as).slice(1), hephBinary, ...args] : args;
  const binary = as ? (runAs(as)[0] as string) : hephBinary;
  const daemon = await spawnDaemon(argv, env, socket, binary);
  running.add(daemon.process);
  return daemon;
}

/** SIGTERM, and the exit code (0 is a clean stop). */
async function stop(child: Subprocess): Promise<number> {
  child.kill("SIGTERM");
  const code = await child.exited;
  running.delete(child);
  return code;
}

/**
 * Runs hephd expecting it to refuse to start. A daemon that starts instead would run forever:
 * it is stopped after a bound, and the test fails saying so.
 */
async function runRefused(
  args: string[],
  env: Record<string, string>,
  as?: Identity,
): Promise<{ exitCode: number; stderr: string }> {
  const child = Bun.spawn([...(as ? runAs(as) : []), hephBinary, ...args], {
    env,
    stdout: "ignore",
    stderr: "pipe",
    stdin: "ignore",
  });
  running.add(child);
  const stderr = new Response(child.stderr).text();
  const outcome = await Promise.race([child.exited, Bun.sleep(15_000).then(() => "running")]);
  if (outcome === "running") {
    child.kill("SIGTERM");
    await child.exited;
    running.delete(child);
    throw new Error(`hephd started instead of refusing (stopped after 15 s): ${await stderr}`);
  }
  running.delete(child);
  return { exitCode: await child.exited, stderr: await stderr };
}

/** Store, socket and log in their own 0700 dirs under a fresh scratch dir. */
function layout(base = scratch()) {
  makeDir(join(base, "data"), 0o700);
  makeDir(join(base, "sock"), 0o700);
  return {
    base,
    db: join(base, "data", "heph.db"),
    log: join(base, "data", "hephd.log"),
    socketDir: join(base, "sock"),
    socket: join(base, "sock", "hephd.sock"),
  };
}

describe("files the daemon creates are private", () => {
  test("under umask 000: the runtime socket dir is created 0700 and ours; socket, store, WAL, SHM, lock and log are 0600", async () => {
    const home = scratch();
    // A runtime dir as systemd makes it; heph creates heph/ inside.
    const runtimeDir = join(home, "run");
    makeDir(runtimeDir, 0o700);
    const env = isolatedEnv(home, { XDG_RUNTIME_DIR: runtimeDir });
    const socketDir = join(runtimeDir, "heph");
    const socket = join(socketDir, "hephd.sock");
    const dataDir = join(env.XDG_DATA_HOME as string, "heph");

    // The most permissive umask a parent could pass on: whatever stays private, hephd made so.
    const previous = process.umask(0o000);
    let daemon: Awaited<ReturnType<typeof startDaemon>>;
    try {
      const inherited = Bun.spawnSync(["sh", "-c", "umask"], { stdout: "pipe" });
      expect(inherited.stdout.toString().trim()).toMatch(/^0*$/);
      daemon = await startDaemon(["hephd", "--mode", "local"], env, socket);
    } finally {
      process.umask(previous);
    }
    try {
      if (linux) {
        const status = readFileSync(`/proc/${daemon.process.pid}/status`, "utf8");
        expect(status).toMatch(/^Umask:\s+0077$/m);
      }

      const client = new RpcClient(socket);
      await client.call("node.create", { kind: "doc", title: "a note", body: "some body" });
      client.close();

      const db = join(dataDir, "heph.db");
      const expected: Array<[string, number]> = [
        [socketDir, 0o700],
        [socket, 0o600],
        [dataDir, 0o700],
        [db, 0o600],
        [`${db}.lock`, 0o600],
        [join(dataDir, "hephd.log"), 0o600],
      ];
      // WAL mode: both exist while the daemon runs (checked, so a change there is noticed).
      expect(existsSync(`${db}-wal`)).toBe(true);
      expect(existsSync(`${db}-shm`)).toBe(true);
      expected.push([`${db}-wal`, 0o600], [`${db}-shm`, 0o600]);
      for (const [path, mode] of expected) {
        expect({ path, mode: octal(perms(path)), uid: lstatSync(path).uid }).toEqual({
          path,
          mode: octal(mode),
          uid: myUid,
        });
      }
      expect(lstatSync(socket).isSocket()).toBe(true);
      // Nothing else in either directory is open to group or others.
      for (const dir of [socketDir, dataDir]) {
        for (const name of readdirSync(dir)) {
          expect({ file: join(dir, name), open: perms(join(dir, name)) & 0o077 }).toEqual({
            file: join(dir, name),
            open: 0,
          });
        }
      }
    } finally {
      expect(await stop(daemon.process)).toBe(0);
    }
  });

  test("explicit --db/--socket/--log in missing nested dirs: every dir it creates is 0700", async () => {
    const base = scratch();
    const paths = {
      db: join(base, "a", "b", "heph.db"),
      socket: join(base, "s1", "s2", "hephd.sock"),
      log: join(base, "l1", "l2", "hephd.log"),
    };
    const previous = process.umask(0o000);
    let daemon: Awaited<ReturnType<typeof startDaemon>>;
    try {
      daemon = await startDaemon(daemonArgs(paths), isolatedEnv(base), paths.socket);
    } finally {
      process.umask(previous);
    }
    try {
      for (const dir of ["a", "a/b", "s1", "s1/s2", "l1", "l1/l2"]) {
        expect({ dir, mode: octal(perms(join(base, dir))) }).toEqual({ dir, mode: "0700" });
      }
      for (const file of [paths.db, `${paths.db}.lock`, paths.log, paths.socket]) {
        expect({ file, mode: octal(perms(file)) }).toEqual({ file, mode: "0600" });
      }
    } finally {
      expect(await stop(daemon.process)).toBe(0);
    }
  });
});

describe("a socket directory others could tamper with is refused", () => {
  // Group- or other-writable, without the sticky bit.
  test.each([
    ["0777", 0o777],
    ["0770", 0o770],
    ["0730", 0o730],
    ["0707", 0o707],
    ["0702", 0o702],
    ["01777 (sticky, like /tmp)", 0o1777],
    ["01770", 0o1770],
  ])(
    "mode %s: exit 1, naming the directory, its mode and the fix; nothing changed, no store created",
    async (_label, mode) => {
      const paths = layout();
      chmodSync(paths.socketDir, mode);
      const result = await runRefused(daemonArgs(paths), isolatedEnv(paths.base));
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toBe(
        `hephd: ${paths.socketDir} is writable by other users (mode ${mode.toString(8)}); refusing to put the heph socket there, where another user could take its place. Use a private directory: \`mkdir -m 700 DIR\` and --socket DIR/hephd.sock, or leave the socket in $XDG_RUNTIME_DIR.\n`,
      );
      // Never chmod-ed behind the user's back; no socket; the store is not even created.
      expect(perms(paths.socketDir)).toBe(mode);
      expect(existsSync(paths.socket)).toBe(false);
      expect(existsSync(paths.db)).toBe(false);
      // The refusal is in the log too, as one timestamped line.
      expect(readFileSync(paths.log, "utf8")).toMatch(
        new RegExp(
          `^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z ERROR cannot start error=".*${paths.socketDir}`,
          "m",
        ),
      );
    },
  );

  test("a directory owned by another user is refused naming its owner's uid, even 0700 or sticky", async () => {
    const other = ensureOtherUser();
    for (const mode of [0o700, 0o1777]) {
      const paths = layout();
      makeDir(paths.socketDir, mode, other);
      const result = await runRefused(daemonArgs(paths), isolatedEnv(paths.base));
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toBe(
        `hephd: ${paths.socketDir} belongs to uid ${other.uid}, not to you (uid ${myUid}); refusing to put the heph socket there.\n`,
      );
      expect(existsSync(paths.socket)).toBe(false);
      expect(existsSync(paths.db)).toBe(false);
    }
  });

  test("the defaults refuse too: an existing XDG_RUNTIME_DIR/heph that is 0777 stops hephd", async () => {
    const home = scratch();
    const runtimeDir = join(home, "run");
    makeDir(join(runtimeDir, "heph"), 0o777);
    const result = await runRefused(
      ["hephd", "--mode", "local"],
      isolatedEnv(home, { XDG_RUNTIME_DIR: runtimeDir }),
    );
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`${join(runtimeDir, "heph")} is writable by other users`);
  });
});

/**
 * Shared directories: a root-owned directory nobody else can write is trusted (root is anyway);
 * a root-owned sticky one (like /tmp) is refused like any other writable directory, because
 * another user could bind the path first. A client also refuses another user's socket.
 */
describe("shared directories and other users' sockets", () => {
  test.skipIf(!linux)(
    "a root-owned 1777 directory (like /tmp) is refused for a non-root daemon too",
    async () => {
      const other = ensureOtherUser();
      const base = scratch();
      chmodSync(base, 0o755);
      const home = join(base, "home");
      makeDir(home, 0o700, other);
      const shared = join(base, "shared");
      makeDir(shared, 0o1777); // root's, as /tmp is
      const socket = join(shared, "hephd.sock");
      const env = isolatedEnv(home, { HEPH_SOCKET: socket });
      const result = await runRefused(["hephd", "--mode", "local"], env, other);
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain(`${shared} is writable by other users (mode 1777)`);
      expect(existsSync(socket)).toBe(false);
    },
  );

  /** A non-root daemon told to put its socket in a root-owned 0755 directory. */
  async function failToBind() {
    const other = ensureOtherUser();
    const base = scratch();
    chmodSync(base, 0o755);
    const home = join(base, "home");
    makeDir(home, 0o700, other);
    const rootDir = join(base, "root-owned");
    makeDir(rootDir, 0o755);
    const socket = join(rootDir, "hephd.sock");
    const env = isolatedEnv(home);
    const result = await runRefused(["hephd", "--mode", "local", "--socket", socket], env, other);
    const log = readFileSync(join(env.XDG_DATA_HOME as string, "heph", "hephd.log"), "utf8");
    return { ...result, socket, log };
  }

  test.skipIf(!linux)(
    "a root-owned directory the user cannot write fails at bind: exit 1 naming the socket and the cause, logged",
    async () => {
      const { exitCode, stderr, socket, log } = await failToBind();
      expect(exitCode).toBe(1);
      expect(stderr).toContain(socket);
      expect(stderr).toMatch(/EACCES|[Pp]ermission denied/);
      expect(stderr).not.toContain("belongs to uid");
      expect(log).toContain("ERROR cannot start");
      expect(log).not.toContain("hephd ready");
    },
  );

  test.skipIf(!linux)("a client will not send requests to a socket another user owns", async () => {
    const other = ensureOtherUser();
    const base = scratch();
    chmodSync(base, 0o755);
    const shared = join(base, "shared");
    makeDir(shared, 0o1777);
    const socket = join(shared, "hephd.sock");
    // Another user listens where the client will look, and would record what it is sent.
    const squatter = Bun.spawn(
      [
        ...runAs(other),
        process.execPath,
        "-e",
        `Bun.listen({ unix: process.env.SQUAT, socket: { data() {} } }); console.log("listening");`,
      ],
      {
        cwd: "/",
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: "/nonexistent", SQUAT: socket },
        stdout: "pipe",
        stderr: "pipe",
        stdin: "ignore",
      },
    );
    running.add(squatter);
    try {
      const reader = squatter.stdout.getReader();
      const first = await reader.read();
      reader.releaseLock();
      expect(new TextDecoder().decode(first.value)).toContain("listening");
      const result = await runHeph(["add", `call bank ${MARKER}`], {
        ...isolatedEnv(base),
        HEPH_SOCKET: socket,
      });
      expect(result.exitCode).toBe(3);
      expect(result.stderr).toContain(`belongs to uid ${other.uid}`);
    } finally {
      squatter.kill("SIGKILL");
      await squatter.exited;
      running.delete(squatter);
    }
  });
});

/** Socket inodes the process holds: /proc/<pid>/fd/* → "socket:[inode]". */
function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    let target: string;
    try {
      target = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue; // closed meanwhile
    }
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode) inodes.add(inode);
  }
  return inodes;
}

/** inode → row of a /proc/<pid>/net table; the inode is column `inodeColumn`. */
function netTable(path: string, inodeColumn: number): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const line of readFileSync(path, "utf8").split("\n").slice(1)) {
    const fields = line.trim().split(/\s+/);
    const inode = fields[inodeColumn];
    if (inode) rows.set(inode, fields);
  }
  return rows;
}

describe.skipIf(!linux)("no network listener in local mode", () => {
  test("every socket the daemon holds is a unix socket: none is in its TCP, UDP or raw tables", async () => {
    const paths = layout();
    const daemon = await startDaemon(daemonArgs(paths), isolatedEnv(paths.base), paths.socket);
    // An open connection too, so accepted sockets are counted as well as the listener.
    const connection = await RawConnection.open(paths.socket);
    try {
      expect((await connection.call("daemon.info")).result.pid).toBe(daemon.process.pid);
      const pid = daemon.process.pid;
      const held = socketInodes(pid);
      expect(held.size).toBeGreaterThanOrEqual(2); // the listener and our connection

      const net = `/proc/${pid}/net`;
      const inet = ["tcp", "tcp6", "udp", "udp6", "udplite", "udplite6", "raw", "raw6"].filter(
        (table) => existsSync(join(net, table)),
      );
      expect(inet).toEqual(expect.arrayContaining(["tcp", "tcp6", "udp", "udp6"]));
      for (const table of inet) {
        const rows = netTable(join(net, table), 9);
        const found = [...held].filter((inode) => rows.has(inode));
        expect({ table, inodes: found }).toEqual({ table, inodes: [] });
      }

      // And they are all in the unix table, the listener at our path among them.
      const unix = netTable(join(net, "unix"), 6);
      expect([...held].filter((inode) => !unix.has(inode))).toEqual([]);
      const listener = [...held].find((inode) => unix.get(inode)?.[7] === paths.socket);
      expect(listener).toBeDefined();
    } finally {
      connection.end();
      expect(await stop(daemon.process)).toBe(0);
    }
  });
});

describe.skipIf(!linux)("other users cannot connect", () => {
  test("another unprivileged user gets EACCES at each layer (0700 dir, 0600 socket); the owner connects", async () => {
    const other = ensureOtherUser();
    const home = scratch();
    // Everything above heph's own directory is open to the other user on purpose, so the
    // refusals below come from what heph sets, not from the temp dir's 0700.
    chmodSync(home, 0o755);
    const runtimeDir = join(home, "run");
    makeDir(runtimeDir, 0o755);
    const env = isolatedEnv(home, { XDG_RUNTIME_DIR: runtimeDir });
    const socketDir = join(runtimeDir, "heph");
    const socket = join(socketDir, "hephd.sock");
    const daemon = await startDaemon(["hephd", "--mode", "local"], env, socket);
    try {
      // The owner.
      const client = new RpcClient(socket);
      expect((await client.call("daemon.info", {})).pid).toBe(daemon.process.pid);
      client.close();

      // Layer 1: the 0700 socket directory.
      expect(octal(perms(socketDir))).toBe("0700");
      expect(await connectAs(other, socket)).toEqual({ connected: false, code: "EACCES" });
      // What the other user sees from heph itself.
      const health = Bun.spawn([...runAs(other), hephBinary, "health"], {
        cwd: "/",
        env: { PATH: env.PATH as string, HOME: "/nonexistent", NO_COLOR: "1", HEPH_SOCKET: socket },
        stdout: "pipe",
        stderr: "pipe",
        stdin: "ignore",
      });
      const healthStderr = await new Response(health.stderr).text();
      expect(await health.exited).toBe(3);
      expect(healthStderr).toContain(`Permission denied connecting to ${socket}`);

      // Layer 2: open the directory (as a careless admin might); the 0600 socket still refuses.
      chmodSync(socketDir, 0o755);
      expect(octal(perms(socket))).toBe("0600");
      expect(await connectAs(other, socket)).toEqual({ connected: false, code: "EACCES" });

      // Control: with the socket opened up, the same probe as the same user connects, so the
      // refusals above were the permissions at work and not a probe that cannot connect at all.
      chmodSync(socket, 0o666);
      expect(await connectAs(other, socket)).toEqual({ connected: true });
    } finally {
      expect(await stop(daemon.process)).toBe(0);
    }
  });

  test("a daemon run by an unprivileged user: its owner connects, a third uid gets EACCES", async () => {
    const owner = ensureOtherUser();
    const base = scratch();
    chmodSync(base, 0o755);
    const home = join(base, "home");
    makeDir(home, 0o755, owner); // traversable, so only heph's own modes guard the socket
    const runtimeDir = join(home, "run");
    makeDir(runtimeDir, 0o755, owner);
    const env = isolatedEnv(home, { XDG_RUNTIME_DIR: runtimeDir });
    const socketDir = join(runtimeDir, "heph");
    const socket = join(socketDir, "hephd.sock");
    const daemon = await startDaemon(["hephd", "--mode", "local"], env, socket, owner);
    try {
      for (const path of [socketDir, socket]) expect(lstatSync(path).uid).toBe(owner.uid);
      expect(octal(perms(socketDir))).toBe("0700");
      expect(octal(perms(socket))).toBe("0600");
      // The owner needs no privilege to connect.
      expect(await connectAs(owner, socket)).toEqual({ connected: true });
      expect(await connectAs(NOBODY, socket)).toEqual({ connected: false, code: "EACCES" });
      chmodSync(socketDir, 0o755);
      expect(await connectAs(NOBODY, socket)).toEqual({ connected: false, code: "EACCES" });
      // File modes do not stop root (CAP_DAC_OVERRIDE), but heph's client will not send root's
      // requests to a socket another user owns.
      const asRoot = new RpcClient(socket);
      const refused = await asRoot.call("daemon.info", {}).then(
        () => null,
        (error: unknown) => error as Error,
      );
      asRoot.close();
      expect(refused?.message).toContain(`belongs to uid ${owner.uid}`);
    } finally {
      expect(await stop(daemon.process)).toBe(0);
    }
  });

  test("needs root: without it the other-user tests fail rather than pass", () => {
    if (isRoot()) {
      expect(ensureOtherUser().name).toBe(OTHER_USER);
    } else {
      expect(() => ensureOtherUser()).toThrow("needs root");
    }
  });
});

describe("request contents never reach the log", () => {
  test(`no body, title or params (nor "${MARKER}") in the log, whatever the requests`, async () => {
    const paths = layout();
    const daemon = await startDaemon(daemonArgs(paths), isolatedEnv(paths.base), paths.socket);
    const secret = `password: ${MARKER}`;
    try {
      // Accepted writes carrying the marker in every free-text field.
      const client = new RpcClient(paths.socket);
      const doc = await client.call("node.create", {
        kind: "doc",
        title: `doc ${MARKER}`,
        body: `# notes\n${secret}\n[[${MARKER}]] #${MARKER}`,
        aliases: [`alias ${MARKER}`],
        tags: [MARKER],
      });
      await client.call("node.update", { id: doc.id, body: `${secret} (updated)` });
      await client.call("node.append", { id: doc.id, text: secret });
      const task = await client.call("task.add", { line: `call bank ${MARKER} tomorrow p1` });
      await client.call("log.append", { id: task.id, text: secret });
      await client.call("task.update", { id: task.id, body: secret });
      await client.call("search", { query: MARKER });
      // And the body really is stored: the marker reached the daemon.
      expect((await client.call("node.get", { id: doc.id })).body).toContain(MARKER);
      client.close();

      // Refused requests carrying the marker: every method, with params of every wrong shape.
      const raw = await RawConnection.open(paths.socket);
      const discover = await raw.call("rpc.discover");
      const methods = (
        discover.result.methods as Array<{ name: string; params: Array<{ name: string }> }>
      ).filter((method) => method.name !== "daemon.shutdown");
      expect(methods.length).toBeGreaterThan(20);
      let id = 100;
      for (const method of methods) {
        const everyField = Object.fromEntries(method.params.map((p) => [p.name, secret]));
        for (const params of [
          everyField,
          { [MARKER]: secret },
          [secret],
          secret,
          { ...everyField, extra: { nested: [secret] } },
        ]) {
          const reply = await raw.call(method.name, params, id++);
          expect(reply.id).toBe(id - 1);
        }
      }
      // Search syntax an FTS engine could choke on, with the marker inside.
      for (const query of [
        `"${MARKER}`,
        `${MARKER} AND (`,
        `NEAR(${MARKER}`,
        `-${MARKER}*`,
        `${MARKER}:x`,
      ]) {
        await raw.call("search", { query }, id++);
      }
      // Unknown methods, notifications, batches, broken JSON and bad envelopes.
      await raw.call(`secret.${MARKER}`, { secret }, id++);
      await raw.send({
        jsonrpc: "2.0",
        method: "node.create",
        params: { kind: "doc", body: secret },
      });
      await raw.send([
        { jsonrpc: "2.0", id: id++, method: "node.create", params: { kind: MARKER, body: secret } },
        { jsonrpc: "2.0", id: id++, method: MARKER, params: [secret] },
      ]);
      await raw.next();
      await raw.write(
        `{"jsonrpc":"2.0","id":1,"method":"node.create","params":{"body":"${secret}"\n`,
      );
      await raw.next();
      await raw.write(
        `{"jsonrpc":"1.0","id":"${MARKER}","method":"${MARKER}","params":"${secret}"}\n`,
      );
      await raw.next();
      raw.end();

      // A line over the limit, starting with the marker: logged (as a warning) without content.
      const big = await RawConnection.open(paths.socket);
      try {
        await big.write(`{"params":"${secret}${"x".repeat(MAX_LINE_BYTES)}`);
      } catch {
        // the daemon may close before it has taken every byte
      }
      expect((await big.next()).error.data.kind).toBe("line_too_long");
      await big.waitClosed();
    } finally {
      expect(await stop(daemon.process)).toBe(0);
    }

    const log = readFileSync(paths.log, "utf8");
    const stderr = await daemon.stderr();
    expect(log).not.toContain(MARKER);
    expect(stderr).not.toContain(MARKER);
    expect(log).not.toContain("password");
    expect(log).not.toContain('"params"');
    expect(log).not.toContain("params=");
    expect(log).not.toContain("body");
    // Every line is timestamped, and the requests above left only what we expect.
    const lines = log.trimEnd().split("\n");
    for (const line of lines) {
      expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (DEBUG|INFO |WARN |ERROR) \S/);
    }
    expect(lines.map((line) => line.replace(/^\S+ +\S+ +/, "").split(/ \w+=/)[0])).toEqual([
      "hephd ready",
      "line too long; closing connection",
      "stopping",
      "stopped",
    ]);
    expect(log).toContain("WARN  line too long; closing connection");
    // No request failed inside the daemon (an internal error would log its message and stack).
    expect(log).not.toContain("ERROR");
  });
});
