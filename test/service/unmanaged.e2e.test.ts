/** No usable service manager (as in a container): the verbs still give a working daemon. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { RpcClient } from "../../src/client/client.ts";
import { ensureBinary, isolatedEnv, runHeph } from "../helpers/binary.ts";
import { tempDir } from "../helpers/tmp.ts";

const home = tempDir("heph-nosd-");
let env: Record<string, string>;
let socket: string;

beforeAll(() => {
  ensureBinary();
  // A runtime dir with no systemd in it: `systemctl --user` finds no manager to talk to.
  const runtimeDir = join(home.path, "run");
  mkdirSync(runtimeDir, { mode: 0o700 });
  env = isolatedEnv(home.path, { XDG_RUNTIME_DIR: runtimeDir });
  socket = join(runtimeDir, "heph", "hephd.sock");
});

afterAll(async () => {
  await runHeph(["daemon", "stop"], env);
  home.cleanup();
});

describe("without a service manager", () => {
  test("start says which check failed and how to fix it, then runs hephd unmanaged", async () => {
    const start = await runHeph(["daemon", "start"], env);
    expect(start.exitCode).toBe(0);
    expect(start.stderr).toContain("systemctl --user show-environment");
    expect(start.stderr).toContain("To fix:");
    expect(start.stderr).toContain("will not survive logout or a reboot");
    expect(start.stdout).toContain("running unmanaged");
    const client = new RpcClient(socket);
    const info = await client.call("daemon.info", {});
    client.close();
    expect(info.managed_by).toBeNull();
  });

  test("start again is a no-op", async () => {
    const before = await runHeph(["daemon", "status", "--json"], env);
    const again = await runHeph(["daemon", "start", "--json"], env);
    expect(again.exitCode).toBe(0);
    expect(JSON.parse(again.stdout).pid).toBe(JSON.parse(before.stdout).daemon.pid);
  });

  test("status reports it unmanaged", async () => {
    const status = await runHeph(["daemon", "status", "--json"], env);
    expect(status.exitCode).toBe(0);
    const report = JSON.parse(status.stdout);
    expect(report).toMatchObject({
      running: true,
      managed_by: "unmanaged",
      manager: { name: "systemd", available: false },
    });
    expect(report.service).toBeNull();
  });

  test("restart replaces it with a new unmanaged daemon", async () => {
    const before = JSON.parse((await runHeph(["daemon", "status", "--json"], env)).stdout).daemon
      .pid;
    const restart = await runHeph(["daemon", "restart", "--json"], env);
    expect(restart.exitCode).toBe(0);
    expect(JSON.parse(restart.stdout).pid).not.toBe(before);
  });

  test("stop ends it (twice is fine) and status then exits 3", async () => {
    for (let round = 0; round < 2; round++) {
      expect((await runHeph(["daemon", "stop"], env)).exitCode).toBe(0);
      expect(existsSync(socket)).toBe(false);
    }
    const status = await runHeph(["daemon", "status"], env);
    expect(status.exitCode).toBe(3);
    expect(status.stdout).toContain("hephd is not running");
  });
});
