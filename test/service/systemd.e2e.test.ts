/**
 * `heph daemon …` from the compiled binary against a real systemd user manager: every verb,
 * repeated, in every state (not installed, running, stopped, failed, running an older binary).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { RpcClient } from "../../src/client/client.ts";
import { ensureBinary, hephBinary, runHeph } from "../helpers/binary.ts";
import { startUserManager, type UserManager } from "../helpers/systemd.ts";

let manager: UserManager;
let unitFile: string;
let socket: string;
let db: string;

beforeAll(async () => {
  ensureBinary();
  manager = await startUserManager();
  unitFile = join(manager.env.XDG_CONFIG_HOME as string, "systemd", "user", "heph.service");
  socket = join(manager.runtimeDir, "heph", "hephd.sock");
  db = join(manager.env.XDG_DATA_HOME as string, "heph", "heph.db");
});

afterAll(async () => {
  await runHeph(["daemon", "uninstall"], manager.env);
  await manager.stop();
});

const heph = (args: string[], binary = hephBinary) => runHeph(args, manager.env, binary);

async function statusJson(binary = hephBinary) {
  const result = await heph(["daemon", "status", "--json"], binary);
  return { exitCode: result.exitCode, report: JSON.parse(result.stdout), stderr: result.stderr };
}

async function daemonInfo() {
  const client = new RpcClient(socket);
  try {
    return await client.call("daemon.info", {});
  } finally {
    client.close();
  }
}

/** Waits for systemd to bring up a daemon other than `oldPid` (after a crash, say). */
async function waitForNewDaemon(oldPid: number) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const info = await daemonInfo().catch(() => null);
    if (info && info.pid !== oldPid) return info;
    if (Date.now() > deadline) throw new Error(`no new daemon after pid ${oldPid}`);
    await Bun.sleep(100);
  }
}

