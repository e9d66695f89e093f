/**
 * One error taxonomy for the whole program. Every failure that reaches a user is one of these;
 * `exitCodeOf` (src/cli/exit.ts) is the single place that maps them to exit statuses.
 */

export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  unreachable: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Base class: a failure we expected and can explain in one message. */
export class HephError extends Error {
  readonly exitCode: ExitCode = EXIT.failure;
  override name = "HephError";
}

/** The command line was wrong: unknown flag, bad value, missing argument. */
export class UsageError extends HephError {
  override readonly exitCode = EXIT.usage;
  override name = "UsageError";
}

/** No daemon answers on the socket. `reason` tells "nothing there" from "a dead daemon's socket". */
export class DaemonUnreachableError extends HephError {
  override readonly exitCode = EXIT.unreachable;
  override name = "DaemonUnreachableError";
  constructor(
    readonly socketPath: string,
    readonly reason: "missing" | "refused" | "not_a_socket" | "permission" | "other",
    detail?: string,
  ) {
    super(DaemonUnreachableError.describe(socketPath, reason, detail));
  }

  static describe(socketPath: string, reason: DaemonUnreachableError["reason"], detail?: string) {
    const fix = "Start it with `heph daemon start` (or run `hephd --mode local` in a terminal).";
    switch (reason) {
      case "missing":
        return `No heph daemon is running: nothing is listening at ${socketPath}. ${fix}`;
      case "refused":
        return `No heph daemon is running: ${socketPath} is left over from a daemon that is no longer running (connection refused). ${fix}`;
      case "not_a_socket":
        return `${socketPath} exists but is not a socket, so no heph daemon can be reached there. Check HEPH_SOCKET / --socket.`;
      case "permission":
        return `Permission denied connecting to ${socketPath}: the daemon belongs to another user, or the path is not yours.`;
      default:
        return `Could not reach the heph daemon at ${socketPath}${detail ? `: ${detail}` : ""}. ${fix}`;
    }
  }
}

/** The daemon answered with a JSON-RPC error. */
export class RpcError extends HephError {
  override name = "RpcError";
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
  get kind(): string | undefined {
    const data = this.data as { kind?: unknown } | undefined;
    return typeof data?.kind === "string" ? data.kind : undefined;
  }
}

/** The connection broke or timed out after the request was sent: it may or may not have run. */
export class TransportError extends HephError {
  override name = "TransportError";
}

/** The daemon cannot start: lock held, foreign store, bad socket path, and so on. */
export class StartupError extends HephError {
  override name = "StartupError";
}
