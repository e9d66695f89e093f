/**
 * Sync on loopback, with the compiled binary: a hub whose store holds N nodes (docs with ~2 KB
 * bodies) and two empty spokes. Measures the hub's first start as a hub (every node gets its
 * engine document), the initial sync of the whole store to each empty spoke, and incremental
 * syncs of 100 changes made on one spoke (its push, then the other's pull, end to end), plus
 * how long one change takes to reach the other spoke by itself (debounced push, long-poll).
 * RSS of hub and spokes is read from /proc. Prints a Markdown section.
 *
 *   bun scripts/bench-sync.ts [--nodes 100000] [--changes 100] [--runs 5]
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { RpcClient } from "../src/client/client.ts";
import {
  installCleanup,
  machineLines,
  makeTempDir,
  ms,
  positiveFlag,
  prepareBinary,
  prng,
  progress,
  prose,
  readRssMb,
  removeTempDir,
  startDaemon,
  stats,
  stopDaemon,
  vocabulary,
} from "./bench-lib.ts";

const nodes = positiveFlag("nodes", 100_000);
const changes = positiveFlag("changes", 100);
const runs = positiveFlag("runs", 5);

installCleanup();
const dir = makeTempDir("heph-bench-sync-");
const binary = prepareBinary(dir);
const random = prng(nodes);
const words = vocabulary(random, 3000);
const word = () => words[Math.floor(random() * words.length)] as string;

const client = (socket: string) => new RpcClient(socket, { timeoutMs: 3_600_000 });
const seconds = (value: number) => `${(value / 1000).toFixed(1)} s`;

// 1. The store, filled by a plain local daemon through import.apply (as an import would).
const hubDb = join(dir, "hub.db");
const hubSocket = join(dir, "hub.sock");
progress(`filling a store with ${nodes} docs (~2 KB each)`);
let daemon = await startDaemon(binary.path, dir, hubDb, hubSocket);
const rpc = client(hubSocket);
for (let start = 0; start < nodes; start += 1000) {
  const items = Array.from({ length: Math.min(1000, nodes - start) }, (_, i) => ({
    kind: "doc",
    key: `n${start + i}`,
    hash: `h${start + i}`,
    title: `Note ${start + i}`,
    body: prose(random, word, 330, []),
  }));
  await rpc.call("import.apply", { source: "obsidian", items });
}
rpc.close();
await stopDaemon(daemon);

// 2. The same store started as a hub: the first start gives every node its document.
progress("starting it as a hub (first start: engine documents for every node)");
daemon = await startDaemon(binary.path, dir, hubDb, hubSocket, [
  "--mode",
  "server",
  "--http-addr",
  "127.0.0.1:0",
]);
const hubFirstStartMs = daemon.readyMs;
const hub = client(hubSocket);
const hubUrl = (await hub.call("daemon.info", {})).http_url as string;
const hubRssAfterStart = readRssMb(daemon.child.pid);

const spokes: Array<{
  name: string;
  rpc: RpcClient;
  pid: number;
  initialMs: number;
  process: Awaited<ReturnType<typeof startDaemon>>;
}> = [];
for (const name of ["a", "b"]) {
  const token = (await hub.call("hub.token.create", { name })).token;
  const tokenFile = join(dir, `${name}.token`);
  writeFileSync(tokenFile, token, { mode: 0o600 });
  const socket = join(dir, `${name}.sock`);
  const spoke = await startDaemon(binary.path, dir, join(dir, `${name}.db`), socket, [
    "--hub-url",
    hubUrl,
    "--hub-token-file",
    tokenFile,
  ]);
  const rpcSpoke = client(socket);
  progress(`initial sync of ${nodes} nodes to empty spoke ${name}`);
  const start = performance.now();
  await rpcSpoke.call("sync.now", {});
  const initialMs = performance.now() - start;
  spokes.push({ name, rpc: rpcSpoke, pid: spoke.child.pid, initialMs, process: spoke });
}
const [a, b] = spokes as [(typeof spokes)[0], (typeof spokes)[0]];
const check = await b.rpc.call("node.find", { ref: `Note ${nodes - 1}` });
if (check.title !== `Note ${nodes - 1}`) throw new Error("spoke b is missing the last node");

// 3. Incremental: `changes` edits on a, then a's push and b's pull, timed end to end.
const ids: string[] = [];
let after: string | null = null;
while (ids.length < changes * runs) {
  const page: { nodes: Array<{ id: string }>; next_after: string | null } = await a.rpc.call(
    "export",
    { after, limit: 1000 },
  );
  ids.push(...page.nodes.map((node) => node.id));
  if (page.next_after === null) break;
  after = page.next_after;
}
const pushPull: number[] = [];
const pushOnly: number[] = [];
const latency: number[] = [];
for (let run = 0; run < runs; run++) {
  // Settle first, so the measured exchange carries exactly these changes.
  await a.rpc.call("sync.now", {});
  await b.rpc.call("sync.now", {});
  const batch = ids.slice(run * changes, (run + 1) * changes);
  for (const id of batch)
    await a.rpc.call("node.update", { id, title: `Edited ${run} ${id.slice(-6)}` });
  const start = performance.now();
  await a.rpc.call("sync.now", {});
  const pushed = performance.now();
  await b.rpc.call("sync.now", {});
  const end = performance.now();
  pushOnly.push(pushed - start);
  pushPull.push(end - start);
  const last = batch.at(-1) as string;
  const seen = await b.rpc.call("node.get", { id: last });
  if (!seen.title.startsWith(`Edited ${run}`)) throw new Error("spoke b did not get the changes");
  // One change, left to the daemons: debounced push (200 ms), the hub's long-poll wakes b.
  const marker = `Latency ${run}`;
  const t0 = performance.now();
  await a.rpc.call("node.update", { id: last, title: marker });
  for (;;) {
    if ((await b.rpc.call("node.get", { id: last })).title === marker) break;
    await Bun.sleep(2);
  }
  latency.push(performance.now() - t0);
}

const hubRss = readRssMb(daemon.child.pid);
const rssA = readRssMb(a.pid);
const pp = stats(pushPull);
const po = stats(pushOnly);
const lat = stats(latency);
const lines = [
  `#### Sync on loopback: ${nodes.toLocaleString("en")} nodes (docs, ~2 KB bodies), ${changes} changes × ${runs} runs`,
  "",
  ...machineLines(),
  `- heph ${binary.version} (${binary.source})`,
  "",
  "| measure | figure |",
  "| --- | ---: |",
  `| hub's first start on the filled store (documents for every node), until it answers | ${seconds(hubFirstStartMs)} |`,
  `| hub RSS after that start (peak) | ${hubRssAfterStart.rss.toFixed(0)} MB (${hubRssAfterStart.peak.toFixed(0)} MB) |`,
  ...spokes.map(
    (s) =>
      `| initial sync of the whole store to empty spoke ${s.name} (sync.now) | ${seconds(s.initialMs)} |`,
  ),
  `| incremental: ${changes} changes, a's push then b's pull (median, p90) | ${ms(pp.p50, 1)} ms, ${ms(pp.p90, 1)} ms |`,
  `| of which a's push (median) | ${ms(po.p50, 1)} ms |`,
  `| one change reaching b by itself (debounce 200 ms + long-poll; median, max) | ${ms(lat.p50, 0)} ms, ${ms(lat.max, 0)} ms |`,
  `| hub RSS at the end (peak) | ${hubRss.rss.toFixed(0)} MB (${hubRss.peak.toFixed(0)} MB) |`,
  `| spoke a RSS at the end (peak) | ${rssA.rss.toFixed(0)} MB (${rssA.peak.toFixed(0)} MB) |`,
];
console.log(lines.join("\n"));

hub.close();
for (const spoke of spokes) {
  spoke.rpc.close();
  await stopDaemon(spoke.process);
}
await stopDaemon(daemon);
removeTempDir(dir);
process.exit(0);
