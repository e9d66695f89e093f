import { readFileSync } from "node:fs";
import type { CommandResult } from "../../src/service/command-runner.ts";

export const UID = 501;
export const LABEL = "org.hephaestus.hephd";

/**
 * A scripted launchctl: a small model of one launchd job plus a queue of forced answers.
 * It answers the way launchctl does (exit codes and words), and records every argv.
 */
export class FakeLaunchctl {
  calls: string[][] = [];
  gui = true;
  missing = false;
  loaded = false;
  pid: number | null = null;
  disabled = false;
  /** How print-disabled spells "disabled": older macOS says disabled, newer says true. */
  disabledWords: [string, string] = ["disabled", "enabled"];
  /** How many more `print <target>` calls still see the job after a bootout. */
  lingering = 0;
  lingerAfterBootout = 0;
  notLoadedAnswer: CommandResult = {
    exitCode: 3,
    stdout: "",
    stderr: "Boot-out failed: 3: No such process\n",
  };
  forced: { verb: string; result: CommandResult }[] = [];
  bootstrapped: string[] = [];
  private nextPid = 4000;

  constructor(private readonly file: string) {}

  get domain() {
    return this.gui ? `gui/${UID}` : `user/${UID}`;
  }

  run = async (argv: readonly string[]): Promise<CommandResult> => {
    this.calls.push([...argv]);
    if (this.missing) return fail(127, "launchctl: Executable not found in $PATH");
    const [, verb, ...rest] = argv;
    const forced = this.forced.findIndex((f) => f.verb === verb);
    if (forced >= 0) return this.forced.splice(forced, 1)[0]?.result ?? fail(1, "");
    const target = `${this.domain}/${LABEL}`;
    const last = rest[rest.length - 1];
    switch (verb) {
      case "print":
        if (rest[0] === `gui/${UID}`) return this.gui ? ok("gui/501 = {\n}\n") : noDomain();
        if (rest[0] === `user/${UID}`) return ok("user/501 = {\n}\n");
        if (rest[0] !== target) return fail(113, `Could not find service "${LABEL}" in domain`);
        if (this.lingering > 0) {
          this.lingering--;
          return ok(this.printed());
        }
        return this.loaded
          ? ok(this.printed())
          : fail(113, `Could not find service "${LABEL}" in domain for uid: ${UID}`);
      case "print-disabled": {
        const [yes, no] = this.disabledWords;
        const ours = this.disabled ? yes : no;
        return ok(`disabled services = {\n\t"com.apple.x" => ${yes}\n\t"${LABEL}" => ${ours}\n}\n`);
      }
      case "bootout":
        if (last !== target) return fail(113, "Could not find service");
        if (!this.loaded) return this.notLoadedAnswer;
        this.loaded = false;
        this.pid = null;
        this.lingering = this.lingerAfterBootout;
        return ok("");
      case "enable":
        if (last !== target) return fail(113, "Could not find service");
        this.disabled = false;
        return ok("");
      case "bootstrap":
        if (rest[0] !== this.domain || last !== this.file) return fail(5, "Input/output error");
        if (this.loaded || this.lingering > 0) return fail(5, "Bootstrap failed: 5: I/O error");
        if (this.disabled) return fail(119, "Bootstrap failed: 119: Service is disabled");
        this.bootstrapped.push(readFileSync(this.file, "utf8"));
        this.loaded = true;
        this.pid = this.nextPid++; // RunAtLoad
        return ok("");
      case "kickstart":
        if (last !== target || !this.loaded) return fail(113, "Could not find service");
        if (rest[0] === "-k" || this.pid === null) this.pid = this.nextPid++;
        return ok("");
      default:
        return fail(64, `Unrecognized subcommand: ${verb}`);
    }
  };

  /** Shaped like `launchctl print`, with a nested block whose own `state` must be ignored. */
  private printed() {
    const running = this.pid !== null;
    return [
      `${this.domain}/${LABEL} = {`,
      "\tactive count = 1",
      `\tpath = ${this.file}`,
      `\tstate = ${running ? "running" : "not running"}`,
      "",
      "\tjetsam coalition = {",
      "\t\tID = 77",
      "\t\tstate = active",
      "\t\tpid = 1",
      "\t}",
      ...(running ? [`\tpid = ${this.pid}`] : []),
      "\tlast exit code = (never exited)",
      "}",
      "",
    ].join("\n");
  }

  verbs() {
    return this.calls.map((argv) => argv.slice(1).join(" "));
  }
}

export function ok(stdout: string): CommandResult {
  return { exitCode: 0, stdout, stderr: "" };
}
export function fail(exitCode: number, stderr: string): CommandResult {
  return { exitCode, stdout: "", stderr };
}
export function noDomain() {
  return fail(113, "Could not find domain for port identifier: 0x0");
}
