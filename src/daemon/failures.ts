/** The application errors handlers raise, each with its code and stable data.kind. */
import { ERROR_CODES, RpcFailure } from "../protocol/envelope.ts";

/** A param the schema let through but the daemon cannot use (a bad date, a broken rule). */
export function invalidParam(field: string, message: string): RpcFailure {
  return new RpcFailure(ERROR_CODES.invalidParams, `Invalid params: ${field}: ${message}`, {
    kind: "invalid_params",
    issues: [{ path: [field], code: "custom", message }],
  });
}

/** The request is fine but the thing is not in a state to do it (done twice, a cycle). */
export function invalidState(message: string, extra: Record<string, unknown> = {}): RpcFailure {
  return new RpcFailure(ERROR_CODES.invalidState, message, { kind: "invalid_state", ...extra });
}

export function notFound(message: string, extra: Record<string, unknown>): RpcFailure {
  return new RpcFailure(ERROR_CODES.notFound, message, { kind: "not_found", ...extra });
}

export function conflict(message: string, extra: Record<string, unknown>): RpcFailure {
  return new RpcFailure(ERROR_CODES.conflict, message, { kind: "conflict", ...extra });
}
