import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { resolvePaths } from "../../src/paths.ts";
import { LaunchdManager } from "../../src/service/launchd.ts";
import { renderLaunchdPlist } from "../../src/service/launchd-plist.ts";
import { ServiceError } from "../../src/service/manager.ts";
import { buildServiceSpec } from "../../src/service/spec.ts";
import { tempDir } from "../helpers/tmp.ts";
import { FakeLaunchctl, fail, LABEL, noDomain, UID } from "./fake-launchctl.ts";

let home: ReturnType<typeof tempDir>;
let file: string;
let fake: FakeLaunchctl;
let sleeps: number[];
let manager: LaunchdManager;

function spec(executable = "/opt/heph/bin/heph") {
  const env = { HOME: home.path, PATH: "/usr/bin:/bin", XDG_DATA_HOME: join(home.path, "da ta") };
  const paths = resolvePaths({}, { env, home: home.path, cwd: "/" });
  return buildServiceSpec({ executable, prefix: [] }, paths, "launchd", env);
}

const T = `gui/${UID}/${LABEL}`;
/** bootout, wait (one print when it is gone at once), enable, bootstrap. */
const reload = () => [`bootout ${T}`, `print ${T}`, `enable ${T}`, `bootstrap gui/${UID} ${file}`];
const bootstraps = () => fake.verbs().filter((v) => v.startsWith("bootstrap"));

