import { daemonArgv } from "../daemon/argv.ts";
import type { SyncFlags } from "../daemon/sync-options.ts";
import type { HephPaths } from "../paths.ts";

/** What a service file describes: the same for systemd and launchd. */
export interface ServiceSpec {
  /**
   * argv of the daemon: `<binary> hephd --mode local --db … --socket … --log …`, then the sync
   * flags it was started with (a hub token file's path, never a token).
   */
  program: string[];
  /** Environment the daemon runs with. */
  environment: Record<string, string>;
  paths: HephPaths;
}

export const SYSTEMD_UNIT_NAME = "heph.service";
export const LAUNCHD_LABEL = "org.hephaestus.hephd";

export function buildServiceSpec(
  binary: { executable: string; prefix: string[] },
  paths: HephPaths,
  manager: "systemd" | "launchd",
  env: Record<string, string | undefined> = process.env,
  sync: SyncFlags = {},
): ServiceSpec {
  const environment: Record<string, string> = { HEPH_MANAGED_BY: manager };
  // A fixed PATH, not the caller's: the file must not change (and restart the daemon) just
  // because `start` ran from a shell with another PATH. The daemon runs nothing from PATH.
  if (env.HOME) environment.HOME = env.HOME;
  environment.PATH = "/usr/local/bin:/usr/bin:/bin";
  return {
    program: [binary.executable, ...binary.prefix, ...daemonArgv(paths, sync)],
    environment,
    paths,
  };
}
