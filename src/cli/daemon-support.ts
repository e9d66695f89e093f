import { type HephPaths, resolvePaths } from "../paths.ts";
import { serviceBinary } from "../service/binary.ts";
import type { Detection, ManagerName, ServiceManager } from "../service/manager.ts";
import { createManager, defaultManagerContext, managerNameFor } from "../service/select.ts";
import { buildServiceSpec, type ServiceSpec } from "../service/spec.ts";

/** Everything a `heph daemon` verb needs: paths, the manager for this OS, and the spec to install. */
export interface DaemonContext {
  paths: HephPaths;
  manager: ServiceManager | null;
  /** Whether the manager can be used here, and if not, why. */
  detection: Detection;
  spec: ServiceSpec;
}

export async function daemonContext(managerName?: ManagerName): Promise<DaemonContext> {
  const paths = resolvePaths();
  const context = defaultManagerContext();
  const name = managerName ?? managerNameFor(process.platform);
  const manager = name ? createManager(name, context) : null;
  const detection: Detection = manager
    ? await manager.detect()
    : {
        ok: false,
        check: `heph has no service manager driver for ${process.platform}`,
        fix: "run `hephd --mode local` yourself",
      };
  const spec = buildServiceSpec(serviceBinary(), paths, name ?? "systemd", context.env);
  return { paths, manager, detection, spec };
}

/** What to look at when the service does not come up. */
export function startHint(context: DaemonContext): string {
  const managerHint =
    context.manager?.name === "systemd"
      ? "`systemctl --user status heph.service` and `journalctl --user -u heph.service`"
      : context.manager?.name === "launchd"
        ? "`launchctl print gui/$(id -u)/org.hephaestus.hephd`"
        : "the process list";
  return `Look at ${context.paths.log} and ${managerHint}.`;
}

export const START_TIMEOUT_MS = 20_000;
