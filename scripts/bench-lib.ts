/**
 * Shared helpers for the benchmark scripts: a seeded PRNG and vocabulary, percentiles, temp dirs
 * and child processes that are cleaned up on exit or interrupt, the heph binary under test, and
 * starting and stopping hephd on a store. Nothing here runs on import.
 */

import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join, resolve } from "node:path";
import packageJson from "../package.json" with { type: "json" };
import { answers } from "../test/helpers/binary.ts";
import { compile } from "./build.ts";

export const repoRoot = resolve(import.meta.dir, "..");
export const distBinary = join(repoRoot, "dist", "heph");
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

export function progress(text: string) {
  process.stderr.write(`${text}\n`);
}

export function positiveInt(text: string, flag: string, max = 10_000_000): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new Error(`${flag} takes whole numbers from 1 to ${max}, not ${JSON.stringify(text)}`);
  }
  return value;
}

/** Deterministic PRNG (mulberry32), so every run fills the same store for a size. */
/** The value after `--NAME` on the command line, or `fallback` when the flag is not given. */
export function flag(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : (process.argv[index + 1] ?? "");
}

/** A whole-number flag: `--runs 3`; a bad value stops the script naming the flag. */
export function positiveFlag(name: string, fallback: number): number {
  return process.argv.includes(`--${name}`) ? positiveInt(flag(name, ""), `--${name}`) : fallback;
}

export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COMMON = `the of and to a in is it you that he was for on are with as I his they be at one
have this from or had by word but what some we can out other were all there when up use your how
said an each she which do their time if will way about many then them write would like so these
her long make thing see him two has look more day could go come did number sound no most people
my over know water than call first who may down side been now find any new work part take get
place made live where after back little only round man year came show every good me give our
under name very through just form sentence great think say help low line differ turn cause much
mean before move right boy old too same tell does set three want air well also play small end put
home read hand port large spell add even land here must big high such follow act why ask men
change went light kind off need house picture try us again animal point mother world near build
self earth father head stand own page should country found answer school grow study still learn
plant cover food sun four between state keep eye never last let thought city tree cross farm
hard start might story saw far sea draw left late run while press close night real life few north
garden budget meeting project report invoice doctor car taxes backup notes lease kitchen review
plan draft email book order clean check update send sort file renew trip flight hotel recipe
bread coffee tea bike repair paint window roof insurance bank tax form contract client server
deploy release test bug design sketch idea list reading chapter paper library music guitar
piano lesson walk run gym yoga dentist birthday gift party dinner lunch`.split(/\s+/);

const SYLLABLES =
  "ka lo mi ne ru sa te vi do pa re ti ba go ma nu fe li zo ha ve si to be ri an el or in us".split(
    " ",
  );

/** Common English words, then made-up words up to `size`, in Zipf rank order. */
export function vocabulary(random: () => number, size: number): string[] {
  const words = [...new Set(COMMON)];
  const seen = new Set(words);
  for (let tries = 0; words.length < size && tries < size * 100; tries++) {
    const length = 2 + Math.floor(random() * 3);
    let word = "";
    for (let i = 0; i < length; i++) word += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
    if (!seen.has(word)) {
      seen.add(word);
      words.push(word);
    }
  }
  return words;
}

/** Samples ranks 0..n-1 with P(rank) ∝ 1/(rank+1) (Zipf, s = 1), by inverting the CDF. */
export function zipfSampler(n: number, random: () => number): () => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += 1 / (i + 1);
    cdf[i] = sum;
  }
  return () => {
    const target = random() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cdf[mid] as number) < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

export const capital = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

/** `count` words of prose (sentences of 6–20 words, 4 a paragraph), `links` put in for words. */
export function prose(
  random: () => number,
  word: () => string,
  count: number,
  links: readonly string[],
): string {
  const parts = Array.from({ length: count }, word);
  for (const link of links) parts[Math.floor(random() * count)] = link;
  let text = "";
  let inSentence = 0;
  let sentences = 0;
  for (const part of parts) {
    text += inSentence === 0 ? capital(part) : ` ${part}`;
    if (++inSentence >= 6 + Math.floor(random() * 15)) {
      text += ++sentences % 4 === 0 ? ".\n\n" : ". ";
      inSentence = 0;
    }
  }
  return `${text.trimEnd()}.`;
}

