/**
 * Benchmarks full-text search, backlinks and big body writes at several store sizes.
 *   bun scripts/bench-search.ts [--sizes 10000,100000] [--queries 100] [--limit 20]
 *     [--backlinks 100] [--updates 30] [--max-fill-minutes 8] [--analyze-fill]
 *
 * For each size: fills a temp store through openStore (store.nodes.create derives links and
 * re-resolves those waiting for the new title), 10,000 docs a transaction, with bodies of 150–400
 * seeded Zipf-distributed words and 3–6 [[links]] (to any doc, half created later; to hub docs;
 * to missing titles). Times searches in process, then, against the compiled daemon over its
 * unix socket: `search` of 1–3 content words (last one a prefix) and worst cases, `links.back`
 * of random docs, and `node.update` of a 50 KB body with 200 [[links]] (two bodies alternated).
 * Progress goes to stderr, the Markdown report to stdout; measurements, not guarantees. A fill
 * stops after --max-fill-minutes. --analyze-fill runs ANALYZE after 1,000 docs: without
 * statistics SQLite re-resolves links on each create by scanning every wiki link
 * (links_type_dst, not links_target_key), so a fill is O(n²); the statistics are dropped after.
 */

import { Database } from "bun:sqlite";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { RpcClient } from "../src/client/client.ts";
import { SearchStore } from "../src/store/search.ts";
import { openStore } from "../src/store/store.ts";
import type { Binary, Stats } from "./bench-lib.ts";
import * as lib from "./bench-lib.ts";

const { ms, progress, stats, timeEach } = lib;

const WARMUP = 20;
const VOCABULARY = 20_000;
/** Query words come from these Zipf ranks: content words, not "the" or a one-off. */
const QUERY_RANKS: [number, number] = [60, 5_000];
const WORST = ["a", "s", "the", "garden budget"];
const WORST_RUNS = 20;
const FILL_BATCH = 10_000;
const UPDATE_BYTES = 50_000;
const UPDATE_LINKS = 200;
const UPDATE_WARMUP = 4;

const USAGE =
  "Usage: bun scripts/bench-search.ts [--sizes 10000,100000] [--queries 100] [--limit 20] [--backlinks 100] [--updates 30] [--max-fill-minutes 8] [--analyze-fill]";
const { values: flags } = parseArgs({
  args: process.argv.slice(2),
  options: {
    sizes: { type: "string", default: "10000,100000" },
    queries: { type: "string", default: "100" },
    limit: { type: "string", default: "20" },
    backlinks: { type: "string", default: "100" },
    updates: { type: "string", default: "30" },
    "max-fill-minutes": { type: "string", default: "8" },
    "analyze-fill": { type: "boolean", default: false },
    help: { type: "boolean", short: "h" },
  },
  strict: true,
});
if (flags.help) {
  console.log(USAGE);
  process.exit(0);
}
const sizes = flags.sizes.split(",").map((part) => lib.positiveInt(part.trim(), "--sizes", 1e6));
const queryCount = lib.positiveInt(flags.queries, "--queries", 1e5);
const limit = lib.positiveInt(flags.limit, "--limit", 1000);
const backlinkCount = lib.positiveInt(flags.backlinks, "--backlinks", 1e5);
const updateCount = lib.positiveInt(flags.updates, "--updates", 1e4);
const maxFillMs = lib.positiveInt(flags["max-fill-minutes"], "--max-fill-minutes", 600) * 60_000;

class FillStopped extends Error {}

