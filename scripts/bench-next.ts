/**
 * Benchmarks "what is next?" at several store sizes (results and how to read them:
 * docs/benchmarks.md).
 *   bun scripts/bench-next.ts [--sizes 1000,10000,100000] [--runs N] [--cli-runs N]
 *                             [--max-load L [--max-wait S]]
 *
 * For each size: fills a fresh temp store directly (openStore + one transaction, not over RPC),
 * starts the compiled daemon (a copy of dist/heph; built first when missing or older than src/)
 * on it, times the `next` RPC over one connection (--runs calls, default 200) and on a bare
 * socket, `heph next` as a whole process (--cli-runs, default 30, wall and CPU time), reads the
 * daemon's RSS, stops the daemon, splits one `next` into its parts (the SQL it runs, with
 * EXPLAIN QUERY PLAN; JSON; zod) on the same store, and removes the temp dir. A compiled Bun
 * binary that only prints a line is timed once as the floor for any Bun CLI. Progress goes to
 * stderr, the Markdown report to stdout. These are measurements, not guarantees.
 */

import { Database } from "bun:sqlite";
import { writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { RpcClient } from "../src/client/client.ts";
import type { Clock } from "../src/core/clock.ts";
import { addDays, localDate } from "../src/core/dates.ts";
import { parseRecurrence } from "../src/core/recurrence.ts";
import type { Attention, LocalDate } from "../src/core/task-types.ts";
import { methods } from "../src/protocol/methods.ts";
import { openStore } from "../src/store/store.ts";
import {
  cleanUp,
  hephEnv,
  installCleanup,
  makeTempDir,
  ms,
  type ProcessResult,
  positiveInt,
  prepareBinary,
  prng,
  progress,
  readRssMb,
  removeTempDir,
  runTimed,
  type Stats,
  startDaemon,
  stats,
  stopDaemon,
} from "./bench-lib.ts";

/** The binary under test: a snapshot of dist/heph, so a rebuild during the run cannot swap it. */
let hephBinary = "";
const RPC_WARMUP = 20;
const CLI_WARMUP = 3;
const NEXT_LIMIT = 20;
const PROJECT_COUNT = 20;
const PROCESS_TIMEOUT_MS = 30_000;

// ---------------------------------------------------------------------------------------------
// Arguments

const USAGE = `Usage: bun scripts/bench-next.ts [--sizes 1000,10000,100000] [--runs 200] [--cli-runs 30]
                                  [--max-load L [--max-wait S]]
  --max-load L   before each measurement, wait until the 1-minute load average is below L
                 (at most --max-wait seconds, default 300; then measure anyway)`;

/** Timed calls of the next RPC and timed runs of each process, after their warm-ups. */
let rpcRuns = 200;
let cliRuns = 30;
/** Wait for a quieter machine before measuring: the load limit (none when undefined). */
let maxLoad: number | undefined;
let maxWaitS = 300;

function parseFlags(argv: string[]): number[] | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      sizes: { type: "string", default: "1000,10000,100000" },
      runs: { type: "string", default: String(rpcRuns) },
      "cli-runs": { type: "string", default: String(cliRuns) },
      "max-load": { type: "string" },
      "max-wait": { type: "string", default: String(maxWaitS) },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return undefined;
  rpcRuns = positiveInt(values.runs, "--runs", 100_000);
  cliRuns = positiveInt(values["cli-runs"], "--cli-runs", 10_000);
  maxWaitS = positiveInt(values["max-wait"], "--max-wait", 3600);
  if (values["max-load"] !== undefined) {
    maxLoad = Number(values["max-load"]);
    if (!(maxLoad > 0))
      throw new Error(`--max-load takes a number above 0, not ${values["max-load"]}`);
  }
  return values.sizes.split(",").map((part) => positiveInt(part.trim(), "--sizes", 1_000_000));
}

// ---------------------------------------------------------------------------------------------
// Small helpers

/** Runs `work` `warmup + runs` times and returns the last `runs` durations in ms. */
async function timeRepeated(
  warmup: number,
  runs: number,
  work: () => unknown | Promise<unknown>,
): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await work();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await work();
    samples.push(performance.now() - start);
  }
  return samples;
}

/** With --max-load: waits (polling every 5 s, at most --max-wait s) for the load to drop. */
async function awaitQuiet(what: string) {
  if (maxLoad === undefined) return;
  const polls = Math.ceil(maxWaitS / 5);
  for (let poll = 0; poll < polls; poll++) {
    const load = loadavg()[0] ?? 0;
    if (load < maxLoad) return;
    if (poll === 0) progress(`  load ${load.toFixed(2)} ≥ ${maxLoad}; waiting before ${what}`);
    await Bun.sleep(5000);
  }
  progress(`  still busy after ${maxWaitS} s; measuring ${what} anyway`);
}

