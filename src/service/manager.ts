import { HephError } from "../errors.ts";
import type { ServiceSpec } from "./spec.ts";

export type ManagerName = "systemd" | "launchd";

/** What the service manager says about our service, in its own words where it has them. */
export interface ServiceState {
  manager: ManagerName;
  /** The service file, installed or not. */
  file: string;
  installed: boolean;
  /** Starts at login. */
  enabled: boolean;
  /** Loaded into the manager (launchd) / known to it (systemd). */
  loaded: boolean;
  /** The manager's state word: active, inactive, failed, running, not loaded … */
  state: string;
  running: boolean;
  pid: number | null;
  /** The daemon command line written in the installed file, when there is one. */
  program: string[] | null;
}

export type Detection = { ok: true } | { ok: false; check: string; fix: string };

/** One verb's outcome: what was done, in order, for the user and for tests. */
export interface VerbOutcome {
  actions: string[];
}

/**
 * A service manager driver. Verbs are idempotent: each brings the service to its end state
 * from any state, and says what it did. Waiting for the daemon to answer is the caller's job.
 */
export interface ServiceManager {
  readonly name: ManagerName;
  readonly file: string;
  render(spec: ServiceSpec): string;
  /** Whether this manager can be used here; when not, which check failed and what to do. */
  detect(): Promise<Detection>;
  /** Install or refresh the file and start the service; restart it when the file changed under it. */
  start(spec: ServiceSpec): Promise<VerbOutcome>;
  /** Rewrite the file for `spec` and restart the service whatever its state. */
  restart(spec: ServiceSpec): Promise<VerbOutcome>;
  /** Stop now; the service stays installed and enabled. */
  stop(): Promise<VerbOutcome>;
  /** Stop and remove the service for good. */
  uninstall(): Promise<VerbOutcome>;
  inspect(): Promise<ServiceState>;
}

/** A service manager refused or failed a step; the message names the command and its answer. */
export class ServiceError extends HephError {
  override name = "ServiceError";
}