beforeEach(() => {
  home = tempDir();
  file = join(home.path, "Library", "LaunchAgents", `${LABEL}.plist`);
  fake = new FakeLaunchctl(file);
  sleeps = [];
  manager = new LaunchdManager({
    home: home.path,
    uid: UID,
    run: fake.run,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
});

afterEach(() => {
  // The deprecated verbs must never be used, in any scenario.
  for (const argv of fake.calls) {
    expect(argv[0]).toBe("launchctl");
    expect(["load", "unload"]).not.toContain(argv[1]);
  }
  home.cleanup();
});

describe("detect", () => {
  test("ok when the GUI domain answers", async () => {
    expect(await manager.detect()).toEqual({ ok: true });
    expect(fake.verbs()).toEqual([`print gui/${UID}`]);
  });

  test("no launchctl: says so", async () => {
    fake.missing = true;
    const result = await manager.detect();
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.check).toBe("launchctl is not on PATH");
    await expect(manager.stop()).rejects.toThrow(/exited 127/);
  });

  test("no reachable domain: quotes launchctl and suggests a way out", async () => {
    fake.gui = false;
    fake.forced.push({ verb: "print", result: noDomain() }, { verb: "print", result: noDomain() });
    const result = await manager.detect();
    expect(result).toMatchObject({ ok: false });
    if (!result.ok) {
      expect(result.check).toContain("launchctl cannot reach the user's launchd domain");
      expect(result.check).toContain("Could not find domain for port identifier");
      expect(result.fix).toContain("hephd --mode local");
    }
  });
});

describe("start", () => {
  test("fresh install: writes the plist, then bootout, enable, bootstrap", async () => {
    const outcome = await manager.start(spec());
    expect(manager.file).toBe(file);
    expect(fake.verbs()).toEqual([`print gui/${UID}`, ...reload()]);
    expect(outcome.actions).toEqual([
      `wrote ${file}`,
      `launchctl bootout ${T} (was not loaded)`,
      `launchctl enable ${T}`,
      `launchctl bootstrap gui/${UID} ${file}`,
    ]);
    expect(readFileSync(file, "utf8")).toBe(renderLaunchdPlist(spec()));
    expect(statSync(file).mode & 0o777).toBe(0o644);
    expect(existsSync(dirname(spec().paths.log))).toBe(true);
    expect(sleeps).toEqual([]);
    const state = await manager.inspect();
    expect(state).toMatchObject({ installed: true, enabled: true, loaded: true, running: true });
    expect(state.program).toEqual(spec().program);
  });

  test("already loaded from the same file: only kickstart", async () => {
    await manager.start(spec());
    const pid = fake.pid;
    fake.calls = [];
    const outcome = await manager.start(spec());
    expect(fake.verbs()).toEqual([`print ${T}`, `enable ${T}`, `kickstart ${T}`]);
    expect(outcome.actions.some((a) => a.startsWith("wrote"))).toBe(false);
    expect(fake.pid).toBe(pid); // no -k: a running daemon is left alone
    fake.pid = null;
    await manager.start(spec());
    expect(fake.pid).not.toBeNull(); // loaded but down: kickstart starts it
  });

  test("file changed while loaded: bootout, wait for unload, enable, bootstrap the new file", async () => {
    await manager.start(spec("/opt/heph-1/bin/heph"));
    fake.calls = [];
    fake.lingerAfterBootout = 2;
    const outcome = await manager.start(spec("/opt/heph-2/bin/heph"));
    expect(fake.verbs()).toEqual([
      `bootout ${T}`,
      `print ${T}`,
      `print ${T}`,
      `print ${T}`,
      `enable ${T}`,
      `bootstrap gui/${UID} ${file}`,
    ]);
    expect(sleeps).toEqual([100, 100]);
    expect(outcome.actions[0]).toBe(`wrote ${file}`);
    expect(fake.bootstrapped.at(-1)).toContain("/opt/heph-2/bin/heph");
  });

  test("a job that never unloads is an error, after 50 polls", async () => {
    await manager.start(spec("/opt/a/heph"));
    fake.lingerAfterBootout = 1000;
    await expect(manager.start(spec("/opt/b/heph"))).rejects.toThrow(/did not unload/);
    expect(sleeps).toEqual(Array(50).fill(100));
    expect(bootstraps()).toHaveLength(1);
  });

  test("bootstrap exit 5 once: waits and retries, exactly two bootstraps", async () => {
    fake.forced.push({ verb: "bootstrap", result: fail(5, "Bootstrap failed: 5: I/O error") });
    await manager.start(spec());
    expect(bootstraps()).toHaveLength(2);
    expect(sleeps).toEqual([500]);
    expect(fake.loaded).toBe(true);
  });

  test("bootstrap exit 5 twice: ServiceError naming the command and exit 5", async () => {
    const io = fail(5, "Bootstrap failed: 5: Input/output error");
    fake.forced.push({ verb: "bootstrap", result: io }, { verb: "bootstrap", result: io });
    const error = await manager.start(spec()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as Error).message).toContain(`launchctl bootstrap gui/${UID} ${file}\` exited 5`);
    expect(bootstraps()).toHaveLength(2);
  });

  test("another bootstrap failure is not retried", async () => {
    fake.forced.push({ verb: "bootstrap", result: fail(2, "No such file or directory") });
    await expect(manager.start(spec())).rejects.toThrow(/exited 2/);
    expect(bootstraps()).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  test("a disabled service is enabled before bootstrap, and reported enabled after", async () => {
    fake.disabled = true;
    fake.disabledWords = ["true", "false"];
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, renderLaunchdPlist(spec()));
    expect(await manager.inspect()).toMatchObject({ installed: true, enabled: false });
    await manager.start(spec());
    const verbs = fake.verbs();
    expect(verbs.indexOf(`enable ${T}`)).toBeGreaterThan(-1);
    expect(verbs.indexOf(`enable ${T}`)).toBeLessThan(
      verbs.indexOf(`bootstrap gui/${UID} ${file}`),
    );
    expect(await manager.inspect()).toMatchObject({ enabled: true, running: true });
  });

  test.each([
    [3, "Boot-out failed: 3: No such process"],
    [113, `Could not find service "${LABEL}" in domain for uid: ${UID}`],
    [113, ""],
    [1, "Boot-out failed: not loaded"],
  ])("bootout of an unloaded job (exit %d %p) is fine", async (exitCode, stderr) => {
    fake.notLoadedAnswer = fail(exitCode, stderr);
    await manager.start(spec());
    // Recognised as "not loaded" at once: no extra `print` to double-check.
    expect(fake.verbs().slice(1, 4)).toEqual([`bootout ${T}`, `print ${T}`, `enable ${T}`]);
    expect(fake.loaded).toBe(true);
  });

  test("a bootout failure that leaves the job loaded is an error", async () => {
    await manager.start(spec("/opt/a/heph"));
    fake.forced.push({ verb: "bootout", result: fail(1, "Operation not permitted") });
    await expect(manager.start(spec("/opt/b/heph"))).rejects.toThrow(/Operation not permitted/);
  });

  test("no GUI session: every command uses user/<uid>", async () => {
    fake.gui = false;
    await manager.start(spec());
    await manager.restart(spec());
    await manager.stop();
    await manager.inspect();
    const targets = fake.calls.slice(1).map((argv) => argv.find((a) => /^(gui|user)\//.test(a)));
    expect(targets.every((t) => t?.startsWith(`user/${UID}`))).toBe(true);
    expect(fake.verbs()).toContain(`bootstrap user/${UID} ${file}`);
  });

  test("a plist left group-writable is put back to 0644", async () => {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, renderLaunchdPlist(spec()));
    chmodSync(file, 0o666);
    await manager.start(spec());
    expect(statSync(file).mode & 0o777).toBe(0o644);
  });
});

describe("restart", () => {
  test("loaded and unchanged: kickstart -k gives a new process", async () => {
    await manager.start(spec());
    const pid = fake.pid;
    fake.calls = [];
    await manager.restart(spec());
    expect(fake.verbs()).toEqual([`print ${T}`, `enable ${T}`, `kickstart -k ${T}`]);
    expect(fake.pid).not.toBe(pid);
  });

  test("changed file: bootout and bootstrap the new one", async () => {
    await manager.start(spec("/opt/old/heph"));
    fake.calls = [];
    await manager.restart(spec("/opt/new/heph"));
    expect(fake.verbs()).toEqual(reload());
    expect((await manager.inspect()).program?.[0]).toBe("/opt/new/heph");
  });
});

describe("stop and uninstall", () => {
  test("stop boots the job out and keeps the plist; twice is fine", async () => {
    await manager.start(spec());
    expect((await manager.stop()).actions).toEqual([`launchctl bootout ${T}`]);
    expect((await manager.stop()).actions).toEqual([`launchctl bootout ${T} (was not loaded)`]);
    expect(existsSync(file)).toBe(true);
    expect(await manager.inspect()).toMatchObject({
      installed: true,
      enabled: true,
      loaded: false,
      state: "not loaded",
      pid: null,
    });
  });

  test("stop with nothing installed does nothing", async () => {
    expect(await manager.stop()).toEqual({ actions: [] });
    expect(fake.verbs().some((v) => v.startsWith("bootout"))).toBe(false);
  });

  test("uninstall boots out and removes the plist; twice is fine", async () => {
    await manager.start(spec());
    const first = await manager.uninstall();
    expect(first.actions).toEqual([`launchctl bootout ${T}`, `removed ${file}`]);
    expect(existsSync(file)).toBe(false);
    expect(fake.loaded).toBe(false);
    await manager.uninstall();
    expect(await manager.inspect()).toMatchObject({
      installed: false,
      enabled: false,
      state: "not installed",
      program: null,
    });
  });
});

describe("inspect", () => {
  test("parses the top-level state and pid, not the nested block's", async () => {
    await manager.start(spec());
    fake.pid = 12345;
    expect(await manager.inspect()).toMatchObject({
      manager: "launchd",
      file,
      loaded: true,
      state: "running",
      running: true,
      pid: 12345,
    });
    fake.pid = null;
    expect(await manager.inspect()).toMatchObject({
      state: "loaded (not running)",
      running: false,
      pid: null,
    });
    fake.disabled = true; // older macOS wording: `=> disabled`
    expect((await manager.inspect()).enabled).toBe(false);
  });
});