/** CLI_WARMUP + `runs` runs of a whole process; `check` sees the first one's output. */
async function timeProcessRuns(
  cmd: string[],
  env: Record<string, string>,
  runs: number,
  check?: (result: ProcessResult) => void,
): Promise<ProcessStats> {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < CLI_WARMUP + runs; i++) {
    const result = await runTimed(cmd, env, { timeoutMs: PROCESS_TIMEOUT_MS });
    if (i === 0) check?.(result);
    if (i >= CLI_WARMUP) {
      wall.push(result.ms);
      cpu.push(result.cpuMs);
    }
  }
  return { wall: stats(wall), cpu: stats(cpu) };
}

interface ProcessStats {
  wall: Stats;
  cpu: Stats;
}

const ATTENTION_WEIGHTS: Array<[Attention, number]> = [
  ["white", 0.7],
  ["orange", 0.12],
  ["red", 0.08],
  ["blue", 0.1],
];
const TAGS = ["home", "work", "errand", "call", "waiting", "reading"];
const RULES = ["daily", "weekly", "every 3 days", "monthly", "weekdays"].map(parseRecurrence);
const WORDS =
  "review plan write fix call email book pay order clean check update draft send read sort file renew ask"
    .split(" ")
    .concat("invoice report garden car taxes doctor slides backup budget notes lease".split(" "));

interface FillResult {
  seconds: number;
  outstanding: number;
  actionable: number;
  taskRows: number;
  nodeRows: number;
  dbBytes: number;
}

