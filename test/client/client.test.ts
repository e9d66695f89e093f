/** The connect-only client against a real daemon, and against scripted peers for failure cases. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { RpcClient } from "../../src/client/client.ts";
import { DaemonUnreachableError, RpcError, TransportError } from "../../src/errors.ts";
import { startTestDaemon, type TestDaemon } from "../helpers/daemon.ts";
import { tempDir } from "../helpers/tmp.ts";

describe("against a real daemon", () => {
  let daemon: TestDaemon;
  let client: RpcClient;
  beforeAll(async () => {
    daemon = await startTestDaemon();
    client = new RpcClient(daemon.paths.socket);
  });
  afterAll(async () => {
    client.close();
    await daemon.stop();
  });

  test("calls return validated results", async () => {
    const info = await client.call("daemon.info", {});
    expect(info.pid).toBe(process.pid);
    expect(info.socket).toBe(daemon.paths.socket);
  });

  test("concurrent calls on one connection are matched by id", async () => {
    const created = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        client.call("node.create", { kind: "doc", title: `note ${i}` }),
      ),
    );
    expect(created.map((node) => node.title)).toEqual(
      Array.from({ length: 50 }, (_, i) => `note ${i}`),
    );
    expect(new Set(created.map((node) => node.id)).size).toBe(50);
  });

  test("daemon errors become RpcError with code and kind", async () => {
    const failure = await client
      .call("node.get", { id: "01JD3QZ5N6X4W8Y2T7R9M0K1AB" })
      .catch((error) => error);
    expect(failure).toBeInstanceOf(RpcError);
    expect(failure.code).toBe(-32001);
    expect(failure.kind).toBe("not_found");
  });
});

describe("when no daemon answers", () => {
  test("nothing at the path: 'missing', naming the socket and the fix, exit code 3", async () => {
    const dir = tempDir();
    const socket = join(dir.path, "hephd.sock");
    const failure = await new RpcClient(socket).call("daemon.info", {}).catch((error) => error);
    dir.cleanup();
    expect(failure).toBeInstanceOf(DaemonUnreachableError);
    expect(failure.reason).toBe("missing");
    expect(failure.exitCode).toBe(3);
    expect(failure.message).toContain(socket);
    expect(failure.message).toContain("heph daemon start");
  });

  test("a dead daemon's socket: 'refused'", async () => {
    const dir = tempDir();
    const socket = join(dir.path, "hephd.sock");
    Bun.spawnSync([
      process.execPath,
      "-e",
      `Bun.listen({ unix: ${JSON.stringify(socket)}, socket: { data() {} } }); process.kill(process.pid, "SIGKILL");`,
    ]);
    const failure = await new RpcClient(socket).call("daemon.info", {}).catch((error) => error);
    dir.cleanup();
    expect(failure).toBeInstanceOf(DaemonUnreachableError);
    expect(failure.reason).toBe("refused");
    expect(failure.message).toContain("no longer running");
  });

  test("a regular file at the path: 'not_a_socket'", async () => {
    const dir = tempDir();
    const socket = join(dir.path, "hephd.sock");
    writeFileSync(socket, "");
    const failure = await new RpcClient(socket).call("daemon.info", {}).catch((error) => error);
    dir.cleanup();
    expect(failure.reason).toBe("not_a_socket");
  });
});

/** A scripted peer: `onRequest` decides, per connection and line, what happens. */
function scriptedPeer(
  socket: string,
  onRequest: (
    line: string,
    connection: number,
    reply: (text: string) => void,
    hangUp: () => void,
  ) => void,
) {
  let connections = 0;
  const seen: Array<{ connection: number; line: string }> = [];
  const listener = Bun.listen<{ n: number; buffer: string }>({
    unix: socket,
    socket: {
      open(s) {
        s.data = { n: ++connections, buffer: "" };
      },
      data(s, chunk) {
        s.data.buffer += chunk.toString();
        let newline = s.data.buffer.indexOf("\n");
        while (newline !== -1) {
          const line = s.data.buffer.slice(0, newline);
          s.data.buffer = s.data.buffer.slice(newline + 1);
          seen.push({ connection: s.data.n, line });
          onRequest(
            line,
            s.data.n,
            (text) => s.write(`${text}\n`),
            () => s.end(),
          );
          newline = s.data.buffer.indexOf("\n");
        }
      },
    },
  });
  return { seen, stop: () => listener.stop(true) };
}

describe("dropped connections and timeouts", () => {
  const answerInfo = (line: string) =>
    JSON.stringify({
      jsonrpc: "2.0",
      id: JSON.parse(line).id,
      result: {
        version: "t",
        pid: 1,
        mode: "local",
        db: "/d",
        socket: "/s",
        log: "/l",
        binary: "/b",
        started_at: "2026-01-01T00:00:00.000Z",
        uptime_ms: 0,
        schema_version: 2,
        managed_by: null,
        time_zone: "UTC",
        today: "2026-01-01",
      },
    });

  test("a read-only call whose connection drops is retried once on a new connection", async () => {
    const dir = tempDir();
    const socket = join(dir.path, "peer.sock");
    const peer = scriptedPeer(socket, (line, connection, reply, hangUp) => {
      if (connection === 1) hangUp();
      else reply(answerInfo(line));
    });
    const client = new RpcClient(socket);
    const info = await client.call("daemon.info", {});
    client.close();
    peer.stop();
    dir.cleanup();
    expect(info.version).toBe("t");
    expect(peer.seen.map((s) => s.connection)).toEqual([1, 2]);
  });

  test("a write whose connection drops after it was sent is not repeated", async () => {
    const dir = tempDir();
    const socket = join(dir.path, "peer.sock");
    const peer = scriptedPeer(socket, (_line, _connection, _reply, hangUp) => hangUp());
    const client = new RpcClient(socket);
    const failure = await client
      .call("node.create", { kind: "doc", title: "once" })
      .catch((error) => error);
    client.close();
    peer.stop();
    dir.cleanup();
    expect(failure).toBeInstanceOf(TransportError);
    expect(failure.message).toContain("may or may not have been applied");
    expect(peer.seen).toHaveLength(1);
  });

  test("a daemon that never answers gives a timeout error", async () => {
    const dir = tempDir();
    const socket = join(dir.path, "peer.sock");
    const peer = scriptedPeer(socket, () => {});
    const client = new RpcClient(socket, { timeoutMs: 100 });
    const failure = await client.call("daemon.info", {}).catch((error) => error);
    client.close();
    peer.stop();
    dir.cleanup();
    expect(failure).toBeInstanceOf(TransportError);
    expect(failure.message).toContain("did not answer daemon.info within 100 ms");
  });

  test("a reply of the wrong shape is rejected, not trusted", async () => {
    const dir = tempDir();
    const socket = join(dir.path, "peer.sock");
    const peer = scriptedPeer(socket, (line, _connection, reply) =>
      reply(JSON.stringify({ jsonrpc: "2.0", id: JSON.parse(line).id, result: { version: 3 } })),
    );
    const client = new RpcClient(socket);
    const failure = await client.call("daemon.info", {}).catch((error) => error);
    client.close();
    peer.stop();
    dir.cleanup();
    expect(failure).toBeInstanceOf(TransportError);
    expect(failure.message).toContain("expected shape");
  });
});
