/**
 * The sync flags (hub, spoke or client) the service runs hephd with. `heph daemon start` or
 * `restart` given any of them writes them into the service file and keeps a copy in
 * `$XDG_CONFIG_HOME/heph/daemon.json`; a bare `start` or `restart` (after an upgrade, say) reads
 * that copy back, so it keeps them. The file holds flags and paths, never a token.
 */
import { rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { syncFlagArgv } from "../daemon/argv.ts";
import {
  parseSyncFlags,
  SYNC_FLAG_NAMES,
  type SyncFlags,
  type SyncSetup,
} from "../daemon/sync-options.ts";

export { SYNC_FLAG_NAMES };

import { ensureParentDir } from "../dirs.ts";
import { HephError, UsageError } from "../errors.ts";
import { readFileIfExists, writeFileAtomic } from "../fs-atomic.ts";
import { configHome } from "../paths.ts";

type SyncFlagName = (typeof SYNC_FLAG_NAMES)[number];

/** Flags naming a file: made absolute, since the service does not run in the caller's cwd. */
const FILE_FLAGS: ReadonlySet<SyncFlagName> = new Set([
  "hub-token-file",
  "hub-ca",
  "tls-cert",
  "tls-key",
]);

/** `$XDG_CONFIG_HOME/heph/daemon.json`, else `~/.config/heph/daemon.json` (macOS too). */
export function daemonSettingsFile(env: Record<string, string | undefined>, home: string): string {
  return join(configHome(env, home), "heph", "daemon.json");
}

/**
 * The sync flags on a command line, file paths made absolute against `cwd`; null when none was
 * given. `args` is a command's bound args: a flag not given is undefined.
 */
export function givenSyncFlags(args: Record<string, unknown>, cwd: string): SyncFlags | null {
  let given = false;
  const flags: SyncFlags = {};
  for (const name of SYNC_FLAG_NAMES) {
    const value = args[name];
    if (value === undefined) continue;
    given = true;
    if (name === "insecure-http") {
      if (value === true) flags[name] = true;
      continue;
    }
    if (typeof value !== "string" || value === "")
      throw new UsageError(`Option '--${name}' needs a value that is not empty.`);
    flags[name] = FILE_FLAGS.has(name) ? resolve(cwd, value) : value;
  }
  return given ? flags : null;
}

/** A plain local daemon: nothing beyond `--mode local`. */
export function isPlainLocal(flags: SyncFlags): boolean {
  return (flags.mode ?? "local") === "local" && syncFlagArgv(flags).length === 0;
}

/**
 * Checks flags meant for the service as hephd will (parseSyncFlags: a usage error with its
 * reason), but with no HEPH_HUB_TOKEN: the service never sees the caller's environment, and
 * the token is not written into the service file, so a spoke or client needs a token file.
 */
export function checkServiceSyncFlags(flags: SyncFlags): SyncSetup {
  if (flags.mode !== "server" && flags["hub-url"] !== undefined && !flags["hub-token-file"])
    throw new UsageError(
      "The service needs this device's hub token in a file: pass --hub-token-file FILE (readable only by you). heph does not write the token into the service file, and the service does not see HEPH_HUB_TOKEN.",
    );
  return parseSyncFlags(flags, {});
}

function unreadable(file: string, why: string): HephError {
  return new HephError(
    `Cannot use the daemon flags saved in ${file}: ${why}. Give the flags again (\`heph daemon start --mode …\`), or \`heph daemon start --no-hub\` for a plain local daemon, which removes the file.`,
  );
}

/** The flags saved by the last `start` or `restart` that was given some; {} when none are. */
export function readSavedSyncFlags(file: string): SyncFlags {
  const text = readFileIfExists(file);
  if (text === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw unreadable(file, `it is not JSON (${(error as Error).message})`);
  }
  const flags = (parsed as { flags?: unknown } | null)?.flags;
  if (typeof flags !== "object" || flags === null || Array.isArray(flags))
    throw unreadable(file, 'it has no "flags" object');
  const saved: SyncFlags = {};
  for (const [name, value] of Object.entries(flags)) {
    if (!(SYNC_FLAG_NAMES as readonly string[]).includes(name))
      throw unreadable(file, `it names an unknown flag ${JSON.stringify(name)}`);
    if (name === "insecure-http" ? typeof value !== "boolean" : typeof value !== "string")
      throw unreadable(file, `the value of ${JSON.stringify(name)} has the wrong type`);
    (saved as Record<string, unknown>)[name] = value;
  }
  return saved;
}

/**
 * Saves `flags` for the next bare `start` or `restart`: the file is written when its text
 * changes and removed for a plain local daemon. Returns what was done, for the verb's actions.
 */
export function saveSyncFlags(file: string, flags: SyncFlags): string[] {
  if (isPlainLocal(flags)) return removeSavedSyncFlags(file);
  const ordered: Record<string, unknown> = {};
  for (const name of SYNC_FLAG_NAMES) if (flags[name] !== undefined) ordered[name] = flags[name];
  const text = `${JSON.stringify(
    {
      comment:
        "The hephd flags `heph daemon start` and `restart` keep when given none. `heph daemon start --no-hub` removes this file.",
      flags: ordered,
    },
    null,
    2,
  )}\n`;
  if (readFileIfExists(file) === text) return [];
  // The directory is where `heph hub token create` suggests keeping the token file: private.
  ensureParentDir(file);
  writeFileAtomic(file, text, 0o600);
  return [`wrote ${file}`];
}

/** Forgets the saved flags (uninstall): the next `start` is a plain local daemon again. */
export function removeSavedSyncFlags(file: string): string[] {
  if (readFileIfExists(file) === undefined) return [];
  rmSync(file, { force: true });
  return [`removed ${file}`];
}