export function fillStore(path: string, size: number, today: LocalDate): FillResult {
  const random = prng(size);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const weighted = <T>(list: ReadonlyArray<[T, number]>): T => {
    let roll = random();
    for (const [value, weight] of list) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return (list.at(-1) as [T, number])[0];
  };
  const spreadDate = (nullShare: number): LocalDate | null =>
    random() < nullShare ? null : addDays(today, Math.floor(random() * 121) - 60);

  // A fake clock, a few seconds per task, ending a day before now: created_at varies.
  let nowMs = Date.now() - 86_400_000 - size * 3000;
  const clock: Clock = () => new Date(nowMs);

  const start = performance.now();
  const store = openStore(path, clock);
  try {
    store.transaction(() => {
      const projects: string[] = [];
      for (let i = 0; i < PROJECT_COUNT; i++) {
        projects.push(store.projects.create(`Project ${i + 1} ${pick(WORDS)}`, null).id);
        nowMs += 1000;
      }
      // Zipf-like: project 1 is the busiest; 85% of tasks are filed, the rest are in the inbox.
      const projectWeights: Array<[string, number]> = projects.map((id, i) => [id, 1 / (i + 1)]);
      const weightSum = projectWeights.reduce((sum, [, w]) => sum + w, 0);
      for (const entry of projectWeights) entry[1] /= weightSum;

      for (let i = 0; i < size; i++) {
        nowMs += 1000 + Math.floor(random() * 4000);
        const words = 2 + Math.floor(random() * 5);
        const title = `${Array.from({ length: words }, () => pick(WORDS)).join(" ")} #${i + 1}`;
        const task = store.tasks.create({
          title: title.charAt(0).toUpperCase() + title.slice(1),
          body: random() < 0.2 ? `Notes for ${title}.\n\n- ${pick(WORDS)}\n- ${pick(WORDS)}` : "",
          attention: weighted(ATTENTION_WEIGHTS),
          do_date: spreadDate(0.6),
          late_on: spreadDate(0.75),
          recurrence: random() < 0.02 ? pick(RULES) : null,
          project_id: random() < 0.85 ? weighted(projectWeights) : null,
          tags: random() < 0.3 ? [pick(TAGS)] : [],
        });
        // About a fifth stays outstanding; the rest is done (70%) or dropped (30%).
        if (random() >= 0.2) store.tasks.setState(task.id, random() < 0.7 ? "done" : "dropped");
      }
    });
  } finally {
    store.close();
  }
  const seconds = (performance.now() - start) / 1000;

  const db = new Database(path, { readonly: true });
  try {
    const count = (sql: string, ...params: string[]) =>
      (db.query(sql).get(...params) as { n: number }).n;
    return {
      seconds,
      outstanding: count("SELECT count(*) AS n FROM tasks WHERE state = 'outstanding'"),
      actionable: count(
        `SELECT count(*) AS n FROM tasks WHERE state = 'outstanding' AND attention != 'blue'
           AND (do_date IS NULL OR do_date <= ?)`,
        today,
      ),
      taskRows: count("SELECT count(*) AS n FROM tasks"),
      nodeRows: count("SELECT count(*) AS n FROM nodes"),
      dbBytes: Bun.file(path).size,
    };
  } finally {
    db.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Where the time of one `next` RPC goes, measured on the filled store after the daemon stopped.

interface Breakdown {
  sqlOnly: Stats;
  storeNext: Stats;
  encode: Stats;
  decode: Stats;
  zod: Stats;
  replyBytes: number;
  /** The statements one TaskStore.next call ran, each with its EXPLAIN QUERY PLAN. */
  plan: string[];
}

interface CapturedQuery {
  sql: string;
  args: unknown[];
}

type QueryArgs = Parameters<ReturnType<Database["query"]>["all"]>;

/**
 * Runs `work` and returns every statement it ran through `db.query(...)` with its arguments, so
 * the bench times and explains exactly what TaskStore.next runs, not a copy of its SQL.
 */
function captureQueries(db: Database, work: () => void): CapturedQuery[] {
  const calls: CapturedQuery[] = [];
  const original = db.query;
  const recording = (sql: string) => {
    const statement = original.call(db, sql);
    return new Proxy(statement, {
      get(target, property) {
        const value: unknown = Reflect.get(target, property, target);
        if (typeof value !== "function") return value;
        if (property === "all" || property === "get" || property === "values") {
          return (...args: unknown[]) => {
            calls.push({ sql, args });
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        return (value as (...a: unknown[]) => unknown).bind(target);
      },
    });
  };
  db.query = recording as typeof db.query;
  try {
    work();
  } finally {
    db.query = original;
  }
  return calls;
}

async function breakdown(path: string, today: LocalDate, runs: number): Promise<Breakdown> {
  const store = openStore(path, () => new Date());
  try {
    const captured = captureQueries(store.db, () => store.tasks.next(today, NEXT_LIMIT));
    const plan: string[] = [];
    const statements = captured.map(({ sql, args }) => {
      plan.push(`-- ${sql.replace(/\s+/g, " ").trim().slice(0, 90)}…`);
      const explain = store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`);
      for (const row of explain.all(...(args as QueryArgs)) as Array<{ detail: string }>) {
        plan.push(`   ${row.detail}`);
      }
      explain.finalize();
      return { statement: store.db.prepare(sql), args: args as QueryArgs };
    });
    // Only the statements, without turning rows into tasks.
    const sqlOnly = stats(
      await timeRepeated(RPC_WARMUP, runs, () => {
        for (const { statement, args } of statements) statement.all(...args);
      }),
    );
    for (const { statement } of statements) statement.finalize();
    // What the daemon's handler runs, then the reply's encoding and the client's checks.
    const storeNext = stats(
      await timeRepeated(RPC_WARMUP, runs, () => store.tasks.next(today, NEXT_LIMIT)),
    );
    const tasks = store.tasks.next(today, NEXT_LIMIT);
    const envelope = { jsonrpc: "2.0", id: 7, result: tasks };
    const line = JSON.stringify(envelope);
    const encode = stats(await timeRepeated(RPC_WARMUP, runs, () => JSON.stringify(envelope)));
    const decode = stats(await timeRepeated(RPC_WARMUP, runs, () => JSON.parse(line)));
    const schema = methods.next.result;
    const zod = stats(
      await timeRepeated(RPC_WARMUP, runs, () => {
        if (!schema.safeParse(tasks).success) throw new Error("next reply fails its own schema");
      }),
    );
    return { sqlOnly, storeNext, encode, decode, zod, replyBytes: line.length, plan };
  } finally {
    store.close();
  }
}

/** The `next` round trip on a bare socket: no client-side zod, just write a line, wait for one. */
async function rawRoundTrips(socket: string, runs: number): Promise<number[]> {
  let waiting: (() => void) | undefined;
  let buffered = "";
  const conn = await Bun.connect({
    unix: socket,
    socket: {
      data(_socket, chunk) {
        buffered += chunk.toString();
        if (buffered.includes("\n")) {
          buffered = buffered.slice(buffered.lastIndexOf("\n") + 1);
          waiting?.();
        }
      },
    },
  });
  try {
    let id = 0;
    return await timeRepeated(
      RPC_WARMUP,
      runs,
      () =>
        new Promise<void>((resolveReply, reject) => {
          const timer = setTimeout(() => reject(new Error("raw next timed out")), 10_000);
          waiting = () => {
            clearTimeout(timer);
            resolveReply();
          };
          conn.write(
            `${JSON.stringify({ jsonrpc: "2.0", id: ++id, method: "next", params: { limit: NEXT_LIMIT } })}\n`,
          );
        }),
    );
  } finally {
    conn.end();
  }
}

// ---------------------------------------------------------------------------------------------
// One size

interface SizeResult {
  size: number;
  fill: FillResult;
  readyMs: number;
  rpc: Stats;
  raw: Stats;
  cliJson: ProcessStats;
  cliTable: ProcessStats;
  version: ProcessStats;
  rss: { rss: number; peak: number };
  /** The 1-minute load average right after the process runs: how busy the machine was. */
  load: number;
  parts: Breakdown;
}

async function benchSize(size: number, floorP50: number): Promise<SizeResult> {
  const dir = makeTempDir("hb-");
  try {
    const db = join(dir, "heph.db");
    const socket = join(dir, "s.sock");
    const today = localDate(new Date(), Intl.DateTimeFormat().resolvedOptions().timeZone);
    progress(`\n== ${size} tasks: filling ${db}`);
    const fill = fillStore(db, size, today);
    progress(
      `  filled in ${fill.seconds.toFixed(2)} s: ${fill.taskRows} tasks, ${fill.outstanding} outstanding, ${fill.actionable} actionable, ${fill.nodeRows} nodes, ${(fill.dbBytes / 1e6).toFixed(1)} MB`,
    );

    await awaitQuiet(`the ${size}-task runs`);
    const daemon = await startDaemon(hephBinary, dir, db, socket);
    let rpc: Stats;
    let raw: Stats;
    let cliJson: ProcessStats;
    let cliTable: ProcessStats;
    let version: ProcessStats;
    let rss: { rss: number; peak: number };
    let load: number;
    try {
      progress(`  hephd ready after ${daemon.readyMs.toFixed(0)} ms; timing the next RPC`);
      const client = new RpcClient(socket);
      try {
        const first = await client.call("next", { limit: NEXT_LIMIT });
        if (first.length === 0) throw new Error("next returned nothing on a filled store");
        rpc = stats(
          await timeRepeated(RPC_WARMUP, rpcRuns, () => client.call("next", { limit: NEXT_LIMIT })),
        );
      } finally {
        client.close();
      }
      raw = stats(await rawRoundTrips(socket, rpcRuns));
      progress(`  next RPC p50 ${ms(rpc.p50)} ms (bare socket ${ms(raw.p50)} ms); heph next …`);

      const env = hephEnv(dir, socket);
      cliJson = await timeProcessRuns(
        [hephBinary, "next", "--json"],
        env,
        cliRuns,
        ({ stdout }) => {
          const tasks = JSON.parse(stdout) as unknown[];
          if (!Array.isArray(tasks) || tasks.length === 0) throw new Error("heph next --json: []");
        },
      );
      cliTable = await timeProcessRuns([hephBinary, "next"], env, cliRuns, ({ stdout }) => {
        if (!stdout.includes("\n")) throw new Error("heph next printed no table");
      });
      version = await timeProcessRuns([hephBinary, "--version"], env, cliRuns);
      rss = readRssMb(daemon.child.pid);
      load = loadavg()[0] ?? Number.NaN;
      progress(
        `  heph next --json p50 ${ms(cliJson.wall.p50, 1)} ms (CPU ${ms(cliJson.cpu.p50, 1)}), table p50 ${ms(cliTable.wall.p50, 1)} ms, --version p50 ${ms(version.wall.p50, 1)} ms, floor ${ms(floorP50, 1)} ms; RSS ${rss.rss.toFixed(0)} MB`,
      );
    } finally {
      await stopDaemon(daemon);
    }
    const parts = await breakdown(db, today, rpcRuns);
    return {
      size,
      fill,
      readyMs: daemon.readyMs,
      rpc,
      raw,
      cliJson,
      cliTable,
      version,
      rss,
      load,
      parts,
    };
  } finally {
    removeTempDir(dir);
  }
}

// ---------------------------------------------------------------------------------------------
// The floor: a compiled Bun binary that prints one line.

async function buildFloor(dir: string): Promise<string> {
  const source = join(dir, "hello.ts");
  const binary = join(dir, "hello");
  writeFileSync(source, 'console.log("hello");\n');
  const result = Bun.spawnSync(
    [process.execPath, "build", "--compile", "--minify", source, "--outfile", binary],
    { stdout: "ignore", stderr: "pipe" },
  );
  if (result.exitCode !== 0) throw new Error(`building the floor binary failed: ${result.stderr}`);
  return binary;
}

// ---------------------------------------------------------------------------------------------
// Main

const loadText = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(" ");

async function main(sizes: readonly number[]) {
  const binDir = makeTempDir("hb-bin-");
  const results: SizeResult[] = [];
  let floor: ProcessStats;
  let hephVersion: string;
  let binarySource: string;
  try {
    ({ path: hephBinary, source: binarySource, version: hephVersion } = prepareBinary(binDir));
    progress(`heph ${hephVersion} (${binarySource}); load average ${loadText()}`);
    const floorBinary = await buildFloor(binDir);
    await awaitQuiet("the floor runs");
    floor = await timeProcessRuns([floorBinary], { PATH: "/usr/bin:/bin" }, cliRuns);
    progress(`floor (a Bun binary printing one line) p50 ${ms(floor.wall.p50, 1)} ms`);
    for (const size of sizes) results.push(await benchSize(size, floor.wall.p50));
  } finally {
    removeTempDir(binDir);
  }

  const cpu = cpus();
  const lines: string[] = [];
  const out = (text = "") => lines.push(text);
  out(`- Date: ${new Date().toISOString()}`);
  out(
    `- Machine: ${cpu[0]?.model ?? "unknown CPU"}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${process.platform}-${process.arch}`,
  );
  out(`- Bun ${Bun.version}; heph ${hephVersion} (${binarySource})`);
  out(`- Load average (1, 5, 15 min) at the end: ${loadText()}`);
  out(
    `- Runs: next RPC ${RPC_WARMUP} warm-up + ${rpcRuns}; processes ${CLI_WARMUP} warm-up + ${cliRuns}`,
  );
  out();
  out(
    "| size | outstanding | fill s | next RPC p50/p99 ms | heph next p50/p90 ms | floor p50 ms | daemon RSS MB |",
  );
  out("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const r of results) {
    out(
      `| ${r.size} | ${r.fill.outstanding} | ${r.fill.seconds.toFixed(1)} | ${ms(r.rpc.p50)} / ${ms(r.rpc.p99)} | ${ms(r.cliJson.wall.p50, 1)} / ${ms(r.cliJson.wall.p90, 1)} | ${ms(floor.wall.p50, 1)} | ${r.rss.rss.toFixed(0)} |`,
    );
  }
  out();
  out("Details (ms unless noted):");
  out();
  out(
    "| size | actionable | store MB | hephd ready | next RPC p90 / mean | bare-socket next p50 | heph next --json max | heph next client CPU p50 | heph next (table) p50 | heph --version p50 | floor CPU p50 | RSS peak MB | load 1 min |",
  );
  out(
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  );
  for (const r of results) {
    out(
      `| ${r.size} | ${r.fill.actionable} | ${(r.fill.dbBytes / 1e6).toFixed(1)} | ${r.readyMs.toFixed(0)} | ${ms(r.rpc.p90)} / ${ms(r.rpc.mean)} | ${ms(r.raw.p50)} | ${ms(r.cliJson.wall.max, 1)} | ${ms(r.cliJson.cpu.p50, 1)} | ${ms(r.cliTable.wall.p50, 1)} | ${ms(r.version.wall.p50, 1)} | ${ms(floor.cpu.p50, 1)} | ${r.rss.peak.toFixed(0)} | ${r.load.toFixed(2)} |`,
    );
  }
  out();
  out(`Parts of one \`next\` (limit ${NEXT_LIMIT}), in process on the same store, p50 ms:`);
  out();
  out(
    "| size | SQL only (its statements) | store.tasks.next | JSON.stringify reply | JSON.parse reply | zod parse of reply (client) | reply bytes |",
  );
  out("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const r of results) {
    const p = r.parts;
    out(
      `| ${r.size} | ${ms(p.sqlOnly.p50, 3)} | ${ms(p.storeNext.p50, 3)} | ${ms(p.encode.p50, 3)} | ${ms(p.decode.p50, 3)} | ${ms(p.zod.p50, 3)} | ${p.replyBytes} |`,
    );
  }
  const last = results.at(-1);
  if (last) {
    out();
    out(`EXPLAIN QUERY PLAN of each statement one \`next\` runs (${last.size} tasks):`);
    out();
    out("```text");
    for (const row of last.parts.plan) out(row);
    out("```");
  }
  process.stdout.write(`\n${lines.join("\n")}\n`);
}

if (import.meta.main) {
  installCleanup();
  try {
    const sizes = parseFlags(process.argv.slice(2));
    if (sizes === undefined) console.log(USAGE);
    else await main(sizes);
  } catch (error) {
    progress(
      `bench-next: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    process.exitCode = 1;
  } finally {
    cleanUp();
  }
}