/** About `bytes` of text: `count` lines of words, each ending in a distinct link from `link`. */
export function linkedText(
  word: () => string,
  bytes: number,
  count: number,
  link: () => string,
): string {
  const links = new Set<string>();
  for (let tries = 0; links.size < count && tries < count * 100; tries++) links.add(link());
  let text = "";
  for (const target of links) {
    let chunk = capital(word());
    while (chunk.length + target.length < bytes / links.size - 3) chunk += ` ${word()}`;
    text += `${chunk} ${target}.\n`;
  }
  return text;
}

export interface Stats {
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  max: number;
}

/** Nearest-rank percentile `p` (0–100) of `samples`, in any order; NaN when there are none. */
export function percentile(samples: readonly number[], p: number): number {
  return percentileOfSorted(
    [...samples].sort((a, b) => a - b),
    p,
  );
}

function percentileOfSorted(sorted: readonly number[], p: number): number {
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

/** Nearest-rank percentiles. */
export function stats(samples: readonly number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => percentileOfSorted(sorted, p);
  return {
    p50: at(50),
    p90: at(90),
    p99: at(99),
    mean: sorted.reduce((sum, value) => sum + value, 0) / Math.max(1, sorted.length),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

export const ms = (value: number, digits = 2) =>
  Number.isFinite(value) ? value.toFixed(digits) : "–";

/** Times `work` once per item, in order, and returns the durations in ms. */
export async function timeEach<T>(
  items: readonly T[],
  work: (item: T) => unknown | Promise<unknown>,
): Promise<number[]> {
  const samples: number[] = [];
  for (const item of items) {
    const start = performance.now();
    await work(item);
    samples.push(performance.now() - start);
  }
  return samples;
}

export interface ProcessResult {
  /** Wall time, spawn to exit. */
  ms: number;
  /** user + system CPU time of the child: less sensitive than wall time to a busy machine. */
  cpuMs: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs one whole process to its end, reading its output as a user's shell would, and times it.
 * Throws when it fails; one that hangs is killed after `timeoutMs`. Tracked for cleanUp().
 */
export async function runTimed(
  cmd: string[],
  env: Record<string, string>,
  options: { stdin?: string; timeoutMs?: number } = {},
): Promise<ProcessResult> {
  const start = performance.now();
  const child = Bun.spawn(cmd, {
    env,
    stdout: "pipe",
    stderr: "pipe",
    stdin: options.stdin === undefined ? "ignore" : new TextEncoder().encode(options.stdin),
  });
  children.add(child);
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 600_000);
  try {
    const [stdout, stderr, exitCode] = await Promise.all([
      new Response(child.stdout).text(),
      new Response(child.stderr).text(),
      child.exited,
    ]);
    const elapsed = performance.now() - start;
    if (exitCode !== 0)
      throw new Error(`${cmd.join(" ")} exited with ${exitCode}: ${stderr.trim()}`);
    const cpu = child.resourceUsage()?.cpuTime.total;
    return {
      ms: elapsed,
      cpuMs: cpu === undefined ? Number.NaN : Number(cpu) / 1000,
      stdout,
      stderr,
    };
  } finally {
    clearTimeout(timer);
    children.delete(child);
  }
}

/** Wall time of one whole process, spawn to exit (see runTimed). */
export async function timeProcess(
  cmd: string[],
  env: Record<string, string>,
  stdin?: string,
): Promise<number> {
  return (await runTimed(cmd, env, { stdin })).ms;
}

/** "Date, machine, Bun, load" lines for a report. */
export function machineLines(): string[] {
  const cpu = cpus();
  return [
    `- Date: ${new Date().toISOString()}`,
    `- Machine: ${cpu[0]?.model ?? "unknown CPU"}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${process.platform}-${process.arch}`,
    `- Bun ${Bun.version}`,
    `- Load average (1, 5, 15 min) at the end: ${loadavg()
      .map((load) => load.toFixed(2))
      .join(", ")}`,
  ];
}

// ---------------------------------------------------------------------------------------------
// Temp dirs and child processes: tracked, so an error or an interrupt leaves none behind.

const children = new Set<ReturnType<typeof Bun.spawn>>();
const tempDirs = new Set<string>();
let handlersInstalled = false;

/** Kills tracked children and removes tracked temp dirs: after an error, or on a signal. */
export function cleanUp() {
  for (const child of children) child.kill("SIGKILL");
  children.clear();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

/** On SIGINT/SIGTERM: cleanUp(), then exit. */
export function installCleanup() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      cleanUp();
      process.exit(signal === "SIGINT" ? 130 : 143);
    });
  }
}

