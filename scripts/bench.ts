/**
 * Throughput, latency, start-up and memory of hephd, then heph beside Taskwarrior (results:
 * docs/benchmarks.md, "Throughput, start-up, memory and Taskwarrior").
 *   bun scripts/bench.ts [--seconds S] [--cli-sizes 1000,10000,100000] [--cli-runs N]
 *                        [--tw-sets 10000/10000,100000/20000] [--tw-runs N] [--rss-size N]
 * --tw-sets lists TASKS/OUTSTANDING data sets for the Taskwarrior comparison. When `task` is
 * missing and apt-get can run (as root), the script installs Debian's taskwarrior first.
 *
 * Stores are filled directly (openStore), the daemon under test is a copy of dist/heph in a
 * temp dir, every daemon started is stopped with SIGTERM and every temp dir removed. Progress
 * goes to stderr, the Markdown report to stdout. These are measurements, not guarantees.
 */

import { cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { RpcClient } from "../src/client/client.ts";
import { localDate } from "../src/core/dates.ts";
import {
  cleanUp,
  type Daemon,
  installCleanup,
  makeTempDir,
  ms,
  percentile,
  positiveInt,
  prepareBinary,
  progress,
  readRssMb,
  removeTempDir,
  startDaemon,
  stopDaemon,
  taskwarriorVersion,
} from "./bench-lib.ts";
import { fillStore } from "./bench-next.ts";

/** The binary under test: a copy in a temp dir, set by main() (bench-lib's prepareBinary). */
export let hephBinary = "";
/** The Markdown report; every section appends to it. */
export const out: string[] = [];

/** hephd from the binary under test on `db`, its socket in `dir`. */
export function startHephd(dir: string, db: string): Promise<Daemon> {
  return startDaemon(hephBinary, dir, db, join(dir, "s.sock"));
}

// ---------------------------------------------------------------------------------------------
// A bare pipelined connection: keeps `depth` requests in flight, one JSON line each.

async function pipelined(
  socket: string,
  line: (id: number) => string,
  depth: number,
  until: { ms?: number; count?: number },
): Promise<{ done: number; latencies: number[]; ms: number }> {
  const sent = new Map<number, number>();
  const latencies: number[] = [];
  let nextId = 1;
  let buffered = "";
  let finish: (() => void) | undefined;
  const finished = new Promise<void>((resolveDone) => {
    finish = resolveDone;
  });
  const start = performance.now();
  const stopAt = start + (until.ms ?? 600_000);
  const more = () =>
    performance.now() < stopAt && (until.count === undefined || nextId <= until.count);
  const conn = await Bun.connect({
    unix: socket,
    socket: {
      data(s, chunk) {
        buffered += chunk.toString();
        let newline = buffered.indexOf("\n");
        let batch = "";
        while (newline >= 0) {
          const reply = JSON.parse(buffered.slice(0, newline)) as { id: number; error?: unknown };
          buffered = buffered.slice(newline + 1);
          if (reply.error) throw new Error(`RPC error: ${JSON.stringify(reply.error)}`);
          latencies.push(performance.now() - (sent.get(reply.id) as number));
          sent.delete(reply.id);
          if (more()) {
            sent.set(nextId, performance.now());
            batch += line(nextId++);
          }
          newline = buffered.indexOf("\n");
        }
        if (batch) s.write(batch);
        if (sent.size === 0) finish?.();
      },
      close() {
        finish?.();
      },
    },
  });
  let first = "";
  for (let i = 0; i < depth && more(); i++) {
    sent.set(nextId, performance.now());
    first += line(nextId++);
  }
  conn.write(first);
  await finished;
  const ms = performance.now() - start;
  conn.end();
  return { done: latencies.length, latencies, ms };
}

const rpcLine = (method: string, params: object) => (id: number) =>
  `${JSON.stringify({ jsonrpc: "2.0", id, method, params })}\n`;

// ---------------------------------------------------------------------------------------------

async function main() {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      seconds: { type: "string", default: "2" },
      "cli-sizes": { type: "string", default: "1000,10000,100000" },
      "cli-runs": { type: "string", default: "21" },
      "tw-sets": { type: "string", default: "10000/10000,100000/20000" },
      "tw-runs": { type: "string", default: "11" },
      "rss-size": { type: "string", default: "100000" },
    },
  });
  const seconds = Number(values.seconds);
  const rssSize = Number(values["rss-size"]);
  const today = localDate(new Date(), Intl.DateTimeFormat().resolvedOptions().timeZone);
  const binary = prepareBinary(makeTempDir("hb-"));
  hephBinary = binary.path;
  const tw = taskwarriorVersion();
  const cpu = cpus()[0]?.model ?? "?";
  out.push(`- Date: ${new Date().toISOString()}`);
  out.push(`- Machine: ${cpu}, ${cpus().length} cores, ${ms(totalmem() / 2 ** 30, 1)} GiB RAM`);
  out.push(
    `- Bun ${Bun.version}; heph ${binary.version} (${binary.source}); Taskwarrior ${tw.stdout.toString().trim()}`,
  );
  out.push(`- 1-minute load average at start: ${ms(loadavg()[0] ?? 0, 2)}`, "");

  // 1. Throughput and latency on a 10k store.
  progress("filling a 10k store");
  const dir10k = makeTempDir("hb10k-");
  const db10k = join(dir10k, "heph.db");
  fillStore(db10k, 10_000, today);
  let daemon = await startHephd(dir10k, db10k);
  out.push("### RPC throughput and latency (10,000 tasks, bare pipelined sockets)", "");
  out.push("| method | connections | in flight each | requests/s | p50 ms | p99 ms |");
  out.push("| --- | ---: | ---: | ---: | ---: | ---: |");
  const configs: Array<[string, object, number, number]> = [
    ["daemon.info", {}, 1, 64],
    ["daemon.info", {}, 1, 8],
    ["daemon.info", {}, 8, 8],
    ["daemon.info", {}, 32, 8],
    ["next", { limit: 20 }, 1, 8],
    ["next", { limit: 20 }, 8, 8],
    ["next", { limit: 20 }, 32, 8],
  ];
  for (const [method, params, connections, depth] of configs) {
    progress(`  ${method} × ${connections} connections`);
    const line = rpcLine(method, params);
    await pipelined(daemon.socket, line, depth, { ms: 300 }); // warm-up
    const start = performance.now();
    const runs = await Promise.all(
      Array.from({ length: connections }, () =>
        pipelined(daemon.socket, line, depth, { ms: seconds * 1000 }),
      ),
    );
    const wall = performance.now() - start;
    const all = runs.flatMap((r) => r.latencies);
    const rate = all.length / (wall / 1000);
    out.push(
      `| ${method} | ${connections} | ${depth} | ${Math.round(rate)} | ${ms(percentile(all, 50), 2)} | ${ms(percentile(all, 99), 2)} |`,
    );
  }
  out.push("");

  // 2. Durable task.create over one connection.
  progress("task.create");
  const client = new RpcClient(daemon.socket);
  const seqCount = 300;
  const start = performance.now();
  for (let i = 0; i < seqCount; i++) await client.call("task.create", { title: `bench ${i}` });
  const seqRate = seqCount / ((performance.now() - start) / 1000);
  client.close();
  const pipeCount = 2000;
  const piped = await pipelined(daemon.socket, rpcLine("task.create", { title: "bench" }), 32, {
    count: pipeCount,
  });
  out.push("### Durable `task.create` over one connection (10,000-task store)", "");
  out.push("| mode | tasks | tasks/s | p50 ms | p99 ms |", "| --- | ---: | ---: | ---: | ---: |");
  out.push(
    `| sequential (RpcClient, each awaited) | ${seqCount} | ${Math.round(seqRate)} | – | – |`,
  );
  out.push(
    `| pipelined (bare socket, 32 in flight) | ${piped.done} | ${Math.round(piped.done / (piped.ms / 1000))} | ${ms(percentile(piped.latencies, 50), 2)} | ${ms(percentile(piped.latencies, 99), 2)} |`,
    "",
  );
  await stopDaemon(daemon);

  // 3. Cold start until daemon.info answers.
  progress("cold starts");
  const coldEmpty: number[] = [];
  const coldFull: number[] = [];
  for (let i = 0; i < 10; i++) {
    const empty = makeTempDir("hbe-");
    daemon = await startHephd(empty, join(empty, "heph.db"));
    coldEmpty.push(daemon.readyMs);
    await stopDaemon(daemon);
    removeTempDir(empty);
    daemon = await startHephd(dir10k, db10k);
    coldFull.push(daemon.readyMs);
    await stopDaemon(daemon);
  }
  removeTempDir(dir10k);
  out.push("### Cold start until the socket answers `daemon.info` (10 runs each)", "");
  out.push("| store | p50 ms | max ms |", "| --- | ---: | ---: |");
  out.push(
    `| empty (new file, created and migrated) | ${ms(percentile(coldEmpty, 50), 1)} | ${ms(Math.max(...coldEmpty), 1)} |`,
  );
  out.push(
    `| 10,000 tasks | ${ms(percentile(coldFull, 50), 1)} | ${ms(Math.max(...coldFull), 1)} |`,
    "",
  );

  // 4. RSS idle and on a big store.
  progress("RSS");
  const idleDir = makeTempDir("hbi-");
  daemon = await startHephd(idleDir, join(idleDir, "heph.db"));
  await Bun.sleep(1000);
  const idle = readRssMb(daemon.child.pid).rss;
  await stopDaemon(daemon);
  removeTempDir(idleDir);
  progress(`  filling a ${rssSize} store`);
  const bigDir = makeTempDir("hbb-");
  fillStore(join(bigDir, "heph.db"), rssSize, today);
  daemon = await startHephd(bigDir, join(bigDir, "heph.db"));
  const bigStart = readRssMb(daemon.child.pid).rss;
  const big = new RpcClient(daemon.socket);
  for (let i = 0; i < 20; i++) await big.call("next", { limit: 20 });
  big.close();
  const bigAfter = readRssMb(daemon.child.pid).rss;
  await stopDaemon(daemon);
  removeTempDir(bigDir);
  out.push("### Daemon memory (VmRSS)", "", "| state | RSS MB |", "| --- | ---: |");
  out.push(`| idle, fresh empty store (1 s after ready) | ${ms(idle, 1)} |`);
  out.push(`| ${rssSize.toLocaleString("en")}-task store, just ready | ${ms(bigStart, 1)} |`);
  out.push(
    `| ${rssSize.toLocaleString("en")}-task store, after 20 \`next\` calls | ${ms(bigAfter, 1)} |`,
    "",
  );

  // 5. heph commands as whole processes.
  const { cliSection } = await import("./bench-cli.ts");
  await cliSection(
    values["cli-sizes"].split(",").map((size) => positiveInt(size, "--cli-sizes")),
    positiveInt(values["cli-runs"], "--cli-runs", 1000),
    today,
  );

  // 6. Taskwarrior, side by side.
  if (tw.exitCode === 0) {
    const { parseTaskSets, taskwarriorSection } = await import("./bench-taskwarrior.ts");
    await taskwarriorSection(parseTaskSets(values["tw-sets"]), Number(values["tw-runs"]), today);
  } else out.push("Taskwarrior is not installed (`task --version` failed): section skipped.");
  process.stdout.write(`\n${out.join("\n")}\n`);
}

if (import.meta.main) {
  installCleanup();
  try {
    await main();
  } catch (error) {
    progress(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  } finally {
    cleanUp();
  }
}
