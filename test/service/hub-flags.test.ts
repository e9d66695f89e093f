/**
 * `heph daemon start` with hephd's sync flags: the argv they make, the unit and plist that carry
 * it (read back with systemd's quoting rules and a real plist parser), the launchctl steps when
 * they change, and the settings file that keeps them for a bare `start` or `restart`.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { daemonArgv } from "../../src/daemon/argv.ts";
import type { SyncFlags } from "../../src/daemon/sync-options.ts";
import { HephError, UsageError } from "../../src/errors.ts";
import type { HephPaths } from "../../src/paths.ts";
import { LaunchdManager } from "../../src/service/launchd.ts";
import { parseProgramArguments, renderLaunchdPlist } from "../../src/service/launchd-plist.ts";
import { buildServiceSpec } from "../../src/service/spec.ts";
import {
  checkServiceSyncFlags,
  daemonSettingsFile,
  givenSyncFlags,
  isPlainLocal,
  readSavedSyncFlags,
  removeSavedSyncFlags,
  saveSyncFlags,
} from "../../src/service/sync-settings.ts";
import { parseExecStart, renderSystemdUnit } from "../../src/service/systemd-unit.ts";
import { tempDir } from "../helpers/tmp.ts";
import { FakeLaunchctl, LABEL, UID } from "./fake-launchctl.ts";

let dir: ReturnType<typeof tempDir>;
/** A token file whose content must never reach a service file. */
let tokenFile: string;
const TOKEN = "heph_test_9f8e7d6c5b4a_never_in_a_unit";

