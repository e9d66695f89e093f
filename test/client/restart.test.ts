/**
 * A connection that closes or resets at any point fails its requests at once (retried once when
 * they cannot have run) and never waits for the timeout. Each window is opened on purpose, not
 * raced: peers that reset or close at a chosen step, and a connector that holds the client
 * between its connect and its first write while the daemon is killed. Every client here has a
 * timeout of ten minutes, so a request left waiting fails the test by the test's own timeout.
 */
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import type { Socket } from "bun";
import { RpcClient } from "../../src/client/client.ts";
import { connectSocket, type SocketEvents } from "../../src/client/connect.ts";
import { DaemonUnreachableError, TransportError } from "../../src/errors.ts";
import { daemonArgs, ensureBinary, isolatedEnv, spawnDaemon } from "../helpers/binary.ts";
import { tempDir, tempPaths } from "../helpers/tmp.ts";

const NEVER = 600_000;

interface Peer {
  socket: string;
  /** How many connections were opened, and the request lines each one read. */
  connections: string[][];
  stop(): void;
}

/** A listener on a fresh path whose connection `n` (from 1) behaves as `behaviour(n)` says. */
function peer(behaviour: (n: number) => "reset" | "end" | "read-then-end" | "answer"): Peer {
  const dir = tempDir();
  const path = join(dir.path, "peer.sock");
  const connections: string[][] = [];
  const listener = Bun.listen<{ n: number; buffer: string }>({
    unix: path,
    socket: {
      open(s) {
        connections.push([]);
        s.data = { n: connections.length, buffer: "" };
        const what = behaviour(s.data.n);
        if (what === "reset") s.terminate();
        if (what === "end") s.end();
      },
      data(s, chunk) {
        s.data.buffer += chunk.toString();
        const lines = s.data.buffer.split("\n");
        s.data.buffer = lines.pop() ?? "";
        for (const line of lines) {
          connections[s.data.n - 1]?.push(line);
          if (behaviour(s.data.n) === "read-then-end") s.end();
          else {
            const { id } = JSON.parse(line);
            s.write(
              `${JSON.stringify({ jsonrpc: "2.0", id, result: { answered_by: s.data.n } })}\n`,
            );
          }
        }
      },
    },
  });
  return {
    socket: path,
    connections,
    stop: () => {
      listener.stop(true);
      dir.cleanup();
    },
  };
}

const client = (socket: string, connect?: typeof connectSocket) =>
  new RpcClient(socket, {
    timeoutMs: NEVER,
    validateReplies: false,
    ...(connect ? { connect } : {}),
  });

describe("a peer that drops the connection", () => {
  test("accepts and resets at once: a read fails at once after one retry", async () => {
    const server = peer(() => "reset");
    const rpc = client(server.socket);
    const failure = await rpc.call("daemon.info", {}).catch((error) => error);
    rpc.close();
    server.stop();
    expect(failure).toBeInstanceOf(TransportError);
    expect(failure.message).not.toContain("did not answer");
    expect(server.connections).toHaveLength(2);
  });

  test("accepts and resets at once: a write fails at once, and is not sent more than twice", async () => {
    const server = peer(() => "reset");
    const rpc = client(server.socket);
    const failure = await rpc
      .call("node.create", { kind: "doc", title: "x" })
      .catch((error) => error);
    rpc.close();
    server.stop();
    expect(failure).toBeInstanceOf(TransportError);
    expect(failure.message).not.toContain("did not answer");
    expect(server.connections.flat().length).toBeLessThanOrEqual(1);
  });

  test("accepts and ends before reading: the request is retried on a new connection", async () => {
    const server = peer((n) => (n === 1 ? "end" : "answer"));
    const rpc = client(server.socket);
    const reply = (await rpc.call("daemon.info", {})) as unknown as { answered_by: number };
    rpc.close();
    server.stop();
    expect(reply.answered_by).toBe(2);
    expect(server.connections[0]).toEqual([]);
  });

  test("accepts, reads and closes, with requests queued and in flight: all settle at once", async () => {
    const server = peer((n) => (n === 1 ? "read-then-end" : "answer"));
    const rpc = client(server.socket);
    const calls = Array.from({ length: 20 }, (_, i) =>
      i % 2 === 0
        ? rpc.call("daemon.info", {}).then(
            (reply) => ({ ok: true as const, reply }),
            (error: Error) => ({ ok: false as const, error }),
          )
        : rpc.call("node.create", { kind: "doc", title: `n${i}` }).then(
            (reply) => ({ ok: true as const, reply }),
            (error: Error) => ({ ok: false as const, error }),
          ),
    );
    const outcomes = await Promise.all(calls);
    rpc.close();
    server.stop();
    outcomes.forEach((outcome, i) => {
      if (i % 2 === 0) {
        // Reads are retried: the second connection answers them.
        expect(outcome.ok).toBe(true);
      } else if (!outcome.ok) {
        expect(outcome.error).toBeInstanceOf(TransportError);
        expect(outcome.error.message).not.toContain("did not answer");
      }
    });
    // A write that reached the first connection is never sent again.
    const firstLines = (server.connections[0] ?? []).map((line) => JSON.parse(line).params?.title);
    const laterLines = server.connections
      .slice(1)
      .flat()
      .map((line) => JSON.parse(line).params?.title);
    for (const title of firstLines) if (title) expect(laterLines).not.toContain(title);
  });
});

