import { rmSync } from "node:fs";
import { join } from "node:path";
import { ensureParentDir } from "../dirs.ts";
import { readFileIfExists, writeFileAtomic } from "../fs-atomic.ts";
import { type CommandResult, type CommandRunner, describeFailure } from "./command-runner.ts";
import {
  type Detection,
  ServiceError,
  type ServiceManager,
  type ServiceState,
  type VerbOutcome,
} from "./manager.ts";
import { type ServiceSpec, SYSTEMD_UNIT_NAME } from "./spec.ts";
import { parseExecStart, renderSystemdUnit } from "./systemd-unit.ts";

const UNIT = SYSTEMD_UNIT_NAME;

export interface SystemdOptions {
  /** $XDG_CONFIG_HOME, else ~/.config. */
  configHome: string;
  run: CommandRunner;
}

type UnitProperties = Record<string, string>;

/** The systemd user manager, driven with `systemctl --user`. */
export class SystemdManager implements ServiceManager {
  readonly name = "systemd" as const;
  readonly file: string;

  constructor(private readonly options: SystemdOptions) {
    this.file = join(options.configHome, "systemd", "user", UNIT);
  }

  render(spec: ServiceSpec): string {
    return renderSystemdUnit(spec);
  }

  private systemctl(...args: string[]): Promise<CommandResult> {
    return this.options.run(["systemctl", "--user", ...args]);
  }

  private async must(...args: string[]): Promise<CommandResult> {
    const result = await this.systemctl(...args);
    if (result.exitCode !== 0) {
      throw new ServiceError(describeFailure(["systemctl", "--user", ...args], result));
    }
    return result;
  }

  /** `--version` works without a manager; `show-environment` needs a live one. */
  async detect(): Promise<Detection> {
    const result = await this.systemctl("show-environment");
    if (result.exitCode === 0) return { ok: true };
    if (result.exitCode === 127) {
      return {
        ok: false,
        check: "systemctl is not installed (no systemd on this machine)",
        fix: "install and boot with systemd, or keep the daemon running yourself with `hephd --mode local`",
      };
    }
    return {
      ok: false,
      check: `\`systemctl --user show-environment\` failed, so no systemd user manager is reachable (${(result.stderr || result.stdout).trim() || `exit ${result.exitCode}`})`,
      fix: "log in through a session that starts `systemd --user` (ssh or a desktop login, not `su`), or check XDG_RUNTIME_DIR; in a container or WSL without systemd there is none",
    };
  }

  private async properties(): Promise<UnitProperties> {
    const result = await this.must(
      "show",
      UNIT,
      "--property=LoadState,ActiveState,SubState,MainPID,UnitFileState",
    );
    const properties: UnitProperties = {};
    for (const line of result.stdout.split("\n")) {
      const equals = line.indexOf("=");
      if (equals > 0) properties[line.slice(0, equals)] = line.slice(equals + 1);
    }
    return properties;
  }

  /** Writes the unit when it differs from what is installed; says whether it did. */
  private writeUnit(spec: ServiceSpec, actions: string[]): boolean {
    // systemd opens the log for StandardOutput=append: before hephd runs, and creates no directory.
    ensureParentDir(spec.paths.log);
    const text = this.render(spec);
    if (readFileIfExists(this.file) === text) return false;
    writeFileAtomic(this.file, text);
    actions.push(`wrote ${this.file}`);
    return true;
  }

  private async step(actions: string[], ...args: string[]) {
    await this.must(...args);
    actions.push(`systemctl --user ${args.join(" ")}`);
  }

  async start(spec: ServiceSpec): Promise<VerbOutcome> {
    const actions: string[] = [];
    const changed = this.writeUnit(spec, actions);
    if (changed) await this.step(actions, "daemon-reload");
    const before = await this.properties();
    if (before.ActiveState === "failed") await this.step(actions, "reset-failed", UNIT);
    const wasActive = before.ActiveState === "active" || before.ActiveState === "activating";
    if (before.UnitFileState !== "enabled" || !wasActive) {
      await this.step(actions, "enable", "--now", UNIT);
    }
    // enable --now does not restart a running service: a new unit needs an explicit restart.
    if (changed && wasActive) await this.step(actions, "restart", UNIT);
    return { actions };
  }

  async restart(spec: ServiceSpec): Promise<VerbOutcome> {
    const actions: string[] = [];
    this.writeUnit(spec, actions);
    await this.step(actions, "daemon-reload");
    const before = await this.properties();
    if (before.ActiveState === "failed") await this.step(actions, "reset-failed", UNIT);
    if (before.UnitFileState !== "enabled") await this.step(actions, "enable", UNIT);
    await this.step(actions, "restart", UNIT);
    return { actions };
  }

  async stop(): Promise<VerbOutcome> {
    const actions: string[] = [];
    const state = await this.properties();
    if (state.LoadState === "not-found" && readFileIfExists(this.file) === undefined)
      return { actions };
    if (state.ActiveState !== "inactive" || state.SubState !== "dead") {
      await this.step(actions, "stop", UNIT);
    }
    return { actions };
  }

  async uninstall(): Promise<VerbOutcome> {
    const actions: string[] = [];
    const installed = readFileIfExists(this.file) !== undefined;
    const state = await this.properties();
    if (installed || state.LoadState === "loaded") {
      await this.step(actions, "disable", "--now", UNIT);
    }
    if (installed) {
      rmSync(this.file, { force: true });
      actions.push(`removed ${this.file}`);
      await this.step(actions, "daemon-reload");
    }
    // Forget a failed state so the unit leaves `systemctl --user --failed` too.
    const after = await this.properties();
    if (after.ActiveState === "failed") await this.step(actions, "reset-failed", UNIT);
    return { actions };
  }

  async inspect(): Promise<ServiceState> {
    const text = readFileIfExists(this.file);
    const properties = await this.properties();
    const pid = Number(properties.MainPID ?? 0);
    const active = properties.ActiveState ?? "unknown";
    return {
      manager: "systemd",
      file: this.file,
      installed: text !== undefined,
      enabled: properties.UnitFileState === "enabled",
      loaded: properties.LoadState === "loaded",
      state: properties.SubState ? `${active} (${properties.SubState})` : active,
      running: active === "active",
      pid: pid > 0 ? pid : null,
      program: text === undefined ? null : parseExecStart(text),
    };
  }
}
