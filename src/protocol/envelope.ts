/**
 * JSON-RPC 2.0 envelopes: the shapes on the wire, the standard error codes, our application
 * error codes, and the parsing of one decoded line into requests.
 */

export type RequestId = string | number | null;

export interface RpcRequest {
  jsonrpc: "2.0";
  id?: RequestId;
  method: string;
  params?: unknown;
}

export interface RpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

export type RpcResponse =
  | { jsonrpc: "2.0"; id: RequestId; result: unknown }
  | { jsonrpc: "2.0"; id: RequestId; error: RpcErrorObject };

/** The standard codes of JSON-RPC 2.0. */
export const ERROR_CODES = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internalError: -32603,
  /** Server-defined: the daemon is stopping and takes no new requests. */
  shuttingDown: -32000,
  /** Application errors: each has a stable `data.kind`. */
  notFound: -32001,
  conflict: -32002,
  invalidState: -32003,
  notAvailable: -32004,
  /** The daemon already serves its maximum of connections; this one is closed. */
  tooManyConnections: -32005,
  /** An id prefix matches more than one node; data.matches lists them. */
  ambiguous: -32006,
} as const;

/** Stable `data.kind` strings for errors a client may want to branch on. */
export type ErrorKind =
  | "parse_error"
  | "invalid_request"
  | "line_too_long"
  | "batch_too_large"
  | "method_not_found"
  | "invalid_params"
  | "internal"
  | "shutting_down"
  | "not_found"
  | "conflict"
  | "invalid_state"
  | "not_available"
  | "too_many_connections"
  | "ambiguous";

/** An error a handler throws on purpose; the dispatcher turns it into an error response. */
export class RpcFailure extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data: { kind: ErrorKind; [key: string]: unknown },
  ) {
    super(message);
  }

  toErrorObject(): RpcErrorObject {
    return { code: this.code, message: this.message, data: this.data };
  }
}

export function errorResponse(id: RequestId, error: RpcErrorObject): RpcResponse {
  return { jsonrpc: "2.0", id, error };
}

export function resultResponse(id: RequestId, result: unknown): RpcResponse {
  return { jsonrpc: "2.0", id, result };
}

export type ParsedMessage =
  | { type: "single"; entry: ParsedEntry }
  | { type: "batch"; entries: ParsedEntry[] }
  | { type: "error"; response: RpcResponse };

export type ParsedEntry =
  | { ok: true; request: RpcRequest; isNotification: boolean }
  | { ok: false; response: RpcResponse };

/** The largest batch we serve; a larger one gets one error and nothing in it runs. */
export const MAX_BATCH_SIZE = 10_000;

function isValidId(id: unknown): id is RequestId {
  return id === null || typeof id === "string" || (typeof id === "number" && Number.isFinite(id));
}

/** Validates one element of a message. A missing `"jsonrpc"` is accepted (heph.nvim omits it). */
export function parseEntry(value: unknown): ParsedEntry {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return invalid(null, "A request must be a JSON object with a string `method`.");
  }
  const record = value as Record<string, unknown>;
  const hasId = Object.hasOwn(record, "id");
  const id = hasId && isValidId(record.id) ? record.id : null;
  if (hasId && !isValidId(record.id)) {
    return invalid(null, "`id` must be a string, a number or null.");
  }
  if (Object.hasOwn(record, "jsonrpc") && record.jsonrpc !== "2.0") {
    return invalid(id, '`jsonrpc` must be "2.0" when present.');
  }
  if (typeof record.method !== "string" || record.method === "") {
    return invalid(id, '`method` must be a non-empty string, such as "daemon.info".');
  }
  const request: RpcRequest = { jsonrpc: "2.0", method: record.method };
  if (hasId) request.id = id;
  if (Object.hasOwn(record, "params")) request.params = record.params;
  return { ok: true, request, isNotification: !hasId };
}

function invalid(id: RequestId, message: string): ParsedEntry {
  return {
    ok: false,
    response: errorResponse(id, {
      code: ERROR_CODES.invalidRequest,
      message: `Invalid request: ${message}`,
      data: { kind: "invalid_request" },
    }),
  };
}

/** Parses one decoded line. `undefined` text means the bytes were not valid UTF-8. */
export function parseMessage(text: string | undefined): ParsedMessage {
  if (text === undefined) {
    return parseFailure("the line is not valid UTF-8");
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return parseFailure(error instanceof Error ? error.message : String(error));
  }
  if (!Array.isArray(value)) return { type: "single", entry: parseEntry(value) };
  if (value.length === 0) {
    return {
      type: "error",
      response: errorResponse(null, {
        code: ERROR_CODES.invalidRequest,
        message: "Invalid request: an empty batch has nothing to run.",
        data: { kind: "invalid_request" },
      }),
    };
  }
  if (value.length > MAX_BATCH_SIZE) {
    return {
      type: "error",
      response: errorResponse(null, {
        code: ERROR_CODES.invalidRequest,
        message: `Invalid request: a batch may hold at most ${MAX_BATCH_SIZE} requests; this one holds ${value.length}. Split it.`,
        data: { kind: "batch_too_large", limit: MAX_BATCH_SIZE, size: value.length },
      }),
    };
  }
  return { type: "batch", entries: value.map(parseEntry) };
}

function parseFailure(detail: string): ParsedMessage {
  return {
    type: "error",
    response: errorResponse(null, {
      code: ERROR_CODES.parseError,
      message: `Parse error: ${detail}. Each line must be one JSON-RPC request object or a batch array.`,
      data: { kind: "parse_error" },
    }),
  };
}
