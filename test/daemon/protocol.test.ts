/**
 * The protocol through a real socket, against a real daemon with a real SQLite file
 * (in this process, on temp paths): framing, envelope, errors, batches, notifications, limits.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ERROR_CODES, MAX_BATCH_SIZE } from "../../src/protocol/envelope.ts";
import { MAX_LINE_BYTES } from "../../src/protocol/framing.ts";
import { LATEST_SCHEMA_VERSION } from "../../src/store/migrations.ts";
import { startTestDaemon, type TestDaemon } from "../helpers/daemon.ts";
import { RawConnection, type Reply } from "../helpers/raw-socket.ts";

let daemon: TestDaemon;
let socket: string;

beforeAll(async () => {
  daemon = await startTestDaemon();
  socket = daemon.paths.socket;
});

afterAll(async () => {
  await daemon.stop();
});

async function withConnection<T>(work: (connection: RawConnection) => Promise<T>): Promise<T> {
  const connection = await RawConnection.open(socket);
  try {
    return await work(connection);
  } finally {
    connection.end();
  }
}

describe("requests and replies", () => {
  test("daemon.info answers with who is serving", async () => {
    const reply = await withConnection((c) => c.call("daemon.info"));
    expect(reply.jsonrpc).toBe("2.0");
    expect(reply.id).toBe(1);
    expect(reply.result).toMatchObject({
      pid: process.pid,
      mode: "local",
      db: daemon.paths.db,
      socket: daemon.paths.socket,
      log: daemon.paths.log,
      schema_version: LATEST_SCHEMA_VERSION,
    });
    expect(typeof reply.result.version).toBe("string");
    expect(reply.result.binary.length).toBeGreaterThan(0);
  });

  test('a request without "jsonrpc" (as heph.nvim sends) is served and the reply says 2.0', async () => {
    const reply = await withConnection(async (c) => {
      await c.write('{"id":7,"method":"daemon.info","params":{}}\n');
      return c.next();
    });
    expect(reply).toMatchObject({ jsonrpc: "2.0", id: 7 });
    expect(reply.result.mode).toBe("local");
  });

  test("string ids are echoed as they came", async () => {
    const reply = await withConnection((c) => c.call("daemon.info", {}, "abc-1"));
    expect(reply.id).toBe("abc-1");
  });

  test("node.create then node.get returns the same node", async () => {
    await withConnection(async (c) => {
      const created = await c.call("node.create", {
        kind: "doc",
        title: "Garden",
        body: "# Beds\n",
        tags: ["home"],
      });
      expect(created.result).toMatchObject({
        kind: "doc",
        title: "Garden",
        body: "# Beds\n",
        tags: ["home"],
        aliases: [],
      });
      const fetched = await c.call("node.get", { id: created.result.id }, 2);
      expect(fetched.result).toEqual(created.result);
    });
  });

  test("a 1 MiB body round-trips byte for byte, multi-byte characters included", async () => {
    const unit = "héllo wörld — 日本語 𝄞 ";
    const body = unit.repeat(Math.ceil((1024 * 1024) / Buffer.byteLength(unit)));
    expect(Buffer.byteLength(body)).toBeGreaterThan(1024 * 1024 - 1);
    await withConnection(async (c) => {
      const created = await c.call("node.create", { kind: "doc", title: "Big", body });
      expect(created.result.body).toBe(body);
      const fetched = await c.call("node.get", { id: created.result.id }, 2);
      expect(fetched.result.body).toBe(body);
    });
  });

  test("node.update with a stale base_updated_at is refused with the current version", async () => {
    await withConnection(async (c) => {
      const created = (await c.call("node.create", { kind: "doc", title: "Draft" })).result;
      const first = await c.call(
        "node.update",
        { id: created.id, body: "one", base_updated_at: created.updated_at },
        2,
      );
      expect(first.result.body).toBe("one");
      const stale = await c.call(
        "node.update",
        { id: created.id, body: "two", base_updated_at: created.updated_at },
        3,
      );
      expect(stale.error.code).toBe(ERROR_CODES.conflict);
      expect(stale.error.data.kind).toBe("conflict");
      expect(stale.error.data.current.body).toBe("one");
    });
  });

  test("node.delete tombstones: node.get says not_found unless include_deleted", async () => {
    await withConnection(async (c) => {
      const created = (await c.call("node.create", { kind: "doc", title: "Old" })).result;
      const deleted = await c.call("node.delete", { id: created.id }, 2);
      expect(deleted.result.deleted_at).not.toBeNull();
      const hidden = await c.call("node.get", { id: created.id }, 3);
      expect(hidden.error).toMatchObject({
        code: ERROR_CODES.notFound,
        data: { kind: "not_found" },
      });
      const shown = await c.call("node.get", { id: created.id, include_deleted: true }, 4);
      expect(shown.result.deleted_at).toBe(deleted.result.deleted_at);
    });
  });
});

describe("framing", () => {
  test("a line written in many pieces is served once it completes", async () => {
    const line = new TextEncoder().encode('{"jsonrpc":"2.0","id":11,"method":"daemon.info"}\n');
    const reply = await withConnection(async (c) => {
      for (let i = 0; i < line.length; i += 5) await c.write(line.subarray(i, i + 5));
      return c.next();
    });
    expect(reply.id).toBe(11);
  });

  test("a multi-byte character split between writes at every byte boundary arrives intact", async () => {
    for (const character of ["é", "€", "𝄞", "日"]) {
      const bytes = new TextEncoder().encode(
        `{"jsonrpc":"2.0","id":1,"method":"node.create","params":{"kind":"doc","title":"x${character}y"}}\n`,
      );
      const at = Buffer.from(bytes).indexOf(Buffer.from(character));
      for (let cut = at + 1; cut < at + Buffer.byteLength(character); cut++) {
        const reply = await withConnection(async (c) => {
          await c.write(bytes.subarray(0, cut));
          // A round trip on another connection lets the daemon read the first piece on its own.
          await withConnection((other) => other.call("daemon.info"));
          await c.write(bytes.subarray(cut));
          return c.next();
        });
        expect(reply.result.title).toBe(`x${character}y`);
      }
    }
  });

  test("many requests in one write are all answered, matched by id", async () => {
    const count = 500;
    const replies = await withConnection(async (c) => {
      let text = "";
      for (let id = 1; id <= count; id++)
        text += `${JSON.stringify({ jsonrpc: "2.0", id, method: "daemon.info" })}\n`;
      await c.write(text);
      return c.take(count);
    });
    expect(replies.map((r) => r.id).sort((a, b) => a - b)).toEqual(
      Array.from({ length: count }, (_, i) => i + 1),
    );
    expect(replies.every((r) => r.result?.mode === "local")).toBe(true);
  });

  test("CRLF line endings and blank lines are tolerated", async () => {
    const reply = await withConnection(async (c) => {
      await c.write('\n\r\n{"jsonrpc":"2.0","id":3,"method":"daemon.info"}\r\n');
      return c.next();
    });
    expect(reply.id).toBe(3);
  });
});

describe("errors", () => {
  test("malformed JSON gets -32700 and the connection stays open", async () => {
    await withConnection(async (c) => {
      await c.write('{"id":1,"method":\n');
      const error = await c.next();
      expect(error).toMatchObject({
        jsonrpc: "2.0",
        id: null,
        error: { code: -32700, data: { kind: "parse_error" } },
      });
      const after = await c.call("daemon.info", {}, 2);
      expect(after.result.mode).toBe("local");
    });
  });

  test("invalid UTF-8 gets -32700 and the connection stays open", async () => {
    await withConnection(async (c) => {
      await c.write(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d, 0x0a]));
      expect((await c.next()).error.code).toBe(-32700);
      expect((await c.call("daemon.info", {}, 2)).id).toBe(2);
    });
  });

  test("a request that is not an object, or has no method, gets -32600", async () => {
    await withConnection(async (c) => {
      await c.write('42\n{"id":5}\n{"id":6,"method":"daemon.info","jsonrpc":"1.0"}\n');
      const replies = await c.take(3);
      expect(replies.map((r) => r.error.code)).toEqual([-32600, -32600, -32600]);
      expect(replies.map((r) => r.id).sort()).toEqual([5, 6, null]);
    });
  });

  test("an unknown method gets -32601", async () => {
    const reply = await withConnection((c) => c.call("node.explode", {}));
    expect(reply.error).toMatchObject({ code: -32601, data: { kind: "method_not_found" } });
    expect(reply.error.message).toContain("node.explode");
  });

  test("invalid params get -32602 naming each problem in data.issues", async () => {
    const reply = await withConnection((c) =>
      c.call("node.create", { kind: "poem", title: "", extra: 1 }),
    );
    expect(reply.error.code).toBe(-32602);
    expect(reply.error.data.kind).toBe("invalid_params");
    const paths = reply.error.data.issues.map((issue: { path: string[] }) => issue.path.join("."));
    expect(paths).toContain("kind");
    expect(paths).toContain("title");
    expect(reply.error.message).toContain("kind");
    expect(reply.error.message).toContain("doc");
  });

  test("positional (array) params are refused with -32602", async () => {
    const reply = await withConnection((c) => c.call("node.get", ["01JD3QZ5N6X4W8Y2T7R9M0K1AB"]));
    expect(reply.error.code).toBe(-32602);
    expect(reply.error.message).toContain("named fields");
  });

  test("a node that does not exist is an application error with a stable kind", async () => {
    const reply = await withConnection((c) =>
      c.call("node.get", { id: "01JD3QZ5N6X4W8Y2T7R9M0K1AB" }),
    );
    expect(reply.error).toMatchObject({ code: -32001, data: { kind: "not_found" } });
  });
});

describe("notifications and batches", () => {
  test("a notification runs but gets no reply", async () => {
    await withConnection(async (c) => {
      const created = (await c.call("node.create", { kind: "doc", title: "Before" })).result;
      await c.send({
        jsonrpc: "2.0",
        method: "node.update",
        params: { id: created.id, title: "After" },
      });
      const fetched = await c.call("node.get", { id: created.id }, 2);
      // The next line is node.get's reply: the notification produced none.
      expect(fetched.id).toBe(2);
      expect(fetched.result.title).toBe("After");
    });
  });

  test("a batch gets one array of replies, notifications and all errors accounted for", async () => {
    await withConnection(async (c) => {
      await c.send([
        { jsonrpc: "2.0", id: 1, method: "daemon.info" },
        { jsonrpc: "2.0", method: "daemon.info" },
        { jsonrpc: "2.0", id: 2, method: "no.such" },
        { id: 3, method: "node.create", params: { kind: "doc", title: "In a batch" } },
        "junk",
      ]);
      const replies = await c.next();
      expect(Array.isArray(replies)).toBe(true);
      expect(replies).toHaveLength(4);
      const byId = new Map(replies.map((r: { id: unknown }) => [r.id, r]));
      expect((byId.get(1) as Reply).result.mode).toBe("local");
      expect((byId.get(2) as Reply).error.code).toBe(-32601);
      expect((byId.get(3) as Reply).result.title).toBe("In a batch");
      expect((byId.get(null) as Reply).error.code).toBe(-32600);
    });
  });

  test("a batch of only notifications gets nothing back", async () => {
    await withConnection(async (c) => {
      await c.send([{ method: "daemon.info" }, { method: "daemon.info" }]);
      const next = await c.call("daemon.info", {}, 9);
      expect(next.id).toBe(9);
    });
  });

  test("an empty batch gets one -32600", async () => {
    const reply = await withConnection(async (c) => {
      await c.write("[]\n");
      return c.next();
    });
    expect(reply.error.code).toBe(-32600);
  });

  test(`a batch of thousands is served; one over ${MAX_BATCH_SIZE} is refused whole`, async () => {
    await withConnection(async (c) => {
      const batch = Array.from({ length: 3000 }, (_, i) => ({
        jsonrpc: "2.0",
        id: i,
        method: "daemon.info",
      }));
      await c.send(batch);
      const replies = await c.next();
      expect(replies).toHaveLength(3000);
      const tooBig = Array.from({ length: MAX_BATCH_SIZE + 1 }, (_, i) => ({
        id: i,
        method: "node.create",
        params: { kind: "doc", title: "no" },
      }));
      await c.send(tooBig);
      const refused = await c.next();
      expect(refused.error).toMatchObject({
        code: -32600,
        data: { kind: "batch_too_large", limit: MAX_BATCH_SIZE },
      });
    });
  });
});

describe("limits and misbehaving clients", () => {
  test("a line over the maximum gets line_too_long and that connection alone is closed", async () => {
    const bystander = await RawConnection.open(socket);
    const offender = await RawConnection.open(socket);
    await offender.write(
      `{"id":1,"method":"node.create","params":{"kind":"doc","title":"x","body":"${"a".repeat(MAX_LINE_BYTES)}`,
    );
    const reply = await offender.next();
    expect(reply).toMatchObject({
      id: null,
      error: { code: -32600, data: { kind: "line_too_long", limit: MAX_LINE_BYTES } },
    });
    await offender.waitClosed();
    expect((await bystander.call("daemon.info")).result.mode).toBe("local");
    bystander.end();
  });

  test("a client that vanishes mid-line, or mid-request, harms no one", async () => {
    const halfLine = await RawConnection.open(socket);
    await halfLine.write('{"jsonrpc":"2.0","id":1,"method":"node.cre');
    halfLine.terminate();
    const gone = await RawConnection.open(socket);
    await gone.write(
      `${JSON.stringify({ id: 1, method: "node.create", params: { kind: "doc", title: "orphan" } })}\n`,
    );
    gone.terminate();
    expect((await withConnection((c) => c.call("daemon.info"))).result.pid).toBe(process.pid);
  });

  test("a client that never reads its replies does not stop the daemon serving others", async () => {
    const big = await withConnection((c) =>
      c.call("node.create", { kind: "doc", title: "big", body: "z".repeat(512 * 1024) }),
    );
    const silent = await RawConnection.open(socket);
    // 64 requests for 512 KiB each: 32 MiB of replies the client never reads.
    const request = `${JSON.stringify({ id: 1, method: "node.get", params: { id: big.result.id } })}\n`;
    void silent.write(request.repeat(64)).catch(() => {});
    for (let round = 0; round < 3; round++) {
      expect((await withConnection((c) => c.call("daemon.info"))).result.mode).toBe("local");
    }
    silent.terminate();
  });

  test("a hundred connections at once are all served", async () => {
    const connections = await Promise.all(
      Array.from({ length: 100 }, () => RawConnection.open(socket)),
    );
    const replies = await Promise.all(connections.map((c, i) => c.call("daemon.info", {}, i)));
    expect(replies.map((r) => r.id)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    for (const c of connections) c.end();
  });
});
