import { accessSync, constants, existsSync } from "node:fs";
import type { HephPaths } from "../paths.ts";
import type { DaemonInfo } from "../protocol/schemas.ts";
import type { Detection, ServiceManager, ServiceState } from "./manager.ts";
import { describeSkew } from "./skew.ts";

export interface StatusReport {
  /** Does a daemon answer on the socket? */
  running: boolean;
  /** Who runs it: the service manager, "unmanaged" (started by hand or by the fallback), or null. */
  managed_by: "systemd" | "launchd" | "unmanaged" | null;
  manager: { name: string; available: boolean; problem: string | null } | null;
  service: ServiceState | null;
  daemon: DaemonInfo | null;
  cli: { version: string; binary: string };
  paths: { db: string; socket: string; log: string };
  warnings: string[];
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Puts together what the manager and the daemon say, with warnings a user should act on. */
export async function gatherStatus(input: {
  manager: ServiceManager | null;
  detection: Detection;
  paths: HephPaths;
  daemon: DaemonInfo | null;
  cli: { version: string; binary: string };
  /** The program `heph daemon start` would write now. */
  program: string[];
  /** Linux: the user's linger flag file (/var/lib/systemd/linger/<user>). */
  lingerFile: string | null;
}): Promise<StatusReport> {
  const { manager, detection, daemon } = input;
  const service = manager && detection.ok ? await manager.inspect() : null;
  const warnings: string[] = [];
  const installedProgram = service?.installed ? service.program : null;
  const installedBinary = installedProgram?.[0];
  if (installedBinary && !executable(installedBinary)) {
    warnings.push(
      `The installed service runs ${installedBinary}, which is missing or not executable. Run \`heph daemon restart\` with the binary you want it to use.`,
    );
  } else if (installedBinary && installedBinary !== input.program[0]) {
    warnings.push(
      `The installed service runs ${installedBinary}, not this heph (${input.program[0]}). \`heph daemon restart\` rewrites it for this binary.`,
    );
  }
  const skew = daemon && describeSkew(daemon, input.cli);
  if (skew) warnings.push(`Version skew: ${skew}`);
  if (
    manager?.name === "systemd" &&
    service?.installed &&
    input.lingerFile &&
    !existsSync(input.lingerFile)
  ) {
    warnings.push(
      "Lingering is off for your user, so the daemon stops when you log out of your last session. `loginctl enable-linger` keeps it running.",
    );
  }
  return {
    running: daemon !== null,
    managed_by: daemon ? (daemon.managed_by ?? "unmanaged") : null,
    manager: manager
      ? {
          name: manager.name,
          available: detection.ok,
          problem: detection.ok ? null : detection.check,
        }
      : null,
    service,
    daemon,
    cli: input.cli,
    paths: { db: input.paths.db, socket: input.paths.socket, log: input.paths.log },
    warnings,
  };
}
