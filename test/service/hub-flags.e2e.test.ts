/**
 * `heph daemon start` with hephd's sync flags, from the compiled binary against a real systemd
 * user manager: the unit carries them, a bare `start`/`restart` keeps them, `--no-hub` drops
 * them. Loopback only (port 0); the spoke syncs with nothing there, which it only logs.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseExecStart } from "../../src/service/systemd-unit.ts";
import { ensureBinary, hephBinary, runCommand, runHeph } from "../helpers/binary.ts";
import { startUserManager, type UserManager } from "../helpers/systemd.ts";

let manager: UserManager;
let unitFile: string;
let settingsFile: string;
let paths: string[];

const TOKEN = "heph_test_e2e_token_never_in_the_unit";

beforeAll(async () => {
  ensureBinary();
  manager = await startUserManager();
  const config = manager.env.XDG_CONFIG_HOME as string;
  unitFile = join(config, "systemd", "user", "heph.service");
  settingsFile = join(config, "heph", "daemon.json");
  const data = join(manager.env.XDG_DATA_HOME as string, "heph");
  paths = [
    "--db",
    join(data, "heph.db"),
    "--socket",
    join(manager.runtimeDir, "heph", "hephd.sock"),
    "--log",
    join(data, "hephd.log"),
  ];
});

afterAll(async () => {
  await runHeph(["daemon", "uninstall"], manager.env);
  await manager.stop();
});

const heph = (args: string[]) => runHeph(args, manager.env);

/** A verb with --json: exit 0 and its report, or the failure's stderr in the assertion. */
async function json(args: string[], options: { cwd?: string } = {}) {
  const result = await runCommand([hephBinary, ...args, "--json"], manager.env, options);
  expect(result.stderr).not.toContain("[error]");
  expect(result.exitCode).toBe(0);
  return JSON.parse(result.stdout);
}

const execStart = () => parseExecStart(readFileSync(unitFile, "utf8"));
const plain = () => [hephBinary, "hephd", "--mode", "local", ...paths];

