import { lstatSync, mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { StartupError } from "./errors.ts";

/** Where everything lives. Daemon and CLI resolve these the same way (BRIEF §3). */
export interface HephPaths {
  dataDir: string;
  db: string;
  socket: string;
  log: string;
}

export interface PathOverrides {
  db?: string | undefined;
  socket?: string | undefined;
  log?: string | undefined;
}

export interface PathEnvironment {
  env: Record<string, string | undefined>;
  home: string;
  cwd: string;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

/** The XDG base-directory spec says relative paths in these variables are invalid: ignore them. */
function xdgDir(value: string | undefined): string | undefined {
  return value && isAbsolute(value) ? value : undefined;
}

/** Flags win, then HEPH_DB / HEPH_SOCKET, then the XDG defaults. Relative paths become absolute. */
export function resolvePaths(
  overrides: PathOverrides = {},
  context: PathEnvironment = { env: process.env, home: homedir(), cwd: process.cwd() },
): HephPaths {
  const { env, home, cwd } = context;
  const dataHome = xdgDir(env.XDG_DATA_HOME) ?? join(home, ".local", "share");
  const dataDir = resolve(cwd, dataHome, "heph");
  const runtimeDir = xdgDir(env.XDG_RUNTIME_DIR);
  const defaultSocket = runtimeDir
    ? join(runtimeDir, "heph", "hephd.sock")
    : join(dataDir, "hephd.sock");
  return {
    dataDir,
    db: resolve(cwd, nonEmpty(overrides.db) ?? nonEmpty(env.HEPH_DB) ?? join(dataDir, "heph.db")),
    socket: resolve(cwd, nonEmpty(overrides.socket) ?? nonEmpty(env.HEPH_SOCKET) ?? defaultSocket),
    log: resolve(cwd, nonEmpty(overrides.log) ?? join(dataDir, "hephd.log")),
  };
}

/**
 * sun_path is 108 bytes on Linux and 104 on macOS, including the terminating NUL.
 * Binding a longer path fails with a bare EINVAL (or silently truncates), so check first.
 */
export function socketPathLimit(platform: NodeJS.Platform = process.platform): number {
  return platform === "darwin" || platform.endsWith("bsd") ? 104 : 108;
}

export function checkSocketPath(socketPath: string, platform: NodeJS.Platform = process.platform) {
  const bytes = Buffer.byteLength(socketPath);
  const limit = socketPathLimit(platform);
  if (bytes > limit - 1) {
    throw new StartupError(
      `Socket path is too long: ${socketPath} is ${bytes} bytes, and a unix socket path may be at most ${limit - 1} bytes on ${platform} (${limit} with the terminating NUL). Choose a shorter path with --socket or HEPH_SOCKET.`,
    );
  }
}

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
