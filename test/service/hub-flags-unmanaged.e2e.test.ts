/**
 * Sync flags without a service manager (as in a container): the detached hephd gets them too,
 * and a bare `restart` keeps them, since they are saved outside any service file.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { ensureBinary, isolatedEnv, runHeph } from "../helpers/binary.ts";
import { tempDir } from "../helpers/tmp.ts";

const home = tempDir("heph-nosd-hub-");
let env: Record<string, string>;
let settingsFile: string;

beforeAll(() => {
  ensureBinary();
  // A runtime dir with no systemd in it: `systemctl --user` finds no manager to talk to.
  const runtimeDir = join(home.path, "run");
  mkdirSync(runtimeDir, { mode: 0o700 });
  env = isolatedEnv(home.path, { XDG_RUNTIME_DIR: runtimeDir });
  settingsFile = join(env.XDG_CONFIG_HOME as string, "heph", "daemon.json");
});

afterAll(async () => {
  await runHeph(["daemon", "stop"], env);
  home.cleanup();
});

async function json(args: string[]) {
  const result = await runHeph([...args, "--json"], env);
  expect(result.stderr).not.toContain("[error]");
  expect(result.exitCode).toBe(0);
  return JSON.parse(result.stdout);
}

describe("sync flags with an unmanaged daemon", () => {
  test("start --mode server runs a detached hub; a bare restart keeps it a hub", async () => {
    const start = await json(["daemon", "start", "--mode", "server", "--http-addr", "127.0.0.1:0"]);
    expect(start).toMatchObject({ managed_by: "unmanaged", mode: "server" });
    expect(start.actions[0]).toBe(`wrote ${settingsFile}`);
    expect(start.http_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const restart = await json(["daemon", "restart"]);
    expect(restart.pid).not.toBe(start.pid);
    expect(await json(["health"])).toMatchObject({ pid: restart.pid, mode: "server" });
    expect(restart.http_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  test("restart --no-hub makes it a plain local daemon and forgets the flags", async () => {
    const restart = await json(["daemon", "restart", "--no-hub"]);
    expect(restart.actions[0]).toBe(`removed ${settingsFile}`);
    expect(existsSync(settingsFile)).toBe(false);
    expect(await json(["health"])).toMatchObject({
      pid: restart.pid,
      mode: "local",
      http_url: null,
    });
  });
});