describe("heph daemon against a real systemd user manager", () => {
  test("not installed: status says so and exits 3; stop and uninstall are fine", async () => {
    const { exitCode, report } = await statusJson();
    expect(exitCode).toBe(3);
    expect(report).toMatchObject({ running: false, manager: { name: "systemd", available: true } });
    expect(report.service.installed).toBe(false);
    expect((await heph(["daemon", "stop"])).exitCode).toBe(0);
    expect((await heph(["daemon", "uninstall"])).exitCode).toBe(0);
  });

  test("start installs, enables and starts heph.service; the unit verifies cleanly", async () => {
    const start = await heph(["daemon", "start"]);
    expect(start.exitCode).toBe(0);
    expect(start.stdout).toContain("running as a systemd service");
    expect(existsSync(unitFile)).toBe(true);
    expect(manager.systemctl("is-enabled", "heph.service").stdout.trim()).toBe("enabled");
    expect(manager.systemctl("is-active", "heph.service").stdout.trim()).toBe("active");
    const unit = readFileSync(unitFile, "utf8");
    expect(unit).toContain(
      `ExecStart=${hephBinary} hephd --mode local --db ${db} --socket ${socket}`,
    );
    expect(unit).toContain("WantedBy=default.target");
    const verify = Bun.spawnSync(["systemd-analyze", "--user", "verify", unitFile], {
      env: manager.env,
      stdout: "pipe",
      stderr: "pipe",
    });
    expect(verify.stdout.toString() + verify.stderr.toString()).toBe("");
    expect(verify.exitCode).toBe(0);
    const info = await daemonInfo();
    expect(info.managed_by).toBe("systemd");
    expect(info.db).toBe(db);
  });

  test("start again is a no-op: same daemon, nothing rewritten", async () => {
    const before = await daemonInfo();
    const again = await heph(["daemon", "start", "--json"]);
    expect(again.exitCode).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ running: true, pid: before.pid, actions: [] });
  });

  test("status reports the service, the daemon and the paths", async () => {
    const { exitCode, report } = await statusJson();
    expect(exitCode).toBe(0);
    const info = await daemonInfo();
    expect(report).toMatchObject({
      running: true,
      managed_by: "systemd",
      service: { installed: true, enabled: true, running: true, pid: info.pid, file: unitFile },
      daemon: { pid: info.pid, version: info.version },
      paths: { db, socket },
    });
    expect(report.warnings.some((w: string) => w.includes("Lingering is off"))).toBe(true);
    const human = await heph(["daemon", "status"]);
    expect(human.stdout).toContain(`hephd is running (systemd service, pid ${info.pid})`);
  });

  test("a daemon killed with SIGKILL is restarted by systemd", async () => {
    const before = await daemonInfo();
    process.kill(before.pid, "SIGKILL");
    const after = await waitForNewDaemon(before.pid);
    expect(after.managed_by).toBe("systemd");
  });

  test("stop stops it now and leaves it installed and enabled; twice is fine", async () => {
    for (let round = 0; round < 2; round++) {
      const stop = await heph(["daemon", "stop"]);
      expect(stop.exitCode).toBe(0);
      expect(manager.systemctl("is-active", "heph.service").stdout.trim()).toBe("inactive");
      expect(manager.systemctl("is-enabled", "heph.service").stdout.trim()).toBe("enabled");
      expect(existsSync(unitFile)).toBe(true);
      expect(existsSync(socket)).toBe(false);
    }
    const { exitCode, report } = await statusJson();
    expect(exitCode).toBe(3);
    expect(report.service).toMatchObject({ installed: true, enabled: true, running: false });
    const health = await heph(["health"]);
    expect(health.exitCode).toBe(3);
  });

  test("start from stopped, then restart gives a new daemon; restart twice is fine", async () => {
    expect((await heph(["daemon", "start"])).exitCode).toBe(0);
    let previous = (await daemonInfo()).pid;
    for (let round = 0; round < 2; round++) {
      const restart = await heph(["daemon", "restart", "--json"]);
      expect(restart.exitCode).toBe(0);
      const pid = JSON.parse(restart.stdout).pid;
      expect(pid).not.toBe(previous);
      expect((await daemonInfo()).pid).toBe(pid);
      previous = pid;
    }
  });

  test("a moved binary: start rewrites the unit for it; the old CLI notices the skew; restart moves back", async () => {
    const moved = join(manager.dir, "bin-v2", "heph");
    Bun.spawnSync(["mkdir", "-p", join(manager.dir, "bin-v2")]);
    copyFileSync(hephBinary, moved);
    Bun.spawnSync(["chmod", "755", moved]);
    const before = await daemonInfo();
    const start = await heph(["daemon", "start"], moved);
    expect(start.exitCode).toBe(0);
    expect(readFileSync(unitFile, "utf8")).toContain(`ExecStart=${moved} hephd`);
    const info = await daemonInfo();
    expect(info.pid).not.toBe(before.pid);
    expect(info.binary).toBe(moved);

    // Any command from the other binary warns once, naming both and the fix.
    const health = await heph(["health"]);
    expect(health.exitCode).toBe(0);
    expect(health.stderr).toContain(moved);
    expect(health.stderr).toContain(hephBinary);
    expect(health.stderr).toContain("heph daemon restart");
    expect(health.stderr.split("heph daemon restart").length - 1).toBe(1);

    const { report } = await statusJson();
    expect(report.warnings.some((w: string) => w.includes(moved))).toBe(true);

    expect((await heph(["daemon", "restart"])).exitCode).toBe(0);
    expect(readFileSync(unitFile, "utf8")).toContain(`ExecStart=${hephBinary} hephd`);
    expect((await daemonInfo()).binary).toBe(hephBinary);
    rmSync(join(manager.dir, "bin-v2"), { recursive: true });
  });

  test("a unit pointing at a missing binary: status warns; start repairs a failed service", async () => {
    const gone = join(manager.dir, "bin-gone", "heph");
    Bun.spawnSync(["mkdir", "-p", join(manager.dir, "bin-gone")]);
    copyFileSync(hephBinary, gone);
    Bun.spawnSync(["chmod", "755", gone]);
    expect((await heph(["daemon", "start"], gone)).exitCode).toBe(0);
    const running = await daemonInfo();
    rmSync(gone);
    // The daemon dies; systemd cannot exec the missing binary, and gives up.
    process.kill(running.pid, "SIGKILL");
    const deadline = Date.now() + 30_000;
    while (manager.systemctl("is-failed", "heph.service").stdout.trim() !== "failed") {
      if (Date.now() > deadline) throw new Error("heph.service never reached the failed state");
      await Bun.sleep(100);
    }
    const { exitCode, report } = await statusJson();
    expect(exitCode).toBe(3);
    expect(report.warnings.some((w: string) => w.includes(`${gone}, which is missing`))).toBe(true);
    const start = await heph(["daemon", "start"]);
    expect(start.exitCode).toBe(0);
    expect(start.stdout).toContain("reset-failed");
    expect(manager.systemctl("is-active", "heph.service").stdout.trim()).toBe("active");
    expect((await daemonInfo()).binary).toBe(hephBinary);
  });

  test("uninstall removes the service, stops the daemon and keeps the data; twice is fine", async () => {
    const client = new RpcClient(socket);
    const node = await client.call("node.create", { kind: "doc", title: "survives uninstall" });
    client.close();
    for (let round = 0; round < 2; round++) {
      const uninstall = await heph(["daemon", "uninstall"]);
      expect(uninstall.exitCode).toBe(0);
      expect(existsSync(unitFile)).toBe(false);
      expect(manager.systemctl("is-enabled", "heph.service").exitCode).not.toBe(0);
      expect(existsSync(socket)).toBe(false);
    }
    expect(existsSync(db)).toBe(true);
    expect((await heph(["daemon", "start"])).exitCode).toBe(0);
    const again = new RpcClient(socket);
    expect((await again.call("node.get", { id: node.id })).title).toBe("survives uninstall");
    again.close();
  });
});
