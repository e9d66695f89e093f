/** The compiled binary as a user runs it: dispatch, help, version, usage errors, exit codes. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { ensureBinary, hephdLink, isolatedEnv, runHeph } from "../helpers/binary.ts";
import { tempDir } from "../helpers/tmp.ts";

let env: Record<string, string>;
const home = tempDir();

beforeAll(() => {
  ensureBinary();
  env = isolatedEnv(home.path);
});

afterAll(() => home.cleanup());

describe("one binary, two programs", () => {
  test("heph --version, hephd --version and heph hephd --version print the same version", async () => {
    const cli = await runHeph(["--version"], env);
    const viaLink = await runHeph(["--version"], env, hephdLink);
    const viaArg = await runHeph(["hephd", "--version"], env);
    expect(cli.exitCode).toBe(0);
    expect(cli.stdout).toMatch(/^\d+\.\d+\.\d+\S*\n$/);
    expect(viaLink.stdout).toBe(cli.stdout);
    expect(viaArg.stdout).toBe(cli.stdout);
  });

  test("invoked as hephd it is the daemon: --help is the daemon's help", async () => {
    const viaLink = await runHeph(["--help"], env, hephdLink);
    const viaArg = await runHeph(["hephd", "--help"], env);
    expect(viaLink.exitCode).toBe(0);
    expect(viaLink.stdout).toContain("Usage: hephd [--mode local]");
    expect(viaLink.stdout).toContain("hephd --mode server --http-addr HOST:PORT");
    expect(viaArg.stdout).toBe(viaLink.stdout);
  });

  test("heph --help lists the commands and exits 0", async () => {
    const result = await runHeph(["--help"], env);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("health");
    expect(result.stdout).not.toContain("\u001b["); // NO_COLOR
  });
});

describe("usage errors exit 2 and say what would be right", () => {
  test("an unknown flag is an error, not ignored", async () => {
    const result = await runHeph(["health", "--jsno"], env);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("--jsno");
    expect(result.stderr).toContain("--json");
    expect(result.stdout).toBe("");
  });

  test("an unknown command", async () => {
    const result = await runHeph(["frobnicate"], env);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('Unknown command "frobnicate"');
  });

  test("an unexpected argument", async () => {
    const result = await runHeph(["health", "extra"], env);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('"extra"');
  });

  test("hephd --mode server and client say which flags they need", async () => {
    const server = await runHeph(["hephd", "--mode", "server"], env);
    expect(server.exitCode).toBe(2);
    expect(server.stderr).toContain("--mode server needs --http-addr HOST:PORT");
    const client = await runHeph(["hephd", "--mode", "client"], env);
    expect(client.exitCode).toBe(2);
    expect(client.stderr).toContain("pass --hub-url URL and --hub-token-file FILE");
    // Plain HTTP beyond loopback is refused unless forced: tokens would cross the network.
    const open = await runHeph(["hephd", "--mode", "server", "--http-addr", "0.0.0.0:8443"], env);
    expect(open.exitCode).toBe(2);
    expect(open.stderr).toContain("--tls-cert");
    const spoke = await runHeph(["hephd", "--hub-url", "http://hub.example:8443"], env);
    expect(spoke.exitCode).toBe(2);
    expect(spoke.stderr).toContain("plain HTTP to another machine");
    const noToken = await runHeph(["hephd", "--hub-url", "http://127.0.0.1:9"], env);
    expect(noToken.exitCode).toBe(2);
    expect(noToken.stderr).toContain("--hub-token-file");
  });

  test("hephd rejects unknown modes and flags", async () => {
    expect((await runHeph(["hephd", "--mode", "cloud"], env)).exitCode).toBe(2);
    const flag = await runHeph(["--dbb", "x"], env, hephdLink);
    expect(flag.exitCode).toBe(2);
    expect(flag.stderr).toContain("--dbb");
  });
});

describe("no daemon", () => {
  test("heph health exits 3 naming the socket and the fix", async () => {
    const socket = join(home.path, "nothing-here.sock");
    const result = await runHeph(["health"], { ...env, HEPH_SOCKET: socket });
    expect(result.exitCode).toBe(3);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(socket);
    expect(result.stderr).toContain("heph daemon start");
    expect(result.stderr).toContain("nothing is listening");
  });

  test("--socket overrides HEPH_SOCKET", async () => {
    const flagSocket = join(home.path, "flag.sock");
    const result = await runHeph(["health", "--socket", flagSocket], {
      ...env,
      HEPH_SOCKET: "/nonexistent/env.sock",
    });
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain(flagSocket);
  });
});
