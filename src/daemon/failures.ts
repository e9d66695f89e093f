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

/**
 * An id prefix that names more than one thing. `found` is what the lookup returned (it asks for
 * 11, so more than 10 says "more than 10"); the first 10 are listed.
 */
export function ambiguous(
  ref: string,
  what: string,
  found: ReadonlyArray<{ id: string; title: string }>,
): RpcFailure {
  const matches = found.slice(0, 10).map(({ id, title }) => ({ id, title }));
  return new RpcFailure(
    ERROR_CODES.ambiguous,
    `The id prefix ${ref} matches ${found.length > 10 ? "more than 10" : found.length} ${what}: ${matches.map((m) => `${m.id} (${m.title})`).join(", ")}. Give more characters.`,
    { kind: "ambiguous", matches },
  );
}
