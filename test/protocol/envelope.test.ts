import { describe, expect, test } from "bun:test";
import {
  ERROR_CODES,
  MAX_BATCH_SIZE,
  type ParsedEntry,
  type ParsedMessage,
  parseEntry,
  parseMessage,
  type RpcResponse,
} from "../../src/protocol/envelope.ts";

/** The error object of a response, or a test failure when it is a result. */
function errorOf(response: RpcResponse) {
  if (!("error" in response))
    throw new Error(`expected an error response: ${JSON.stringify(response)}`);
  return response.error;
}

function single(message: ParsedMessage): ParsedEntry {
  if (message.type !== "single")
    throw new Error(`expected a single message: ${JSON.stringify(message)}`);
  return message.entry;
}

function rejected(entry: ParsedEntry): RpcResponse {
  if (entry.ok) throw new Error(`expected an invalid request: ${JSON.stringify(entry)}`);
  return entry.response;
}

function topLevelError(message: ParsedMessage): RpcResponse {
  if (message.type !== "error")
    throw new Error(`expected an error message: ${JSON.stringify(message)}`);
  return message.response;
}

describe("JSON-RPC 2.0 error codes", () => {
  test("match the specification", () => {
    expect(ERROR_CODES.parseError).toBe(-32700);
    expect(ERROR_CODES.invalidRequest).toBe(-32600);
    expect(ERROR_CODES.methodNotFound).toBe(-32601);
    expect(ERROR_CODES.invalidParams).toBe(-32602);
    expect(ERROR_CODES.internalError).toBe(-32603);
  });
});

describe("parseEntry", () => {
  test("a full 2.0 request", () => {
    expect(parseEntry({ jsonrpc: "2.0", id: 7, method: "node.get", params: { id: "x" } })).toEqual({
      ok: true,
      request: { jsonrpc: "2.0", id: 7, method: "node.get", params: { id: "x" } },
      isNotification: false,
    });
  });

  test('a request without "jsonrpc" is accepted and normalised to 2.0 (heph.nvim)', () => {
    expect(parseEntry({ id: 1, method: "node.get", params: { id: "x" } })).toEqual({
      ok: true,
      request: { jsonrpc: "2.0", id: 1, method: "node.get", params: { id: "x" } },
      isNotification: false,
    });
  });

  test("params are left out when absent", () => {
    const entry = parseEntry({ id: 1, method: "daemon.info" });
    expect(entry.ok && Object.hasOwn(entry.request, "params")).toBe(false);
  });

  test("a wrong jsonrpc version is an invalid request that keeps the id", () => {
    for (const jsonrpc of ["1.0", "2", 2, null]) {
      const response = rejected(parseEntry({ jsonrpc, id: "abc", method: "daemon.info" }));
      expect(response.id).toBe("abc");
      expect(response.jsonrpc).toBe("2.0");
      expect(errorOf(response).code).toBe(-32600);
      expect(errorOf(response).data).toEqual({ kind: "invalid_request" });
    }
  });

  describe("ids", () => {
    test("string, number and null ids are accepted and echoed", () => {
      for (const id of ["req-1", "", 0, -3, 1.5, null]) {
        const entry = parseEntry({ id, method: "daemon.info" });
        expect(entry).toEqual({
          ok: true,
          request: { jsonrpc: "2.0", id, method: "daemon.info" },
          isNotification: false,
        });
      }
    });

    test("object, array and boolean ids are invalid, answered with id null", () => {
      for (const id of [{ a: 1 }, [1], true]) {
        const response = rejected(parseEntry({ id, method: "daemon.info" }));
        expect(response.id).toBeNull();
        expect(errorOf(response).code).toBe(-32600);
      }
    });

    test("non-finite number ids are invalid", () => {
      for (const id of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
        const response = rejected(parseEntry({ id, method: "daemon.info" }));
        expect(response.id).toBeNull();
        expect(errorOf(response).code).toBe(-32600);
      }
    });
  });

  describe("method", () => {
    test("a missing method is invalid and keeps the id", () => {
      const response = rejected(parseEntry({ id: 4 }));
      expect(response.id).toBe(4);
      expect(errorOf(response).code).toBe(-32600);
    });

    test("an empty or non-string method is invalid", () => {
      for (const method of ["", 1, null, ["node.get"]]) {
        expect(errorOf(rejected(parseEntry({ id: 4, method }))).code).toBe(-32600);
      }
    });
  });

  test("a request without id is a notification; an id of null is not", () => {
    const notification = parseEntry({ method: "log.append", params: { id: "x", text: "hi" } });
    expect(notification.ok).toBe(true);
    expect(notification.ok && notification.isNotification).toBe(true);
    expect(notification.ok && Object.hasOwn(notification.request, "id")).toBe(false);

    const withNullId = parseEntry({ id: null, method: "log.append" });
    expect(withNullId.ok && withNullId.isNotification).toBe(false);
  });

  test("a value that is not an object is invalid", () => {
    for (const value of [null, 1, "daemon.info", true, [{ method: "daemon.info" }]]) {
      const response = rejected(parseEntry(value));
      expect(response.id).toBeNull();
      expect(errorOf(response).code).toBe(-32600);
    }
  });
});

