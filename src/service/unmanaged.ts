import { closeSync, openSync } from "node:fs";
import { ensureParentDir } from "../dirs.ts";
import type { ServiceSpec } from "./spec.ts";

/**
 * Starts hephd detached from this terminal (its own session, output appended to the log),
 * for machines with no usable service manager. Nothing restarts it and it does not survive a
 * reboot; `heph daemon stop` ends it.
 */
export function spawnUnmanaged(spec: ServiceSpec): number {
  ensureParentDir(spec.paths.log);
  const log = openSync(spec.paths.log, "a", 0o600);
  try {
    const [command, ...args] = spec.program as [string, ...string[]];
    const child = Bun.spawn([command, ...args], {
      stdio: ["ignore", log, log],
      detached: true,
      env: { ...process.env, HEPH_MANAGED_BY: "" },
    });
    child.unref();
    return child.pid;
  } finally {
    closeSync(log);
  }
}
