import { homedir } from "node:os";
import { configHome } from "../paths.ts";
import { type CommandRunner, runCommand } from "./command-runner.ts";
import { LaunchdManager } from "./launchd.ts";
import type { ManagerName, ServiceManager } from "./manager.ts";
import { SystemdManager } from "./systemd.ts";

export interface ManagerContext {
  env: Record<string, string | undefined>;
  home: string;
  uid: number;
  run: CommandRunner;
}

export function defaultManagerContext(): ManagerContext {
  return { env: process.env, home: homedir(), uid: process.getuid?.() ?? 0, run: runCommand };
}

export function managerNameFor(platform: NodeJS.Platform): ManagerName | null {
  if (platform === "linux") return "systemd";
  if (platform === "darwin") return "launchd";
  return null;
}

export function createManager(name: ManagerName, context: ManagerContext): ServiceManager {
  if (name === "launchd")
    return new LaunchdManager({ home: context.home, uid: context.uid, run: context.run });
  return new SystemdManager({
    configHome: configHome(context.env, context.home),
    run: context.run,
  });
}
