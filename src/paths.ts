import { StartupError } from "./errors.ts";
import { isAbsolute, join, resolveFrom } from "./posix-path.ts";

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

/**
 * $HOME, as os.homedir() reads it first; node:os (which costs a CLI run ~2 MB) only for the rare
 * process without HOME, where it asks the password database.
 */
function homeDir(): string {
  const home = process.env.HOME;
  if (home) return home;
  return (require("node:os") as typeof import("node:os")).homedir();
}

/**
 * The user's configuration directory: $XDG_CONFIG_HOME when it is absolute, else ~/.config
 * (macOS too). heph's own files go in its `heph` folder, systemd's user units in `systemd/user`.
 */
export function configHome(
  env: Record<string, string | undefined> = process.env,
  home: string = homeDir(),
): string {
  return xdgDir(env.XDG_CONFIG_HOME) ?? join(home, ".config");
}

/** Flags win, then HEPH_DB / HEPH_SOCKET, then the XDG defaults. Relative paths become absolute. */
export function resolvePaths(
  overrides: PathOverrides = {},
  context: PathEnvironment = { env: process.env, home: homeDir(), cwd: process.cwd() },
): HephPaths {
  const { env, home, cwd } = context;
  const dataHome = xdgDir(env.XDG_DATA_HOME) ?? join(home, ".local", "share");
  const dataDir = resolveFrom(cwd, dataHome, "heph");
  const runtimeDir = xdgDir(env.XDG_RUNTIME_DIR);
  const defaultSocket = runtimeDir
    ? join(runtimeDir, "heph", "hephd.sock")
    : join(dataDir, "hephd.sock");
  return {
    dataDir,
    db: resolveFrom(
      cwd,
      nonEmpty(overrides.db) ?? nonEmpty(env.HEPH_DB) ?? join(dataDir, "heph.db"),
    ),
    socket: resolveFrom(
      cwd,
      nonEmpty(overrides.socket) ?? nonEmpty(env.HEPH_SOCKET) ?? defaultSocket,
    ),
    log: resolveFrom(cwd, nonEmpty(overrides.log) ?? join(dataDir, "hephd.log")),
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