describe("parseMessage", () => {
  test("a single request line", () => {
    const entry = single(parseMessage('{"jsonrpc":"2.0","id":"a","method":"daemon.info"}'));
    expect(entry).toEqual({
      ok: true,
      request: { jsonrpc: "2.0", id: "a", method: "daemon.info" },
      isNotification: false,
    });
  });

  test("a single invalid request is answered as one entry, not a top-level error", () => {
    const entry = single(parseMessage('{"id":3,"method":""}'));
    expect(errorOf(rejected(entry)).code).toBe(-32600);
  });

  describe("parse errors (-32700, id null)", () => {
    for (const [name, text] of [
      ["bad JSON", '{"id":1,"method":'],
      ["trailing garbage", '{"id":1,"method":"x"} extra'],
      ["an empty line", ""],
      ["two objects on one line", '{"id":1,"method":"x"}{"id":2,"method":"y"}'],
    ] as const) {
      test(name, () => {
        const response = topLevelError(parseMessage(text));
        expect(response).toMatchObject({ jsonrpc: "2.0", id: null });
        expect(errorOf(response).code).toBe(-32700);
        expect(errorOf(response).data).toEqual({ kind: "parse_error" });
      });
    }

    test("invalid UTF-8 (undefined text)", () => {
      const response = topLevelError(parseMessage(undefined));
      expect(response.id).toBeNull();
      expect(errorOf(response).code).toBe(-32700);
      expect(errorOf(response).message).toContain("UTF-8");
    });
  });

  describe("deeply nested input (must not throw)", () => {
    test("100000 unclosed '[' return a parse error and do not throw", () => {
      const response = topLevelError(parseMessage("[".repeat(100_000)));
      expect(errorOf(response).code).toBe(-32700);
    });

    test("100000 levels of nested arrays return an error response and do not throw", () => {
      const text = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
      let message: ParsedMessage | undefined;
      expect(() => {
        message = parseMessage(text);
      }).not.toThrow();
      // Either the parser gives up (parse error) or it parses a batch of one non-object entry.
      const response =
        message?.type === "batch" && message.entries.length === 1
          ? rejected(message.entries[0] as ParsedEntry)
          : topLevelError(message as ParsedMessage);
      expect([-32700, -32600]).toContain(errorOf(response).code);
    });

    test("100000 levels of nested objects inside a request do not throw", () => {
      const params = `${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}`;
      expect(() => parseMessage(`{"id":1,"method":"x","params":${params}}`)).not.toThrow();
    });
  });

  describe("batches", () => {
    test("an empty batch is one invalid request error", () => {
      const response = topLevelError(parseMessage("[]"));
      expect(response.id).toBeNull();
      expect(errorOf(response).code).toBe(-32600);
      expect(errorOf(response).data).toEqual({ kind: "invalid_request" });
    });

    test("mixed valid and invalid entries are each parsed, in order", () => {
      const message = parseMessage(
        JSON.stringify([
          { jsonrpc: "2.0", id: 1, method: "daemon.info" },
          { id: 2 },
          1,
          { method: "log.append", params: { id: "x", text: "y" } },
          { jsonrpc: "1.0", id: "five", method: "node.get" },
          { id: { bad: true }, method: "node.get" },
        ]),
      );
      if (message.type !== "batch") throw new Error(`expected a batch: ${JSON.stringify(message)}`);
      expect(message.entries).toHaveLength(6);
      const [first, second, third, fourth, fifth, sixth] = message.entries;
      expect(first).toEqual({
        ok: true,
        request: { jsonrpc: "2.0", id: 1, method: "daemon.info" },
        isNotification: false,
      });
      expect(rejected(second as ParsedEntry).id).toBe(2);
      expect(rejected(third as ParsedEntry).id).toBeNull();
      expect(fourth?.ok && fourth.isNotification).toBe(true);
      expect(rejected(fifth as ParsedEntry).id).toBe("five");
      expect(rejected(sixth as ParsedEntry).id).toBeNull();
      for (const entry of [second, third, fifth, sixth]) {
        expect(errorOf(rejected(entry as ParsedEntry)).code).toBe(-32600);
      }
    });

    test("a batch of exactly MAX_BATCH_SIZE is served", () => {
      const batch = Array.from({ length: MAX_BATCH_SIZE }, (_, i) => ({ id: i, method: "x" }));
      const message = parseMessage(JSON.stringify(batch));
      if (message.type !== "batch") throw new Error(`expected a batch, got ${message.type}`);
      expect(message.entries).toHaveLength(MAX_BATCH_SIZE);
      expect(message.entries.every((entry) => entry.ok)).toBe(true);
    });

    test("a batch over MAX_BATCH_SIZE is one batch_too_large error and nothing runs", () => {
      const batch = Array.from({ length: MAX_BATCH_SIZE + 1 }, (_, i) => ({ id: i, method: "x" }));
      const message = parseMessage(JSON.stringify(batch));
      expect(message.type).toBe("error");
      expect("entries" in message).toBe(false);
      const response = topLevelError(message);
      expect(response.id).toBeNull();
      expect(errorOf(response).code).toBe(-32600);
      expect(errorOf(response).data).toEqual({
        kind: "batch_too_large",
        limit: MAX_BATCH_SIZE,
        size: MAX_BATCH_SIZE + 1,
      });
    });
  });
});