function fillStore(path: string, size: number, words: readonly string[]) {
  const random = lib.prng(size);
  const rank = lib.zipfSampler(words.length, random);
  const word = () => words[rank()] as string;
  // Every title is known up front, so a body can link to a document created after it.
  const titles = Array.from(
    { length: size },
    (_, i) =>
      `${lib.capital(Array.from({ length: 2 + Math.floor(random() * 4) }, word).join(" "))} ${i + 1}`,
  );
  const hubs = Math.max(1, Math.floor(size / 100));
  const link = () => {
    const roll = random();
    if (roll < 0.15) return `[[Missing note ${Math.floor(random() * size)}]]`;
    const title = titles[Math.floor(random() * (roll < 0.4 ? hubs : size))] as string;
    return random() < 0.2 ? `[[${title}|${word()}]]` : `[[${title}]]`;
  };
  let total = 0;
  const body = () => {
    const count = 150 + Math.floor(random() * 251);
    total += count;
    return lib.prose(
      random,
      word,
      count,
      Array.from({ length: 3 + Math.floor(random() * 4) }, link),
    );
  };
  const ids: string[] = [];
  const start = performance.now();
  const store = openStore(path, () => new Date());
  try {
    for (let done = 0; done < size; done += FILL_BATCH) {
      const batchStart = performance.now();
      store.transaction(() => {
        for (let i = done; i < Math.min(size, done + FILL_BATCH); i++) {
          const title = titles[i] as string;
          ids.push(
            store.nodes.create({ kind: "doc", title, body: body(), aliases: [], tags: [] }).id,
          );
          if (i % 1000 !== 999) continue;
          if (flags["analyze-fill"] && i === 999) store.db.run("ANALYZE");
          if (performance.now() - start > maxFillMs) {
            const rate = `${ms((performance.now() - batchStart) / (i + 1 - done))} ms/doc`;
            throw new FillStopped(
              `${size} docs: fill stopped at ${i + 1} after ${maxFillMs / 60_000} min (${rate} in its last batch)`,
            );
          }
        }
      });
      const batchMs = (performance.now() - batchStart) / (ids.length - done);
      const elapsed = (performance.now() - start) / 1000;
      progress(`  ${ids.length} docs in ${elapsed.toFixed(1)} s (${ms(batchMs)} ms/doc)`);
    }
    // The statistics were only there to steer the fill; the daemon gets a store without them.
    if (flags["analyze-fill"]) store.db.run("DROP TABLE IF EXISTS sqlite_stat1");
  } finally {
    store.close();
  }
  const seconds = (performance.now() - start) / 1000;
  const db = new Database(path, { readonly: true });
  try {
    const links = db
      .query("SELECT count(*) AS n, sum(dst IS NULL) AS open FROM links WHERE type = 'wiki'")
      .get() as { n: number; open: number };
    const hub = db
      .query(`SELECT dst AS id, count(*) AS backlinks FROM links WHERE type = 'wiki' AND dst IS NOT NULL
              GROUP BY dst ORDER BY backlinks DESC LIMIT 1`)
      .get() as { id: string; backlinks: number };
    const mb = Bun.file(path).size / 1e6;
    return { seconds, words: total, mb, ids, titles, wiki: links.n, unresolved: links.open, hub };
  } finally {
    db.close();
  }
}

async function benchSize(size: number, words: readonly string[], binary: Binary) {
  const dir = lib.makeTempDir("hbs-");
  try {
    const path = join(dir, "heph.db");
    progress(`== ${size} documents: filling ${path}`);
    const fill = fillStore(path, size, words);
    progress(
      `  filled in ${fill.seconds.toFixed(1)} s: ${fill.words} words, ${fill.wiki} wiki links (${fill.unresolved} unresolved), ${fill.mb.toFixed(1)} MB`,
    );
    const random = lib.prng(size + 1);
    const pick = () => {
      const [lo, hi] = QUERY_RANKS;
      return words[Math.floor(lo * (hi / lo) ** random())] as string; // log-uniform rank
    };
    const makeQueries = (n: number) =>
      Array.from({ length: n }, () =>
        Array.from({ length: 1 + Math.floor(random() * 3) }, pick).join(" "),
      );
    const warmup = makeQueries(WARMUP);
    const queries = makeQueries(queryCount);

    const store = openStore(path, () => new Date());
    let inProcess: Stats;
    try {
      const search = new SearchStore(store.db);
      for (const query of warmup) search.search({ query, limit });
      inProcess = stats(await timeEach(queries, (query) => search.search({ query, limit })));
    } finally {
      store.close();
    }

    const socket = join(dir, "hephd.sock");
    const daemon = await lib.startDaemon(binary.path, dir, path, socket);
    const client = new RpcClient(socket, { timeoutMs: 120_000 });
    try {
      const search = (query: string) => client.call("search", { query, limit });
      for (const query of warmup) await search(query);
      let hits = 0;
      const searchTimes = await timeEach(queries, async (query) => {
        hits += (await search(query)).length;
      });
      progress(`  search p50 ${ms(stats(searchTimes).p50)} ms over RPC`);
      const worst: Array<{ query: string; p50: number; hits: number }> = [];
      for (const query of WORST) {
        const runs = await timeEach(Array<string>(WORST_RUNS).fill(query), search);
        worst.push({ query, p50: stats(runs).p50, hits: (await search(query)).length });
      }

      const back = (id: string) => client.call("links.back", { id });
      const sample = Array.from(
        { length: backlinkCount },
        () => fill.ids[Math.floor(random() * fill.ids.length)] as string,
      );
      for (const id of sample.slice(0, 10)) await back(id);
      let backTotal = 0;
      const backTimes = await timeEach(sample, async (id) => {
        backTotal += (await back(id)).length;
      });
      const hubBack = stats(await timeEach(Array<string>(WORST_RUNS).fill(fill.hub.id), back));

      const rank = lib.zipfSampler(words.length, random);
      const word = () => words[rank()] as string;
      // A quarter of the links name no document.
      const link = () =>
        random() < 0.75
          ? `[[${fill.titles[Math.floor(random() * fill.titles.length)]}]]`
          : `[[Missing page ${Math.floor(random() * 1e9)}]]`;
      const bodies = [0, 1].map(() => lib.linkedText(word, UPDATE_BYTES, UPDATE_LINKS, link));
      const target = fill.ids[Math.floor(random() * fill.ids.length)] as string;
      const update = (body: string) => client.call("node.update", { id: target, body });
      for (let i = 0; i < UPDATE_WARMUP; i++) await update(bodies[i % 2] as string);
      const updateTimes = await timeEach(
        Array.from({ length: updateCount }, (_, i) => bodies[(UPDATE_WARMUP + i) % 2] as string),
        update,
      );
      const out = (await client.call("links.out", { id: target })).filter((l) => l.type === "wiki");
      const updateLinks = { n: out.length, open: out.filter((l) => l.dst === null).length };

      await client.call("node.create", { kind: "doc", title: "CJK", body: "日本語のテキスト" });
      const cjk = {
        start: (await search("日本語")).length,
        middle: (await search("テキスト")).length,
      };
      const result = {
        size,
        fill,
        inProcess,
        search: stats(searchTimes),
        meanHits: hits / queries.length,
        worst,
        back: stats(backTimes),
        meanBack: backTotal / sample.length,
        hubBack,
        update: stats(updateTimes),
        updateKb: Math.max(...bodies.map((b) => Buffer.byteLength(b))) / 1000,
        updateLinks,
        cjk,
        readyMs: daemon.readyMs,
      };
      progress(
        `  links.back p50 ${ms(result.back.p50)} ms; node.update p50 ${ms(result.update.p50)} ms`,
      );
      return result;
    } finally {
      client.close();
      await lib.stopDaemon(daemon);
    }
  } finally {
    lib.removeTempDir(dir);
  }
}

