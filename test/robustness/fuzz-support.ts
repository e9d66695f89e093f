/** Shared bookkeeping for the fuzz scenarios: what was sent, what came back, what was wrong. */
import { ERROR_CODES } from "../../src/protocol/envelope.ts";
import { RawConnection, type Reply } from "../helpers/raw-socket.ts";

export interface InternalError {
  scenario: string;
  request: string;
  reply: string;
}

export interface FuzzContext {
  socket: string;
  db: string;
  /** Every -32603 seen anywhere, to report at the end. */
  internal: InternalError[];
}

/** Collects mismatches instead of stopping at the first, so one run shows every problem. */
export class Findings {
  readonly problems: string[] = [];

  constructor(
    private readonly context: FuzzContext,
    private readonly scenario: string,
  ) {}

  /** Notes every -32603 in a reply (single or batch). */
  record(request: string, reply: Reply) {
    const replies: Reply[] = Array.isArray(reply) ? reply : [reply];
    for (const one of replies) {
      if (one?.error?.code === ERROR_CODES.internalError) {
        this.context.internal.push({
          scenario: this.scenario,
          request: preview(request),
          reply: preview(JSON.stringify(one)),
        });
      }
    }
  }

  fail(request: string, why: string, reply?: Reply) {
    this.problems.push(
      `${this.scenario}: ${why}\n    request: ${preview(request)}${reply === undefined ? "" : `\n    reply:   ${preview(JSON.stringify(reply))}`}`,
    );
  }

  /** The reply is a JSON-RPC 2.0 error with one of `codes` (and `kind`, when given). */
  expectError(request: string, reply: Reply, codes: readonly number[], kind?: string): boolean {
    this.record(request, reply);
    const error = reply?.error;
    if (reply?.jsonrpc !== "2.0" || typeof error?.code !== "number") {
      this.fail(request, `expected an error with code ${codes.join(" or ")}`, reply);
      return false;
    }
    if (!codes.includes(error.code) || typeof error.message !== "string") {
      this.fail(request, `expected code ${codes.join(" or ")}, got ${error.code}`, reply);
      return false;
    }
    if (kind !== undefined && error.data?.kind !== kind) {
      this.fail(request, `expected data.kind ${kind}, got ${error.data?.kind}`, reply);
      return false;
    }
    return true;
  }

  /** The reply is an error (codes) or a batch reply whose every element is one. */
  expectErrorOrBatchOf(request: string, reply: Reply, codes: readonly number[]) {
    if (!Array.isArray(reply)) return this.expectError(request, reply, codes);
    if (reply.length === 0) this.fail(request, "an empty batch reply", reply);
    return reply.every((one) => this.expectError(request, one, codes));
  }

  expectResult(request: string, reply: Reply): boolean {
    this.record(request, reply);
    if (reply?.jsonrpc !== "2.0" || !Object.hasOwn(reply, "result")) {
      this.fail(request, "expected a result", reply);
      return false;
    }
    return true;
  }
}

export function preview(text: string, limit = 300): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}… (${text.length} chars)`;
}

/** Writes one line and waits for the one reply it must produce. */
export async function exchange(connection: RawConnection, line: string | Uint8Array) {
  await connection.write(line);
  return connection.next();
}

/** Opens a connection, runs `work`, always closes it. */
export async function withConnection<T>(
  socket: string,
  work: (connection: RawConnection) => Promise<T>,
): Promise<T> {
  const connection = await RawConnection.open(socket);
  try {
    return await work(connection);
  } finally {
    connection.end();
  }
}

/** The connection still serves: a daemon.info with a fresh id gets its own reply. */
export async function stillServes(connection: RawConnection, findings: Findings, id: string) {
  const reply = await connection.call("daemon.info", {}, id);
  if (reply?.id !== id || reply?.result?.mode !== "local")
    findings.fail("daemon.info after the abuse", "the connection no longer serves", reply);
}

/** Application error codes a handler may legitimately answer a well-formed request with. */
export const HANDLER_CODES: readonly number[] = [
  ERROR_CODES.invalidParams,
  ERROR_CODES.notFound,
  ERROR_CODES.conflict,
  ERROR_CODES.invalidState,
  ERROR_CODES.notAvailable,
  ERROR_CODES.ambiguous,
];
