import { existsSync, mkdirSync, openSync } from "node:fs";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { tempDir } from "./tmp.ts";

const SYSTEMD_BINARIES = ["/lib/systemd/systemd", "/usr/lib/systemd/systemd"];

export interface UserManager {
  /** Environment for heph and systemctl: HOME, XDG_* inside the temp dir, no colour. */
  env: Record<string, string>;
  dir: string;
  runtimeDir: string;
  systemctl(...args: string[]): { exitCode: number; stdout: string; stderr: string };
  stop(): Promise<void>;
}

/**
 * A real systemd user manager, run as an ordinary process on temp XDG dirs. systemd only acts
 * as a manager where /run/systemd/system exists, so that is created first. If it cannot start,
 * this throws: service tests fail, they do not skip.
 */
export async function startUserManager(): Promise<UserManager> {
  const binary = SYSTEMD_BINARIES.find((path) => existsSync(path));
  if (!binary)
    throw new Error("systemd is not installed (no /lib/systemd/systemd); .ci/run installs it");
  mkdirSync("/run/systemd/system", { recursive: true });
  const dir = tempDir("heph-sd-");
  const runtimeDir = join(dir.path, "run");
  mkdirSync(runtimeDir, { mode: 0o700 });
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: join(dir.path, "home"),
    XDG_RUNTIME_DIR: runtimeDir,
    XDG_CONFIG_HOME: join(dir.path, "config"),
    XDG_DATA_HOME: join(dir.path, "data"),
    NO_COLOR: "1",
  };
  for (const key of ["HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME"])
    mkdirSync(env[key] as string, { recursive: true });
  const log = openSync(join(dir.path, "systemd.log"), "a");
  const manager: Subprocess = Bun.spawn([binary, "--user"], {
    env,
    cwd: dir.path,
    stdio: ["ignore", log, log],
  });
  const systemctl = (...args: string[]) => {
    const result = Bun.spawnSync(["systemctl", "--user", ...args], {
      env,
      stdout: "pipe",
      stderr: "pipe",
    });
    return {
      exitCode: result.exitCode,
      stdout: result.stdout.toString(),
      stderr: result.stderr.toString(),
    };
  };
  // Readiness: the manager answers on its private socket.
  const deadline = Date.now() + 30_000;
  while (systemctl("show-environment").exitCode !== 0) {
    if (manager.exitCode !== null) {
      throw new Error(
        `systemd --user exited (${manager.exitCode}); see ${join(dir.path, "systemd.log")}`,
      );
    }
    if (Date.now() > deadline) {
      manager.kill("SIGKILL");
      throw new Error("systemd --user did not answer within 30 s");
    }
    await Bun.sleep(50);
  }
  return {
    env,
    dir: dir.path,
    runtimeDir,
    systemctl,
    stop: async () => {
      manager.kill("SIGTERM");
      const stopped = await Promise.race([
        manager.exited,
        Bun.sleep(20_000).then(() => "timeout" as const),
      ]);
      if (stopped === "timeout") {
        manager.kill("SIGKILL");
        await manager.exited;
      }
      dir.cleanup();
    },
  };
}
