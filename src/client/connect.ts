import type { Socket } from "bun";
import { DaemonUnreachableError } from "../errors.ts";

export interface SocketEvents {
  data(chunk: Uint8Array): void;
  drain(): void;
  close(error?: Error): void;
}

/** Why a connect failed, in the user's terms: nothing there, a dead daemon's socket, or other. */
async function classify(socketPath: string, error: unknown): Promise<DaemonUnreachableError> {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return new DaemonUnreachableError(socketPath, "missing");
  if (code === "EACCES" || code === "EPERM")
    return new DaemonUnreachableError(socketPath, "permission");
  if (code === "ECONNREFUSED") {
    let isSocket = true;
    try {
      // node:fs only here, on the way to an error: loading it costs every CLI run ~0.6 ms.
      const { lstatSync } = await import("node:fs");
      isSocket = lstatSync(socketPath).isSocket();
    } catch {
      return new DaemonUnreachableError(socketPath, "missing");
    }
    return new DaemonUnreachableError(socketPath, isSocket ? "refused" : "not_a_socket");
  }
  return new DaemonUnreachableError(socketPath, "other", (error as Error).message);
}

/**
 * A socket someone else owns may be another user's listener waiting for what we send: only
 * our own (or root's) is trusted. stat(2), so a symlink is judged by what it points at, which is
 * what connect() reaches.
 */
async function checkOwner(socketPath: string) {
  const uid = process.getuid?.();
  if (uid === undefined) return;
  let owner: number;
  try {
    owner = (await Bun.file(socketPath).stat()).uid;
  } catch {
    return; // missing or unreadable: connect() reports it the usual way
  }
  if (owner !== uid && owner !== 0) {
    throw new DaemonUnreachableError(
      socketPath,
      "other",
      `it belongs to uid ${owner}, not to you (uid ${uid}), and heph does not send requests to another user's socket`,
    );
  }
}

/**
 * Connects to the daemon's socket. Never starts a daemon: a client only ever connects. The
 * owner check runs beside the connect (nothing is sent before both are done), so it adds no
 * wait of its own.
 */
export async function connectSocket(
  socketPath: string,
  events: SocketEvents,
): Promise<Socket<undefined>> {
  const ownerChecked = checkOwner(socketPath).then(
    () => null,
    (error: unknown) => error,
  );
  let socket: Socket<undefined>;
  try {
    socket = await Bun.connect({
      unix: socketPath,
      socket: {
        data: (_socket, chunk) => events.data(chunk),
        drain: () => events.drain(),
        close: (_socket, error) => events.close(error),
        error: (_socket, error) => events.close(error),
      },
    });
  } catch (error) {
    throw (await ownerChecked) ?? (await classify(socketPath, error));
  }
  const refusal = await ownerChecked;
  if (refusal) {
    socket.end();
    throw refusal;
  }
  return socket;
}
