import { join } from "node:path";
import type { BinaryDaemon } from "./binary.ts";
import { hephBinary, repoRoot } from "./binary.ts";

/** A hung Neovim is killed after this; the specs wait on events, never on the clock. */
const NVIM_LIMIT_MS = 45_000;

export interface SpecRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** `result KEY JSON` lines the spec printed (T.result in editors/nvim/test/helpers.lua). */
  results: Record<string, unknown>;
  /** Whether it had to be killed. */
  killed: boolean;
}

/**
 * Runs a Lua spec of editors/nvim/test in `nvim --headless -u NONE -i NONE -n` with the plugin
 * on the runtimepath, against `daemon` (HEPH_SOCKET and HEPH_DB in its env; HEPH_BIN is the
 * compiled CLI the spec may run). The spec exits 0 only when every test in it passed.
 */
/**
 * A headless Neovim with no user config, heph.nvim on the runtimepath and loaded, running the
 * Lua file `luaFile` (relative to the repo root, where it must be started).
 */
export function headlessNvim(luaFile: string): string[] {
  return [
    "nvim",
    "--headless",
    "-u",
    "NONE",
    "-i",
    "NONE",
    "-n",
    "--cmd",
    "set rtp^=editors/nvim",
    "-c",
    "runtime plugin/heph.lua",
    "-c",
    `luafile ${luaFile}`,
  ];
}

export async function runSpec(spec: string, daemon: BinaryDaemon): Promise<SpecRun> {
  const child = Bun.spawn(headlessNvim(`editors/nvim/test/${spec}`), {
    cwd: repoRoot,
    env: {
      ...daemon.env,
      HEPH_BIN: hephBinary,
      HEPH_TEST_LOG: join(daemon.paths.dir, "hephd-restarted.log"),
    },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    child.kill("SIGKILL");
  }, NVIM_LIMIT_MS);
  const [stdout, stderr, exitCode] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  clearTimeout(timer);
  const results: Record<string, unknown> = {};
  for (const match of stdout.matchAll(/^result (\S+) (.*)$/gm)) {
    results[match[1] as string] = JSON.parse(match[2] as string);
  }
  return { exitCode, stdout, stderr, results, killed };
}

/** The spec's own report, for a failing expectation to show. */
export function report(run: SpecRun): string {
  return `${run.killed ? "killed after the time limit\n" : ""}${run.stdout}\n${run.stderr}`;
}
