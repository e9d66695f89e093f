import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { tempPaths } from "./tmp.ts";

export const repoRoot = resolve(import.meta.dir, "../..");
export const hephBinary = join(repoRoot, "dist", "heph");
export const hephdLink = join(repoRoot, "dist", "hephd");

/** e2e tests run the compiled binary; build it once if this checkout has none yet. */
export function ensureBinary() {
  if (existsSync(hephBinary) && existsSync(hephdLink)) return;
  const result = Bun.spawnSync([process.execPath, join(repoRoot, "scripts/build.ts")], {
    cwd: repoRoot,
    stdout: "inherit",
    stderr: "inherit",
  });
  if (result.exitCode !== 0) throw new Error("building dist/heph failed");
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Env for a child heph: no colour, no inherited heph paths, HOME and XDG dirs inside `home`. */
export function isolatedEnv(
  home: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home,
    XDG_DATA_HOME: join(home, "data"),
    XDG_CONFIG_HOME: join(home, "config"),
    NO_COLOR: "1",
  };
  return { ...env, ...extra };
}

export function runHeph(
  args: string[],
  env: Record<string, string>,
  binary = hephBinary,
): Promise<RunResult> {
  return runCommand([binary, ...args], env);
}

/** Runs a command to its end with stdin closed, collecting stdout, stderr and the status. */
export async function runCommand(
  command: string[],
  env: Record<string, string>,
  options: { cwd?: string } = {},
): Promise<RunResult> {
  const child = Bun.spawn(command, {
    env,
    cwd: options.cwd,
    stdout: "pipe",
    stderr: "pipe",
    stdin: "ignore",
  });
  const [stdout, stderr, exitCode] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  return { exitCode, stdout, stderr };
}

/**
 * Starts `hephd` from the binary and resolves once its socket answers daemon.info: the readiness
 * signal. Rejects (with the daemon's stderr) if the process exits first.
 */
export async function spawnDaemon(
  args: string[],
  env: Record<string, string>,
  socketPath: string,
  binary = hephBinary,
): Promise<{ process: ReturnType<typeof Bun.spawn>; stderr: () => Promise<string> }> {
  const child = Bun.spawn([binary, ...args], {
    env,
    stdout: "ignore",
    stderr: "pipe",
    stdin: "ignore",
  });
  let exited = false;
  child.exited.then(() => {
    exited = true;
  });
  const stderr = () => new Response(child.stderr as ReadableStream).text();
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (exited)
      throw new Error(`hephd exited with ${child.exitCode} before it answered: ${await stderr()}`);
    if (await answers(socketPath)) return { process: child, stderr };
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`hephd did not answer on ${socketPath} within 20 s`);
    }
    await Promise.race([child.exited, Bun.sleep(10)]);
  }
}

/** True when something at `socketPath` answers daemon.info. */
export async function answers(socketPath: string): Promise<boolean> {
  try {
    const reply = await new Promise<string>((resolveReply, reject) => {
      let text = "";
      Bun.connect({
        unix: socketPath,
        socket: {
          open(socket) {
            socket.write('{"jsonrpc":"2.0","id":1,"method":"daemon.info"}\n');
          },
          data(socket, chunk) {
            text += chunk.toString();
            if (text.includes("\n")) {
              resolveReply(text); // before end(): end() runs the close handler synchronously
              socket.end();
            }
          },
          close() {
            reject(new Error("closed"));
          },
          error(_socket, error) {
            reject(error);
          },
        },
      }).catch(reject);
    });
    return reply.includes('"result"');
  } catch {
    return false;
  }
}

/** The daemon's argv for explicit paths: `hephd --mode local --db … --socket … --log …`. */
export { daemonArgv as daemonArgs } from "../../src/daemon/argv.ts";

export interface BinaryDaemon {
  paths: { dir: string; db: string; socket: string; log: string };
  /** HOME, XDG dirs, HEPH_SOCKET and HEPH_DB for CLI runs against this daemon; TZ=UTC. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * The compiled daemon on fresh temp paths, for e2e tests of the CLI against it. `daemonEnv`
 * adds to (or overrides) the daemon's environment only, e.g. another TZ.
 */
export async function startBinaryDaemon(
  daemonEnv: Record<string, string> = {},
): Promise<BinaryDaemon> {
  ensureBinary();
  const paths = tempPaths();
  const env = isolatedEnv(paths.dir, { HEPH_SOCKET: paths.socket, HEPH_DB: paths.db, TZ: "UTC" });
  const daemon = await spawnDaemon(
    ["hephd", "--mode", "local", "--log", paths.log],
    { ...env, ...daemonEnv },
    paths.socket,
  );
  return {
    paths,
    env,
    stop: async () => {
      daemon.process.kill("SIGTERM");
      await daemon.process.exited;
      paths.cleanup();
    },
  };
}
