import { SYNC_FLAG_NAMES, type SyncFlags } from "./sync-options.ts";

/** The sync flags as hephd reads them, in a fixed order (so a service file's text is stable). */
export function syncFlagArgv(sync: SyncFlags): string[] {
  const argv: string[] = [];
  for (const flag of SYNC_FLAG_NAMES) {
    if (flag === "mode") continue;
    const value = sync[flag];
    if (value === true) argv.push(`--${flag}`);
    else if (typeof value === "string") argv.push(`--${flag}`, value);
  }
  return argv;
}

/**
 * The daemon's arguments with every path spelled out, as services, dev runs and tests start it.
 * `sync` adds the hub, spoke or client flags (`--mode` is always written, `local` by default).
 */
export function daemonArgv(
  paths: { db: string; socket: string; log: string },
  sync: SyncFlags = {},
): string[] {
  return [
    "hephd",
    "--mode",
    sync.mode ?? "local",
    "--db",
    paths.db,
    "--socket",
    paths.socket,
    "--log",
    paths.log,
    ...syncFlagArgv(sync),
  ];
}