/** A tracked temp dir; keep `prefix` short, as a unix socket path must fit in 108 bytes. */
export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

export function removeTempDir(dir: string) {
  rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

// ---------------------------------------------------------------------------------------------
// The binary under test and the daemon

/** The newest modification time of any file below `dir` (bounded depth). */
export function newestMtime(dir: string, depth = 0): number {
  let newest = 0;
  if (depth > 8) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const time = entry.isDirectory() ? newestMtime(path, depth + 1) : statSync(path).mtimeMs;
    newest = Math.max(newest, time);
  }
  return newest;
}

export interface Binary {
  path: string;
  /** Where it came from, for the report. */
  source: string;
  /** What `<binary> --version` prints, without the leading "heph ". */
  version: string;
}

/**
 * The heph binary to measure, in `dir`: a copy of dist/heph (built first when missing), so a
 * rebuild of dist/ during the run cannot swap it. When dist/heph is older than src/, a private
 * binary is compiled from src/ with the flags of scripts/build.ts instead (dist/ is left alone),
 * so the store filled from src/ and the daemon agree on schema and code.
 */
export function prepareBinary(dir: string): Binary {
  const run = (cmd: string[]) =>
    Bun.spawnSync(cmd, { cwd: repoRoot, stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  if (!existsSync(distBinary)) {
    progress("dist/heph is missing; building it with scripts/build.ts");
    const build = run([process.execPath, join(repoRoot, "scripts/build.ts")]);
    if (build.exitCode !== 0) throw new Error(`scripts/build.ts failed: ${build.stderr}`);
  }
  const path = join(dir, "heph");
  let source = "a copy of dist/heph";
  if (statSync(distBinary).mtimeMs >= newestMtime(join(repoRoot, "src"))) {
    copyFileSync(distBinary, path);
  } else {
    progress("dist/heph is older than src/; compiling a private binary from src/ for this run");
    const commit = run(["git", "rev-parse", "--short=12", "HEAD"]).stdout.toString().trim();
    compile(undefined, path, `${packageJson.version}+g${commit || "unknown"}.bench-src`, {
      quiet: true,
    });
    source = "compiled from src/ like scripts/build.ts, as dist/heph was older than src/";
  }
  const printed = run([path, "--version"]);
  if (printed.exitCode !== 0) throw new Error(`${path} --version failed: ${printed.stderr}`);
  return {
    path,
    source,
    version: printed.stdout
      .toString()
      .trim()
      .replace(/^heph\s+/, ""),
  };
}

/** The environment of a heph process in a benchmark: HOME and XDG dirs inside `dir`, no colour. */
export function hephEnv(dir: string, socket: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: dir,
    XDG_DATA_HOME: join(dir, "data"),
    XDG_CONFIG_HOME: join(dir, "config"),
    HEPH_SOCKET: socket,
    NO_COLOR: "1",
  };
}

export interface Daemon {
  child: ReturnType<typeof Bun.spawn>;
  socket: string;
  /** From spawn until the socket answered daemon.info (polled every 2 ms). */
  readyMs: number;
}

/** Starts `binary hephd` (local unless `extraArgs` say otherwise) on `db` and resolves once `socket` answers daemon.info. */
export async function startDaemon(
  binary: string,
  dir: string,
  db: string,
  socket: string,
  /** More hephd flags (--mode server --http-addr …, --hub-url …); the default is a local daemon. */
  extraArgs: readonly string[] = ["--mode", "local"],
): Promise<Daemon> {
  const start = performance.now();
  const args = ["hephd", ...extraArgs, "--db", db, "--socket", socket];
  const child = Bun.spawn([binary, ...args, "--log", join(dir, "hephd.log")], {
    env: hephEnv(dir, socket),
    stdout: "ignore",
    stderr: "pipe",
    stdin: "ignore",
  });
  children.add(child);
  let exited = false;
  void child.exited.then(() => {
    exited = true;
  });
  const deadline = start + READY_TIMEOUT_MS;
  while (performance.now() < deadline) {
    if (exited) {
      children.delete(child);
      const stderr = await new Response(child.stderr as ReadableStream).text();
      throw new Error(`hephd exited with ${child.exitCode} before it answered: ${stderr}`);
    }
    if (await answers(socket)) return { child, socket, readyMs: performance.now() - start };
    await Promise.race([child.exited, Bun.sleep(2)]);
  }
  await stopDaemon({ child, socket, readyMs: Number.NaN });
  throw new Error(`hephd did not answer on ${socket} within ${READY_TIMEOUT_MS / 1000} s`);
}

/** A process's resident memory and its peak, in MB (Linux: /proc/<pid>/status). */
export function readRssMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1]);
  return { rss: kb("VmRSS") / 1024, peak: kb("VmHWM") / 1024 };
}

