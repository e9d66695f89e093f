import { chmodSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { ensureParentDir } from "../dirs.ts";
import { readFileIfExists, writeFileAtomic } from "../fs-atomic.ts";
import { type CommandResult, type CommandRunner, describeFailure } from "./command-runner.ts";
import { parseProgramArguments, renderLaunchdPlist } from "./launchd-plist.ts";
import {
  type Detection,
  ServiceError,
  type ServiceManager,
  type ServiceState,
  type VerbOutcome,
} from "./manager.ts";
import { LAUNCHD_LABEL, type ServiceSpec } from "./spec.ts";

export interface LaunchdOptions {
  home: string;
  uid: number;
  run: CommandRunner;
  sleep?: (ms: number) => Promise<void>;
}

const UNLOAD_POLL_MS = 100;
const UNLOAD_POLL_TRIES = 50;
const BOOTSTRAP_RETRY_MS = 500;
/** launchctl's "no such process" (3) and "no such service" (113): bootout of what is not loaded. */
const NOT_LOADED_EXIT_CODES = new Set([3, 113]);
const NOT_LOADED_WORDS = /No such process|Could not find service|not loaded/i;

/**
 * macOS LaunchAgent driver. Only the modern verbs (bootstrap, bootout, kickstart, enable) are
 * used: `load`/`unload` are deprecated, and report success even when they did nothing.
 */
export class LaunchdManager implements ServiceManager {
  readonly name = "launchd";
  readonly file: string;
  private readonly uid: number;
  private readonly run: CommandRunner;
  private readonly sleep: (ms: number) => Promise<void>;
  private domainProbe: Promise<{ domain: string; argv: string[]; result: CommandResult }> | null =
    null;

  constructor(options: LaunchdOptions) {
    this.file = join(options.home, "Library", "LaunchAgents", `${LAUNCHD_LABEL}.plist`);
    this.uid = options.uid;
    this.run = options.run;
    this.sleep = options.sleep ?? ((ms) => Bun.sleep(ms));
  }

  render(spec: ServiceSpec): string {
    return renderLaunchdPlist(spec);
  }

  async detect(): Promise<Detection> {
    const { argv, result } = await this.probeDomain();
    if (result.exitCode === 0) return { ok: true };
    if (result.exitCode === 127) {
      return {
        ok: false,
        check: "launchctl is not on PATH",
        fix: "run heph on macOS with /bin/launchctl reachable, or run `hephd --mode local` yourself",
      };
    }
    return {
      ok: false,
      check: `launchctl cannot reach the user's launchd domain (${describeFailure(argv, result)})`,
      fix: "log in to a desktop session, or run `hephd --mode local` yourself",
    };
  }

  async start(spec: ServiceSpec): Promise<VerbOutcome> {
    const actions: string[] = [];
    const target = await this.target(); // first: no launchctl, no file written
    const changed = this.install(spec, actions);
    if (!changed && (await this.isLoaded(target))) {
      // Already loaded from this very file: kickstart without -k starts it only if it is down.
      // A job disabled while loaded refuses kickstart; enable first clears that.
      await this.step(["launchctl", "enable", target], actions);
      await this.step(["launchctl", "kickstart", target], actions);
      return { actions };
    }
    await this.reload(actions);
    return { actions };
  }

  async restart(spec: ServiceSpec): Promise<VerbOutcome> {
    const actions: string[] = [];
    const target = await this.target();
    const changed = this.install(spec, actions);
    if (!changed && (await this.isLoaded(target))) {
      await this.step(["launchctl", "enable", target], actions);
      await this.step(["launchctl", "kickstart", "-k", target], actions);
      return { actions };
    }
    // launchd keeps the plist it read at bootstrap: a changed file needs a bootout and bootstrap.
    await this.reload(actions);
    return { actions };
  }

  async stop(): Promise<VerbOutcome> {
    const actions: string[] = [];
    const target = await this.target();
    // Without a plist there is nothing to stop, unless a job outlived its file (then end it).
    if (readFileIfExists(this.file) === undefined && !(await this.isLoaded(target))) {
      return { actions };
    }
    // The plist stays in LaunchAgents, so launchd loads and starts it again at the next login.
    await this.bootout(target, actions);
    return { actions };
  }

  async uninstall(): Promise<VerbOutcome> {
    const actions: string[] = [];
    await this.bootout(await this.target(), actions);
    if (readFileIfExists(this.file) !== undefined) {
      rmSync(this.file, { force: true });
      actions.push(`removed ${this.file}`);
    }
    return { actions };
  }

  async inspect(): Promise<ServiceState> {
    const text = readFileIfExists(this.file);
    const installed = text !== undefined;
    const domain = await this.domain();
    const target = `${domain}/${LAUNCHD_LABEL}`;
    const printed = await this.run(["launchctl", "print", target]);
    const loaded = printed.exitCode === 0;
    const fields = loaded ? topLevelFields(printed.stdout) : new Map<string, string>();
    const running = fields.get("state") === "running";
    const pid = running ? Number.parseInt(fields.get("pid") ?? "", 10) : Number.NaN;
    const disabled = await this.run(["launchctl", "print-disabled", domain]);
    return {
      manager: "launchd",
      file: this.file,
      installed,
      enabled: installed && !(disabled.exitCode === 0 && isDisabled(disabled.stdout)),
      loaded,
      state: running
        ? "running"
        : loaded
          ? "loaded (not running)"
          : installed
            ? "not loaded"
            : "not installed",
      running,
      pid: Number.isInteger(pid) && pid > 0 ? pid : null,
      program: text === undefined ? null : parseProgramArguments(text),
    };
  }

  /** Writes the plist when it differs; true when it did. */
  private install(spec: ServiceSpec, actions: string[]): boolean {
    const content = this.render(spec);
    // launchd opens the log before exec and does not create its directory.
    ensureParentDir(spec.paths.log);
    const changed = readFileIfExists(this.file) !== content;
    if (changed) {
      writeFileAtomic(this.file, content, 0o644);
      actions.push(`wrote ${this.file}`);
    }
    // launchd refuses a group- or world-writable plist, and a umask of 002 would make one.
    if ((statSync(this.file).mode & 0o777) !== 0o644) chmodSync(this.file, 0o644);
    return changed;
  }

  /** Bootout, wait for launchd to let go, clear a stale disable, bootstrap from the file. */
  private async reload(actions: string[]) {
    const domain = await this.domain();
    const target = `${domain}/${LAUNCHD_LABEL}`;
    await this.bootout(target, actions);
    await this.step(["launchctl", "enable", target], actions);
    const argv = ["launchctl", "bootstrap", domain, this.file];
    let result = await this.run(argv);
    if (result.exitCode === 5) {
      // "Input/output error" is often a bootout still finishing inside launchd: retry once.
      await this.sleep(BOOTSTRAP_RETRY_MS);
      result = await this.run(argv);
    }
    if (result.exitCode !== 0) {
      throw new ServiceError(
        `launchd did not load ${this.file}: ${describeFailure(argv, result)}. \`plutil -lint ${this.file}\` checks the file; \`launchctl print ${target}\` shows what launchd holds.`,
      );
    }
    actions.push(argv.join(" "));
  }

  /** Bootout that accepts "not loaded", then waits until launchd has really dropped the job. */
  private async bootout(target: string, actions: string[]) {
    const argv = ["launchctl", "bootout", target];
    const result = await this.run(argv);
    const said = `${result.stderr}\n${result.stdout}`;
    if (result.exitCode === 0) {
      actions.push(argv.join(" "));
    } else if (NOT_LOADED_EXIT_CODES.has(result.exitCode) || NOT_LOADED_WORDS.test(said)) {
      actions.push(`${argv.join(" ")} (was not loaded)`);
    } else if (await this.isLoaded(target)) {
      throw new ServiceError(`Could not stop ${LAUNCHD_LABEL}: ${describeFailure(argv, result)}`);
    } else {
      // An odd answer, but the job is gone, which is all we wanted.
      actions.push(`${argv.join(" ")} (was not loaded)`);
    }
    // bootout returns before launchd has finished with the job; a bootstrap now would fail.
    for (let attempt = 0; attempt < UNLOAD_POLL_TRIES; attempt++) {
      if (!(await this.isLoaded(target))) return;
      await this.sleep(UNLOAD_POLL_MS);
    }
    throw new ServiceError(
      `${LAUNCHD_LABEL} did not unload within ${(UNLOAD_POLL_TRIES * UNLOAD_POLL_MS) / 1000}s after \`${argv.join(" ")}\`; see \`launchctl print ${target}\`.`,
    );
  }

  private async step(argv: string[], actions: string[]) {
    const result = await this.run(argv);
    if (result.exitCode !== 0) throw new ServiceError(describeFailure(argv, result));
    actions.push(argv.join(" "));
  }

  private async isLoaded(target: string): Promise<boolean> {
    return (await this.run(["launchctl", "print", target])).exitCode === 0;
  }

  /**
   * gui/<uid> is where a LaunchAgent belongs; without a GUI login (ssh, a CI runner) it does
   * not exist, and user/<uid> is the domain that does. Asked once per manager.
   */
  private probeDomain() {
    this.domainProbe ??= (async () => {
      const gui = ["launchctl", "print", `gui/${this.uid}`];
      const guiResult = await this.run(gui);
      if (guiResult.exitCode === 0 || guiResult.exitCode === 127) {
        return { domain: `gui/${this.uid}`, argv: gui, result: guiResult };
      }
      const user = ["launchctl", "print", `user/${this.uid}`];
      return { domain: `user/${this.uid}`, argv: user, result: await this.run(user) };
    })();
    return this.domainProbe;
  }

  /** The domain for a verb; a missing launchctl stops the verb here rather than pass as "not loaded". */
  private async domain(): Promise<string> {
    const { domain, argv, result } = await this.probeDomain();
    if (result.exitCode === 127) throw new ServiceError(describeFailure(argv, result));
    return domain;
  }

  private async target(): Promise<string> {
    return `${await this.domain()}/${LAUNCHD_LABEL}`;
  }
}

/** `key = value` lines at the top level of `launchctl print`; nested blocks have their own `state`. */
function topLevelFields(printed: string): Map<string, string> {
  const fields = new Map<string, string>();
  let depth = 0;
  for (const raw of printed.split("\n")) {
    const line = raw.trim();
    if (line === "}") {
      depth--;
      continue;
    }
    const field = /^([^=]+?)\s*=\s*(.*)$/.exec(line);
    if (depth === 1 && field?.[1] && field[2] !== undefined && !field[2].endsWith("{")) {
      fields.set(field[1], field[2]);
    }
    if (line.endsWith("{")) depth++;
  }
  return fields;
}

/** `"label" => disabled` (older macOS) or `=> true` (newer) in `launchctl print-disabled`. */
function isDisabled(printed: string): boolean {
  const escaped = LAUNCHD_LABEL.replaceAll(".", "\\.");
  const match = new RegExp(`"${escaped}"\\s*=>\\s*(\\w+)`).exec(printed);
  return match?.[1] === "disabled" || match?.[1] === "true";
}
