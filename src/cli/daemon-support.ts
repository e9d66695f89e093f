import type { SyncFlags } from "../daemon/sync-options.ts";
import { HephError, UsageError } from "../errors.ts";
import { type HephPaths, resolvePaths } from "../paths.ts";
import type { DaemonInfo } from "../protocol/schemas.ts";
import { serviceBinary } from "../service/binary.ts";
import type { Detection, ManagerName, ServiceManager } from "../service/manager.ts";
import { createManager, defaultManagerContext, managerNameFor } from "../service/select.ts";
import { buildServiceSpec, type ServiceSpec } from "../service/spec.ts";
import {
  checkServiceSyncFlags,
  daemonSettingsFile,
  givenSyncFlags,
  readSavedSyncFlags,
  saveSyncFlags,
} from "../service/sync-settings.ts";
import type { CompletionHint, HintedArgsDef } from "./completion/hint.ts";

/** Everything a `heph daemon` verb needs: paths, the manager for this OS, and the spec to install. */
export interface DaemonContext {
  paths: HephPaths;
  manager: ServiceManager | null;
  /** Whether the manager can be used here, and if not, why. */
  detection: Detection;
  spec: ServiceSpec;
}

/** `sync`: the hub, spoke or client flags the service runs hephd with (see daemonFlags). */
export async function daemonContext(
  managerName?: ManagerName,
  sync: SyncFlags = {},
): Promise<DaemonContext> {
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
  const spec = buildServiceSpec(serviceBinary(), paths, name ?? "systemd", context.env, sync);
  return { paths, manager, detection, spec };
}

const file = { files: true } satisfies CompletionHint;

/** hephd's sync flags, taken by `start`, `restart` and `print` and baked into the service. */
export const syncArgs = {
  mode: {
    type: "enum",
    options: ["local", "server", "client"],
    description:
      "hephd's mode: local (this device's store; a spoke with --hub-url), server (a hub), client (forwards to a hub)",
  },
  "hub-url": {
    type: "string",
    description: "The hub to sync with (a spoke) or forward to (--mode client)",
    valueHint: "url",
  },
  "hub-token-file": {
    type: "string",
    description: "The file holding this device's hub token (the file's path goes in the service)",
    valueHint: "file",
    complete: file,
  },
  "hub-ca": {
    type: "string",
    description: "A CA certificate (PEM) to trust for the hub",
    valueHint: "file",
    complete: file,
  },
  "http-addr": {
    type: "string",
    description: "--mode server: where the hub listens, HOST:PORT",
    valueHint: "host:port",
  },
  "tls-cert": {
    type: "string",
    description: "--mode server: the hub's certificate chain (PEM); with --tls-key",
    valueHint: "file",
    complete: file,
  },
  "tls-key": {
    type: "string",
    description: "--mode server: the hub's private key (PEM)",
    valueHint: "file",
    complete: file,
  },
  "oidc-issuer": {
    type: "string",
    description: "--mode server: also accept access tokens from this OIDC issuer",
    valueHint: "url",
  },
  "oidc-audience": {
    type: "string",
    description: "--mode server: the audience those tokens must name; with --oidc-issuer",
    valueHint: "audience",
  },
  "insecure-http": {
    type: "boolean",
    description: "Allow plain HTTP beyond loopback (not recommended)",
  },
  "no-hub": {
    type: "boolean",
    description:
      "A plain local daemon, without the saved sync flags (start and restart forget them)",
  },
} satisfies HintedArgsDef;

/** The sync flags a verb installs, and where they came from. */
export interface DaemonFlags {
  flags: SyncFlags;
  /** On this command line (then saved), read back from the settings file, or neither. */
  source: "given" | "saved" | "none";
  /** Where they are kept between runs: `$XDG_CONFIG_HOME/heph/daemon.json`. */
  settingsFile: string;
}

/**
 * The sync flags for the service: those given (checked, paths made absolute; `--no-hub` is
 * none at all), else the saved ones. Throws before anything is touched when they cannot work.
 * `checkSaved: false` (for `print`, which changes nothing) takes saved flags unchecked.
 */
export function daemonFlags(
  args: Record<string, unknown>,
  options: { checkSaved: boolean } = { checkSaved: true },
): DaemonFlags {
  const { env, home } = defaultManagerContext();
  const settingsFile = daemonSettingsFile(env, home);
  const given = givenSyncFlags(args, process.cwd());
  if (args["no-hub"] === true) {
    if (given)
      throw new UsageError(
        "--no-hub goes alone: it makes the service a plain local daemon, so it takes no other sync flag.",
      );
    return { flags: {}, source: "given", settingsFile };
  }
  if (given) {
    checkServiceSyncFlags(given);
    return { flags: given, source: "given", settingsFile };
  }
  const saved = readSavedSyncFlags(settingsFile);
  if (Object.keys(saved).length === 0) return { flags: {}, source: "none", settingsFile };
  if (options.checkSaved) {
    try {
      checkServiceSyncFlags(saved);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      throw new HephError(
        `The daemon flags saved in ${settingsFile} no longer work: ${error.message} Give the flags again, or \`--no-hub\` for a plain local daemon.`,
      );
    }
  }
  return { flags: saved, source: "saved", settingsFile };
}

/** Saves flags given on the command line for the next bare `start`/`restart`; the steps taken. */
export function keepDaemonFlags(chosen: DaemonFlags): string[] {
  return chosen.source === "given" ? saveSyncFlags(chosen.settingsFile, chosen.flags) : [];
}

/** ", hub at http://…" and the like for a result line; "" for a plain local daemon. */
export function describeMode(info: Pick<DaemonInfo, "mode" | "hub_url" | "http_url">): string {
  if (info.mode === "server") return `, hub serving ${info.http_url ?? "HTTP"}`;
  if (info.mode === "client") return `, client of ${info.hub_url ?? "a hub"}`;
  return info.hub_url ? `, syncing with ${info.hub_url}` : "";
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
