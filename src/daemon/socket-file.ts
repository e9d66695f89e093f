import { chmodSync, lstatSync, unlinkSync } from "node:fs";
import { dirname } from "node:path";
import { ensureSocketDir } from "../dirs.ts";
import { StartupError } from "../errors.ts";
import { checkSocketPath } from "../paths.ts";

/** Does something answer on this unix socket? ECONNREFUSED/ENOENT mean no. */
async function someoneListens(socketPath: string): Promise<boolean> {
  try {
    const socket = await Bun.connect({ unix: socketPath, socket: { data() {} } });
    socket.end();
    return true;
  } catch {
    return false;
  }
}

/**
 * Makes the socket path ready to bind: length checked, directory private, and a socket file
 * left by a crashed daemon removed. Called with the store lock held, so no daemon of this store
 * is alive; a live socket here belongs to a daemon of another store and is left alone.
 */
export async function prepareSocketPath(socketPath: string) {
  checkSocketPath(socketPath);
  ensureSocketDir(dirname(socketPath));
  let stat: ReturnType<typeof lstatSync>;
  try {
    stat = lstatSync(socketPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  if (!stat.isSocket()) {
    throw new StartupError(
      `${socketPath} exists and is not a socket; refusing to replace it. Remove it or choose another --socket.`,
    );
  }
  if (await someoneListens(socketPath)) {
    throw new StartupError(
      `Another daemon is already serving at ${socketPath} (for a different store). Stop it, or give this one another --socket.`,
    );
  }
  unlinkSync(socketPath);
}

/** Owner-only access on the socket itself, whatever the directory allows. Returns its inode. */
export function secureSocketFile(socketPath: string): number {
  chmodSync(socketPath, 0o600);
  return lstatSync(socketPath).ino;
}

/** Removes the socket on shutdown, unless another daemon has since bound a new one there. */
export function removeSocketFile(socketPath: string, inode: number) {
  try {
    if (lstatSync(socketPath).ino === inode) unlinkSync(socketPath);
  } catch {
    // already gone
  }
}