/** SIGTERM, then SIGKILL if it has not exited within STOP_TIMEOUT_MS. */
export async function stopDaemon({ child }: Daemon) {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill("SIGTERM");
    const stopped = await Promise.race([
      child.exited.then(() => true),
      Bun.sleep(STOP_TIMEOUT_MS).then(() => false),
    ]);
    if (!stopped) {
      progress(`  hephd did not stop within ${STOP_TIMEOUT_MS / 1000} s of SIGTERM; killing it`);
      child.kill("SIGKILL");
      await child.exited;
    }
  }
  children.delete(child);
}

/** `task --version`, installing Debian's taskwarrior first when it is missing and apt can run. */
export function taskwarriorVersion() {
  const ask = () => Bun.spawnSync(["task", "--version"], { stdout: "pipe", stderr: "ignore" });
  let tw = ask();
  if (tw.exitCode !== 0 && process.getuid?.() === 0 && Bun.which("apt-get")) {
    progress("installing taskwarrior (apt-get install taskwarrior)");
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    const apt = (args: string[]) =>
      Bun.spawnSync(["apt-get", ...args], { env, stdout: "ignore", stderr: "inherit" }).exitCode;
    if (apt(["install", "-y", "-q", "taskwarrior"]) !== 0) {
      apt(["update", "-q"]);
      apt(["install", "-y", "-q", "taskwarrior"]);
    }
    tw = ask();
  }
  return tw;
}

/**
 * Runs `heph ARGS` once against a daemon, timed: wall time, the CLI's peak RSS (wait4) and the
 * daemon's (VmHWM), and with --json the import summary's counts. A non-zero exit is an error.
 */
export async function timedHeph(
  binary: string,
  args: string[],
  env: Record<string, string>,
  daemonPid: number,
) {
  const start = performance.now();
  const child = Bun.spawn([binary, ...args], {
    env,
    stdout: "pipe",
    stderr: "pipe",
    stdin: "ignore",
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  const elapsed = performance.now() - start;
  if (code !== 0) throw new Error(`heph ${args.join(" ")} exited ${code}: ${stderr}\n${stdout}`);
  const counts = args.includes("--json")
    ? ((JSON.parse(stdout) as { counts?: Record<string, number> }).counts ?? null)
    : null;
  return {
    ms: elapsed,
    cliPeakMb: (child.resourceUsage()?.maxRSS ?? 0) / 2 ** 20,
    daemonPeakMb: readRssMb(daemonPid).peak,
    counts,
  };
}