describe("heph daemon start with sync flags, against a real systemd user manager", () => {
  test("--mode server --http-addr 127.0.0.1:0: the unit carries the flags and the hub listens", async () => {
    const start = await json(["daemon", "start", "--mode", "server", "--http-addr", "127.0.0.1:0"]);
    expect(start).toMatchObject({ running: true, managed_by: "systemd", mode: "server" });
    expect(start.http_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(start.actions[0]).toBe(`wrote ${settingsFile}`);
    expect(start.actions).toContain(`wrote ${unitFile}`);
    expect(execStart()).toEqual([
      hephBinary,
      "hephd",
      "--mode",
      "server",
      ...paths,
      "--http-addr",
      "127.0.0.1:0",
    ]);
    const verify = Bun.spawnSync(["systemd-analyze", "--user", "verify", unitFile], {
      env: manager.env,
      stdout: "pipe",
      stderr: "pipe",
    });
    expect(verify.stdout.toString() + verify.stderr.toString()).toBe("");
    expect(statSync(settingsFile).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(settingsFile, "utf8")).flags).toEqual({
      mode: "server",
      "http-addr": "127.0.0.1:0",
    });
    const health = await json(["health"]);
    expect(health).toMatchObject({ pid: start.pid, mode: "server", http_url: start.http_url });
    // The hub really answers there: a request without a token is refused by it.
    const hello = await fetch(`${start.http_url}/sync/hello`);
    expect(hello.status).toBe(401);
    await hello.body?.cancel();
  });

  test("a bare start is a no-op; a bare restart keeps the flags", async () => {
    const before = await json(["health"]);
    const again = await json(["daemon", "start"]);
    expect(again).toMatchObject({ pid: before.pid, mode: "server", actions: [] });
    const restart = await json(["daemon", "restart"]);
    expect(restart.pid).not.toBe(before.pid);
    expect(restart.actions).not.toContain(`wrote ${unitFile}`);
    expect(execStart()).toContain("--http-addr");
    const health = await json(["health"]);
    expect(health).toMatchObject({ pid: restart.pid, mode: "server" });
    expect(health.http_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const human = await heph(["daemon", "restart"]);
    expect(human.exitCode).toBe(0);
    expect(human.stdout).toMatch(
      /restarted \(pid \d+, .*, hub serving http:\/\/127\.0\.0\.1:\d+\)\./,
    );
  });

  test("print shows the saved flags, and given ones without saving them", async () => {
    const saved = await heph(["daemon", "print", "--manager", "systemd"]);
    expect(saved.stdout).toContain(`ExecStart=${hephBinary} hephd --mode server `);
    expect(saved.stdout).toContain(" --http-addr 127.0.0.1:0\n");
    const preview = await heph(["daemon", "print", "--manager", "launchd", "--no-hub"]);
    expect(preview.exitCode).toBe(0);
    expect(preview.stdout).toContain("<string>local</string>");
    expect(preview.stdout).not.toContain("--http-addr");
    expect(JSON.parse(readFileSync(settingsFile, "utf8")).flags.mode).toBe("server");
  });

  test("bad flags are refused before the service is touched", async () => {
    const unit = readFileSync(unitFile, "utf8");
    const pid = (await json(["health"])).pid;
    const open = await heph(["daemon", "start", "--mode", "server", "--http-addr", "0.0.0.0:0"]);
    expect(open.exitCode).toBe(2);
    expect(open.stderr).toContain("without TLS would serve tokens and data unencrypted");
    const both = await heph(["daemon", "restart", "--no-hub", "--mode", "local"]);
    expect(both.exitCode).toBe(2);
    expect(both.stderr).toContain("--no-hub goes alone");
    const mode = await heph(["daemon", "start", "--mode", "hub"]);
    expect(mode.exitCode).toBe(2);
    expect(mode.stderr).toContain("--mode must be one of local, server, client");
    expect(readFileSync(unitFile, "utf8")).toBe(unit);
    expect((await json(["health"])).pid).toBe(pid);
  });

  test("a spoke: the token file's path, made absolute from the cwd, and never the token", async () => {
    writeFileSync(join(manager.dir, "hub-token"), `${TOKEN}\n`, { mode: 0o600 });
    const start = await json(
      ["daemon", "start", "--hub-url", "http://127.0.0.1:9", "--hub-token-file", "hub-token"],
      { cwd: manager.dir },
    );
    expect(start).toMatchObject({ mode: "local", hub_url: "http://127.0.0.1:9", http_url: null });
    expect(start.actions).toContain(`wrote ${unitFile}`);
    const unit = readFileSync(unitFile, "utf8");
    expect(parseExecStart(unit)).toEqual([
      ...plain(),
      "--hub-url",
      "http://127.0.0.1:9",
      "--hub-token-file",
      join(manager.dir, "hub-token"),
    ]);
    expect(unit).not.toContain(TOKEN);
    expect(readFileSync(settingsFile, "utf8")).not.toContain(TOKEN);
  });

  test("--no-hub: a plain local daemon again, the saved flags gone; a bare restart stays local", async () => {
    const before = await json(["health"]);
    const start = await json(["daemon", "start", "--no-hub"]);
    expect(start.actions.slice(0, 2)).toEqual([`removed ${settingsFile}`, `wrote ${unitFile}`]);
    expect(start.pid).not.toBe(before.pid);
    expect(existsSync(settingsFile)).toBe(false);
    expect(execStart()).toEqual(plain());
    expect(await json(["health"])).toMatchObject({ mode: "local", hub_url: null, http_url: null });
    const restart = await json(["daemon", "restart"]);
    expect(restart).toMatchObject({ mode: "local", http_url: null });
    expect(execStart()).toEqual(plain());
    expect((await json(["daemon", "start", "--no-hub"])).actions).toEqual([]);
  });

  test("uninstall forgets the saved flags with the service", async () => {
    await json(["daemon", "start", "--mode", "server", "--http-addr", "127.0.0.1:0"]);
    expect(existsSync(settingsFile)).toBe(true);
    const uninstall = await json(["daemon", "uninstall"]);
    expect(uninstall.actions).toContain(`removed ${settingsFile}`);
    expect(existsSync(settingsFile)).toBe(false);
    expect(existsSync(unitFile)).toBe(false);
  });
});
