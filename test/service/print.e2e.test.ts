/** `heph daemon print`: the exact file `start` would write, for either manager, from any OS. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { ensureBinary, hephBinary, isolatedEnv, runHeph } from "../helpers/binary.ts";
import { tempDir } from "../helpers/tmp.ts";

const home = tempDir("heph-print-");
let env: Record<string, string>;

beforeAll(() => {
  ensureBinary();
  env = isolatedEnv(home.path, { XDG_RUNTIME_DIR: join(home.path, "run") });
});
afterAll(() => home.cleanup());

describe("heph daemon print", () => {
  test("--manager launchd prints a plist that a real plist parser reads", async () => {
    const printed = await runHeph(["daemon", "print", "--manager", "launchd"], env);
    expect(printed.exitCode).toBe(0);
    const parse = Bun.spawnSync(
      [
        "python3",
        "-c",
        "import plistlib,sys,json; print(json.dumps(plistlib.loads(sys.stdin.buffer.read())))",
      ],
      { stdin: new TextEncoder().encode(printed.stdout), stdout: "pipe", stderr: "pipe" },
    );
    expect(parse.stderr.toString()).toBe("");
    const plist = JSON.parse(parse.stdout.toString());
    const data = join(home.path, "data", "heph");
    expect(plist).toMatchObject({
      Label: "org.hephaestus.hephd",
      RunAtLoad: true,
      KeepAlive: true,
      StandardOutPath: join(data, "hephd.log"),
      StandardErrorPath: join(data, "hephd.log"),
      EnvironmentVariables: { HEPH_MANAGED_BY: "launchd" },
    });
    expect(plist.ProgramArguments).toEqual([
      hephBinary,
      "hephd",
      "--mode",
      "local",
      "--db",
      join(data, "heph.db"),
      "--socket",
      join(home.path, "run", "heph", "hephd.sock"),
      "--log",
      join(data, "hephd.log"),
    ]);
  });

  test("the service runs the binary by the path it was invoked by: symlinks are kept", async () => {
    // A package manager's stable link (…/bin/heph → …/versions/0.1.0/heph) must survive upgrades.
    const linkDir = join(home.path, "bin");
    mkdirSync(linkDir, { recursive: true });
    const link = join(linkDir, "heph");
    symlinkSync(hephBinary, link);
    const byPath = await runHeph(["daemon", "print", "--manager", "systemd"], env, link);
    expect(byPath.stdout).toContain(`ExecStart=${link} hephd`);
    // Found through PATH (argv0 is a bare "heph"): the PATH entry, not the resolved file.
    const child = Bun.spawnSync(["heph", "daemon", "print", "--manager", "systemd"], {
      env: { ...env, PATH: `${linkDir}:${env.PATH}` },
      stdout: "pipe",
    });
    expect(child.stdout.toString()).toContain(`ExecStart=${link} hephd`);
  });

  test("--manager systemd prints the unit; an unknown manager is a usage error", async () => {
    const printed = await runHeph(["daemon", "print", "--manager", "systemd"], env);
    expect(printed.exitCode).toBe(0);
    expect(printed.stdout).toContain(`ExecStart=${hephBinary} hephd --mode local`);
    const bad = await runHeph(["daemon", "print", "--manager", "upstart"], env);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain("systemd, launchd");
  });
});