async function main() {
  lib.installCleanup();
  const words = lib.vocabulary(lib.prng(42), VOCABULARY);
  const binDir = lib.makeTempDir("hbs-bin-");
  const results: Array<Awaited<ReturnType<typeof benchSize>>> = [];
  const stopped: string[] = [];
  let binary: Binary;
  try {
    binary = lib.prepareBinary(binDir);
    progress(`heph ${binary.version} (${binary.source})`);
    for (const size of sizes) {
      try {
        results.push(await benchSize(size, words, binary));
      } catch (error) {
        if (!(error instanceof FillStopped)) throw error;
        progress(`  ${error.message}`);
        stopped.push(error.message);
      }
    }
  } finally {
    lib.removeTempDir(binDir);
  }
  const first = results[0];
  const lines = [
    ...lib.machineLines(),
    `- heph ${binary.version} (${binary.source}); hephd --mode local, one RpcClient connection`,
    `- Fill: openStore, store.nodes.create, ${FILL_BATCH} docs a transaction${flags["analyze-fill"] ? "; --analyze-fill (ANALYZE after the first 1000 docs, statistics dropped before measuring)" : ""}`,
    `- search: ${queryCount} queries of 1–3 words (Zipf ranks ${QUERY_RANKS.join("–")} of ${VOCABULARY}), limit ${limit}, after ${WARMUP} warm-up`,
    `- links.back: ${backlinkCount} random documents; node.update: ${updateCount} writes of a ${ms(first?.updateKb ?? Number.NaN, 1)} KB body with ${UPDATE_LINKS} [[links]] (${first?.updateLinks.open} of them unresolved), after ${UPDATE_WARMUP} warm-up`,
    "",
    "| docs | store MB | fill s (ms/doc) | wiki links (unresolved) | search p50 / p90 / p99 ms | links.back p50 / p99 ms | node.update p50 / p99 ms |",
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...results.map(
      (r) =>
        `| ${r.size} | ${r.fill.mb.toFixed(1)} | ${r.fill.seconds.toFixed(1)} (${ms((r.fill.seconds * 1000) / r.size)}) | ${r.fill.wiki} (${r.fill.unresolved}) | ${ms(r.search.p50)} / ${ms(r.search.p90)} / ${ms(r.search.p99)} | ${ms(r.back.p50)} / ${ms(r.back.p99)} | ${ms(r.update.p50)} / ${ms(r.update.p99)} |`,
    ),
    "",
    `Details (ms; worst cases are the p50 of ${WORST_RUNS} calls over RPC, with their hit count; one letter is a prefix matching most documents):`,
    "",
    `| docs | search in process p50 | mean hits | ${WORST.map((q) => `\`${q}\``).join(" | ")} | links.back mean rows | links.back of the most-linked doc p50 (rows) | hephd ready |`,
    `| ---: | ---: | ---: |${WORST.map(() => " ---: |").join("")} ---: | ---: | ---: |`,
    ...results.map(
      (r) =>
        `| ${r.size} | ${ms(r.inProcess.p50)} | ${r.meanHits.toFixed(1)} | ${r.worst.map((w) => `${ms(w.p50)} (${w.hits})`).join(" | ")} | ${r.meanBack.toFixed(1)} | ${ms(r.hubBack.p50)} (${r.fill.hub.backlinks}) | ${r.readyMs.toFixed(0)} |`,
    ),
    "",
    `CJK: a doc with the body 日本語のテキスト is found by \`日本語\` (${first?.cjk.start} hit) and not by \`テキスト\` (${first?.cjk.middle} hits): a CJK run is one token, matched from its start.`,
    ...stopped.map((line) => `\nNot measured: ${line}.`),
  ];
  process.stdout.write(`\n${lines.join("\n")}\n`);
}

await main();
