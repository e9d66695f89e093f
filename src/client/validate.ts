import { TransportError } from "../errors.ts";
import { type MethodName, methods } from "../protocol/methods.ts";

/** Checks a reply against the method's result schema; loaded only by clients that check. */
export function validateReply(method: MethodName, raw: unknown): unknown {
  const parsed = methods[method].result.safeParse(raw);
  if (!parsed.success) {
    throw new TransportError(
      `The daemon's reply to ${method} does not have the expected shape: ${parsed.error.message}`,
    );
  }
  return parsed.data;
}
