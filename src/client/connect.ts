import { lstatSync } from "node:fs";
import type { Socket } from "bun";
import { DaemonUnreachableError } from "../errors.ts";

export interface SocketEvents {
  data(chunk: Uint8Array): void;
  drain(): void;
  close(error?: Error): void;
}

/** Why a connect failed, in the user's terms: nothing there, a dead daemon's socket, or other. */
function classify(socketPath: string, error: unknown): DaemonUnreachableError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return new DaemonUnreachableError(socketPath, "missing");
  if (code === "EACCES" || code === "EPERM")
    return new DaemonUnreachableError(socketPath, "permission");
  if (code === "ECONNREFUSED") {
    let isSocket = true;
    try {
      isSocket = lstatSync(socketPath).isSocket();
    } catch {
      return new DaemonUnreachableError(socketPath, "missing");
    }
    return new DaemonUnreachableError(socketPath, isSocket ? "refused" : "not_a_socket");
  }
  return new DaemonUnreachableError(socketPath, "other", (error as Error).message);
}

/** Connects to the daemon's socket. Never starts a daemon: a client only ever connects. */
export async function connectSocket(
  socketPath: string,
  events: SocketEvents,
): Promise<Socket<undefined>> {
  try {
    return await Bun.connect({
      unix: socketPath,
      socket: {
        data: (_socket, chunk) => events.data(chunk),
        drain: () => events.drain(),
        close: (_socket, error) => events.close(error),
        error: (_socket, error) => events.close(error),
      },
    });
  } catch (error) {
    throw classify(socketPath, error);
  }
}
