import { lstatSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { StartupError } from "./errors.ts";

// heph's directories on disk, created private. Apart from paths.ts, which only computes where
// things go, so a CLI run that never creates anything does not load node:fs.

/**
 * Creates the socket's directory 0700 when it is missing. An existing directory is never
 * chmod-ed; it must be ours (or root's), and writable by nobody else — not even with the sticky
 * bit, as in /tmp, where another user could bind the path first and read what clients send.
 * The socket file itself is 0600.
 */
export function ensureSocketDir(dir: string) {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
      throw new StartupError(
        `Cannot create ${dir} for the heph socket: ${(error as Error).message}`,
      );
    }
  }
  const stat = lstatSync(dir);
  if (!stat.isDirectory()) {
    throw new StartupError(`${dir} should be a directory for the heph socket, but it is not.`);
  }
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid && stat.uid !== 0) {
    throw new StartupError(
      `${dir} belongs to uid ${stat.uid}, not to you (uid ${uid}); refusing to put the heph socket there.`,
    );
  }
  if ((stat.mode & 0o022) !== 0) {
    throw new StartupError(
      `${dir} is writable by other users (mode ${(stat.mode & 0o7777).toString(8)}); refusing to put the heph socket there, where another user could take its place. Use a private directory: \`mkdir -m 700 DIR\` and --socket DIR/hephd.sock, or leave the socket in $XDG_RUNTIME_DIR.`,
    );
  }
}

export function ensureParentDir(file: string) {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
}