beforeEach(() => {
  // A space and a % in the directory: both need care in ExecStart.
  dir = tempDir("heph-hub flags%-");
  tokenFile = join(dir.path, "hub token");
  writeFileSync(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
});
afterEach(() => dir.cleanup());

const paths: HephPaths = {
  dataDir: "/home/ann/.local/share/heph",
  db: "/home/ann/.local/share/heph/heph.db",
  socket: "/run/user/1000/heph/hephd.sock",
  log: "/home/ann/.local/share/heph/hephd.log",
};
const pathArgs = ["--db", paths.db, "--socket", paths.socket, "--log", paths.log];
const binary = { executable: "/usr/local/bin/heph", prefix: [] };

function spec(manager: "systemd" | "launchd", sync: SyncFlags) {
  return buildServiceSpec(binary, paths, manager, { HOME: "/home/ann" }, sync);
}

/** A real plist reader, Python's plistlib, as in launchd-plist.test.ts. */
function plistlib(text: string): Record<string, unknown> {
  const child = Bun.spawnSync(
    [
      "python3",
      "-c",
      "import plistlib,sys,json; print(json.dumps(plistlib.loads(sys.stdin.buffer.read())))",
    ],
    { stdin: new TextEncoder().encode(text), stdout: "pipe", stderr: "pipe" },
  );
  if (child.exitCode !== 0) throw new Error(`plistlib rejected the plist: ${child.stderr}`);
  return JSON.parse(child.stdout.toString());
}

describe("daemonArgv with sync flags", () => {
  test("without them it is unchanged: --mode local and the three paths", () => {
    expect(daemonArgv(paths)).toEqual(["hephd", "--mode", "local", ...pathArgs]);
    expect(daemonArgv(paths, {})).toEqual(daemonArgv(paths));
  });

  test("a hub: its mode, then the flags in a fixed order whatever order they came in", () => {
    const hub: SyncFlags = {
      "insecure-http": true,
      "oidc-audience": "heph",
      "oidc-issuer": "https://id.example.com",
      "tls-key": "/etc/heph/key.pem",
      "tls-cert": "/etc/heph/cert.pem",
      "http-addr": "0.0.0.0:8443",
      mode: "server",
    };
    expect(daemonArgv(paths, hub)).toEqual([
      "hephd",
      "--mode",
      "server",
      ...pathArgs,
      "--http-addr",
      "0.0.0.0:8443",
      "--tls-cert",
      "/etc/heph/cert.pem",
      "--tls-key",
      "/etc/heph/key.pem",
      "--oidc-issuer",
      "https://id.example.com",
      "--oidc-audience",
      "heph",
      "--insecure-http",
    ]);
  });

  test("a spoke and a client", () => {
    const hub = { "hub-url": "https://hub.example:8443", "hub-token-file": "/t", "hub-ca": "/ca" };
    const tail = ["--hub-url", "https://hub.example:8443", "--hub-token-file", "/t", "--hub-ca"];
    expect(daemonArgv(paths, hub)).toEqual([
      "hephd",
      "--mode",
      "local",
      ...pathArgs,
      ...tail,
      "/ca",
    ]);
    expect(daemonArgv(paths, { mode: "client", ...hub })).toEqual([
      "hephd",
      "--mode",
      "client",
      ...pathArgs,
      ...tail,
      "/ca",
    ]);
    // insecure-http false is the same as absent.
    expect(daemonArgv(paths, { "insecure-http": false })).toEqual(daemonArgv(paths));
  });
});

describe("the unit and the plist carry the flags", () => {
  test("systemd: ExecStart reads back word for word, and the token is nowhere in the unit", () => {
    const sync: SyncFlags = {
      "hub-url": "https://hub.example:8443/",
      "hub-token-file": tokenFile,
      "hub-ca": join(dir.path, "ca $HOME.pem"),
    };
    const unit = renderSystemdUnit(spec("systemd", sync));
    expect(parseExecStart(unit)).toEqual([
      "/usr/local/bin/heph",
      "hephd",
      "--mode",
      "local",
      ...pathArgs,
      "--hub-url",
      "https://hub.example:8443/",
      "--hub-token-file",
      tokenFile,
      "--hub-ca",
      join(dir.path, "ca $HOME.pem"),
    ]);
    // Quoted for the space, % and $ doubled for systemd's specifiers and variables.
    expect(unit).toContain(`"${tokenFile.replaceAll("%", "%%")}"`);
    expect(unit).toContain("ca $$HOME.pem");
    expect(unit).not.toContain(TOKEN);
    expect(unit).not.toContain("heph_test");
  });

  test("systemd: a hub's unit", () => {
    const unit = renderSystemdUnit(
      spec("systemd", { mode: "server", "http-addr": "127.0.0.1:0", "insecure-http": true }),
    );
    expect(unit.split("\n")).toContain(
      `ExecStart=/usr/local/bin/heph hephd --mode server ${pathArgs.join(" ")} --http-addr 127.0.0.1:0 --insecure-http`,
    );
  });

  test("launchd: a real plist parser reads ProgramArguments with the flags; no token", () => {
    const sync: SyncFlags = {
      mode: "client",
      "hub-url": "https://hub.example:8443?a=1&b=<2>",
      "hub-token-file": tokenFile,
    };
    const text = renderLaunchdPlist(spec("launchd", sync));
    const expected = [
      "/usr/local/bin/heph",
      "hephd",
      "--mode",
      "client",
      ...pathArgs,
      "--hub-url",
      "https://hub.example:8443?a=1&b=<2>",
      "--hub-token-file",
      tokenFile,
    ];
    const parsed = plistlib(text);
    expect(parsed.ProgramArguments).toEqual(expected);
    expect(parsed.EnvironmentVariables).toEqual({
      HEPH_MANAGED_BY: "launchd",
      HOME: "/home/ann",
      PATH: "/usr/local/bin:/usr/bin:/bin",
    });
    expect(parseProgramArguments(text)).toEqual(expected);
    expect(text).not.toContain(TOKEN);
  });
});

describe("launchctl steps when the flags change", () => {
  let home: ReturnType<typeof tempDir>;
  let file: string;
  let fake: FakeLaunchctl;
  let manager: LaunchdManager;
  const T = `gui/${UID}/${LABEL}`;
  const launchdSpec = (sync: SyncFlags) => {
    const env = { HOME: home.path };
    return buildServiceSpec(
      binary,
      { ...paths, log: join(home.path, "hephd.log") },
      "launchd",
      env,
      sync,
    );
  };
  const hub: SyncFlags = { mode: "server", "http-addr": "127.0.0.1:0" };

  beforeEach(() => {
    home = tempDir();
    file = join(home.path, "Library", "LaunchAgents", `${LABEL}.plist`);
    fake = new FakeLaunchctl(file);
    manager = new LaunchdManager({
      home: home.path,
      uid: UID,
      run: fake.run,
      sleep: async () => {},
    });
  });
  afterEach(() => home.cleanup());

  test("new flags: the plist is rewritten and the agent booted out and in again", async () => {
    await manager.start(launchdSpec({}));
    fake.calls = [];
    const outcome = await manager.start(launchdSpec(hub));
    expect(outcome.actions[0]).toBe(`wrote ${file}`);
    expect(fake.verbs()).toEqual([
      `bootout ${T}`,
      `print ${T}`,
      `enable ${T}`,
      `bootstrap gui/${UID} ${file}`,
    ]);
    expect(plistlib(fake.bootstrapped.at(-1) as string).ProgramArguments).toEqual(
      launchdSpec(hub).program,
    );
    expect((await manager.inspect()).program).toEqual(launchdSpec(hub).program);
  });

  test("the same flags again: restart only kicks the job, start leaves it be", async () => {
    await manager.start(launchdSpec(hub));
    fake.calls = [];
    expect((await manager.restart(launchdSpec(hub))).actions).toEqual([
      `launchctl enable ${T}`,
      `launchctl kickstart -k ${T}`,
    ]);
    fake.calls = [];
    await manager.start(launchdSpec(hub));
    expect(fake.verbs()).toEqual([`print ${T}`, `enable ${T}`, `kickstart ${T}`]);
    expect(fake.bootstrapped).toHaveLength(1);
  });
});

describe("flags given on the command line", () => {
  test("none given is null; file paths become absolute against the cwd, others are kept", () => {
    expect(givenSyncFlags({ json: true, _: [] }, "/somewhere")).toBeNull();
    expect(
      givenSyncFlags(
        {
          "hub-url": "https://hub.example",
          "hub-token-file": "tok",
          "hub-ca": "../ca.pem",
          "tls-cert": "/abs/cert.pem",
          "http-addr": "127.0.0.1:0",
          json: true,
        },
        "/home/ann/work",
      ),
    ).toEqual({
      "hub-url": "https://hub.example",
      "hub-token-file": "/home/ann/work/tok",
      "hub-ca": "/home/ann/ca.pem",
      "tls-cert": "/abs/cert.pem",
      "http-addr": "127.0.0.1:0",
    });
    expect(givenSyncFlags({ "insecure-http": true }, "/")).toEqual({ "insecure-http": true });
    expect(givenSyncFlags({ mode: "local" }, "/")).toEqual({ mode: "local" });
  });

  test("an empty value is refused", () => {
    expect(() => givenSyncFlags({ "hub-token-file": "" }, "/")).toThrow(UsageError);
  });

  test("checked as hephd checks them, with a token file required", () => {
    const spoke = { "hub-url": "https://hub.example:8443", "hub-token-file": tokenFile };
    expect(checkServiceSyncFlags(spoke)).toMatchObject({
      mode: "local",
      hub: { url: "https://hub.example:8443", token: TOKEN },
    });
    expect(checkServiceSyncFlags({ mode: "server", "http-addr": "127.0.0.1:0" })).toMatchObject({
      mode: "server",
      hostname: "127.0.0.1",
      port: 0,
    });
    // HEPH_HUB_TOKEN is no substitute: the service never sees it.
    const before = process.env.HEPH_HUB_TOKEN;
    process.env.HEPH_HUB_TOKEN = TOKEN;
    try {
      expect(() => checkServiceSyncFlags({ "hub-url": "https://hub.example" })).toThrow(
        /--hub-token-file FILE/,
      );
    } finally {
      if (before === undefined) delete process.env.HEPH_HUB_TOKEN;
      else process.env.HEPH_HUB_TOKEN = before;
    }
    const missing = join(dir.path, "nope");
    expect(() => checkServiceSyncFlags({ ...spoke, "hub-token-file": missing })).toThrow(
      `Cannot read the hub token file ${missing}: ENOENT.`,
    );
    expect(() => checkServiceSyncFlags({ mode: "server", "http-addr": "0.0.0.0:8443" })).toThrow(
      /without TLS/,
    );
    expect(() => checkServiceSyncFlags({ mode: "server" })).toThrow(/needs --http-addr/);
    const oidc = { "oidc-issuer": "https://id.example.com", "oidc-audience": "heph" };
    expect(
      checkServiceSyncFlags({ mode: "server", "http-addr": "127.0.0.1:0", ...oidc }),
    ).toMatchObject({ oidc: { issuer: "https://id.example.com", audience: "heph" } });
    expect(() =>
      checkServiceSyncFlags({ mode: "server", "http-addr": "127.0.0.1:0", "oidc-issuer": "x" }),
    ).toThrow(/both --oidc-issuer/);
    expect(() => checkServiceSyncFlags({ ...spoke, ...oidc })).toThrow(/--oidc-issuer is for/);
    expect(() => checkServiceSyncFlags({ mode: "client", "http-addr": "127.0.0.1:1" })).toThrow(
      UsageError,
    );
  });
});

describe("the settings file", () => {
  test("lives in $XDG_CONFIG_HOME/heph, else ~/.config/heph", () => {
    expect(daemonSettingsFile({ XDG_CONFIG_HOME: "/x/cfg" }, "/home/ann")).toBe(
      "/x/cfg/heph/daemon.json",
    );
    expect(daemonSettingsFile({ XDG_CONFIG_HOME: "relative" }, "/home/ann")).toBe(
      "/home/ann/.config/heph/daemon.json",
    );
    expect(daemonSettingsFile({}, "/home/ann")).toBe("/home/ann/.config/heph/daemon.json");
  });

  test("saved, read back, written only when it changes, private, and without the token", () => {
    const file = join(dir.path, "config", "heph", "daemon.json");
    expect(readSavedSyncFlags(file)).toEqual({});
    const flags: SyncFlags = {
      "hub-token-file": tokenFile,
      "hub-url": "https://hub.example:8443",
    };
    expect(saveSyncFlags(file, flags)).toEqual([`wrote ${file}`]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir.path, "config", "heph")).mode & 0o777).toBe(0o700);
    expect(readSavedSyncFlags(file)).toEqual(flags);
    expect(readFileSync(file, "utf8")).not.toContain(TOKEN);
    expect(saveSyncFlags(file, { ...flags })).toEqual([]);
    expect(saveSyncFlags(file, { mode: "server", "http-addr": "127.0.0.1:0" })).toEqual([
      `wrote ${file}`,
    ]);
    expect(readSavedSyncFlags(file)).toEqual({ mode: "server", "http-addr": "127.0.0.1:0" });
  });

  test("a plain local daemon removes it; removing what is not there does nothing", () => {
    const file = join(dir.path, "daemon.json");
    expect(isPlainLocal({})).toBe(true);
    expect(isPlainLocal({ mode: "local" })).toBe(true);
    expect(isPlainLocal({ mode: "server" })).toBe(false);
    saveSyncFlags(file, { mode: "server", "http-addr": "127.0.0.1:0" });
    expect(saveSyncFlags(file, { mode: "local" })).toEqual([`removed ${file}`]);
    expect(existsSync(file)).toBe(false);
    expect(saveSyncFlags(file, {})).toEqual([]);
    expect(removeSavedSyncFlags(file)).toEqual([]);
  });

  test("a damaged file is an error that says how to get out", () => {
    const file = join(dir.path, "daemon.json");
    mkdirSync(dir.path, { recursive: true });
    for (const [text, why] of [
      ["{not json", /is not JSON/],
      ['{"flags": []}', /no "flags" object/],
      ['{"flags": {"hub-token": "heph_x"}}', /unknown flag "hub-token"/],
      ['{"flags": {"insecure-http": "yes"}}', /wrong type/],
    ] as const) {
      writeFileSync(file, text);
      let error: unknown;
      try {
        readSavedSyncFlags(file);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(HephError);
      expect((error as Error).message).toMatch(why);
      expect((error as Error).message).toContain("--no-hub");
    }
  });
});