/** A connector that, once connected, runs `between` before handing the socket to the client. */
function holdingConnector(between: (state: { closed: Promise<void> }) => Promise<void>) {
  return async (path: string, events: SocketEvents): Promise<Socket<undefined>> => {
    let closed!: () => void;
    const closedPromise = new Promise<void>((resolve) => {
      closed = resolve;
    });
    const socket = await connectSocket(path, {
      ...events,
      close: (error) => {
        closed();
        events.close(error);
      },
    });
    await between({ closed: closedPromise });
    return socket;
  };
}

describe("the connection closes before the client holds it", () => {
  test("closed while the connect was still settling (the owner-check window): retried, answered", async () => {
    const server = peer((n) => (n === 1 ? "end" : "answer"));
    let first = true;
    const connector = holdingConnector(async ({ closed }) => {
      // The first connection's close has certainly fired before the client gets it.
      if (first) {
        first = false;
        await closed;
      }
    });
    const rpc = client(server.socket, connector);
    const reply = (await rpc.call("node.create", { kind: "doc", title: "once" })) as unknown as {
      answered_by: number;
    };
    rpc.close();
    server.stop();
    expect(reply.answered_by).toBe(2);
    expect(server.connections).toEqual([[], [expect.stringContaining('"once"')]]);
  });
});

describe("a real daemon killed between connect and first write", () => {
  async function killedBetween(replacement: boolean) {
    ensureBinary();
    const paths = tempPaths();
    const env = isolatedEnv(paths.dir);
    const argv = daemonArgs(paths);
    const first = await spawnDaemon(argv, env, paths.socket);
    let second: Awaited<ReturnType<typeof spawnDaemon>> | undefined;
    // Stopped, it cannot accept: the connection waits in its backlog, and SIGKILL resets it.
    first.process.kill("SIGSTOP");
    let held = false;
    const connector = holdingConnector(async () => {
      if (held) return;
      held = true;
      first.process.kill("SIGKILL");
      await first.process.exited;
      if (replacement) second = await spawnDaemon(argv, env, paths.socket);
    });
    const rpc = client(paths.socket, connector);
    const outcome = await rpc.call("node.create", { kind: "doc", title: "after the kill" }).then(
      (node) => ({ node, error: undefined }),
      (error: Error) => ({ node: undefined, error }),
    );
    const titles = replacement
      ? (await rpc.call("search", { query: "after the kill" })).map((hit) => hit.title)
      : [];
    rpc.close();
    if (second) {
      second.process.kill("SIGTERM");
      await second.process.exited;
    }
    paths.cleanup();
    return { ...outcome, titles };
  }

  test("with a new daemon up: the write, never delivered, is retried there and runs once", async () => {
    const { node, error, titles } = await killedBetween(true);
    expect(error).toBeUndefined();
    expect(node?.title).toBe("after the kill");
    expect(titles).toEqual(["after the kill"]);
  });

  test("with no daemon: a clear 'not running' error at once, not a timeout", async () => {
    const { error } = await killedBetween(false);
    expect(error).toBeInstanceOf(DaemonUnreachableError);
    expect((error as DaemonUnreachableError).reason).toBe("refused");
  });
});
