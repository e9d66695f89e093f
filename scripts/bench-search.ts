/**
 * Benchmarks full-text search (SearchStore.search, in process) at several store sizes.
 *   bun scripts/bench-search.ts [--sizes 10000,100000] [--queries 100] [--limit 20]
 *
 * For each size: fills a fresh temp store (1,000 documents a transaction) with documents whose
 * bodies are 150–400 words drawn from a seeded Zipf-distributed vocabulary (common English
 * words, then made-up words for the long tail), some with [[links]] to other titles; then times
 * --queries searches of 1–3 content words (the last one a prefix, as toFtsQuery makes it), after
 * a warm-up, and a few worst cases: one-letter prefixes and a very common word. Progress goes to
 * stderr; the Markdown report to stdout. Results are measurements, not guarantees.
 */

import { Database } from "bun:sqlite";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createIdFactory } from "../src/core/ids.ts";
import { NodeStore } from "../src/store/nodes.ts";
import { SearchStore } from "../src/store/search.ts";
import { openStore } from "../src/store/store.ts";

const WARMUP = 20;
const VOCABULARY = 20_000;
/** Query words come from these Zipf ranks: content words, not "the" or a one-off. */
const QUERY_RANKS: [number, number] = [60, 5_000];

const { values: flags } = parseArgs({
  args: process.argv.slice(2),
  options: {
    sizes: { type: "string", default: "10000,100000" },
    queries: { type: "string", default: "100" },
    limit: { type: "string", default: "20" },
    help: { type: "boolean", short: "h" },
  },
  strict: true,
});
if (flags.help) {
  console.log(
    "Usage: bun scripts/bench-search.ts [--sizes 10000,100000] [--queries 100] [--limit 20]",
  );
  process.exit(0);
}

function positiveInt(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${flag} takes a whole number ≥ 1`);
  return value;
}
const sizes = flags.sizes.split(",").map((part) => positiveInt(part.trim(), "--sizes"));
const queryCount = positiveInt(flags.queries, "--queries");
const limit = positiveInt(flags.limit, "--limit");

const tempDirs = new Set<string>();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
    process.exit(signal === "SIGINT" ? 130 : 143);
  });
}

const progress = (text: string) => process.stderr.write(`${text}\n`);

/** Deterministic PRNG (mulberry32), so every run fills the same store for a size. */
function prng(seed: number): () => number {
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

/** COMMON, then made-up words, as many as VOCABULARY, in Zipf rank order. */
function vocabulary(random: () => number): string[] {
  const words = [...new Set(COMMON)];
  const seen = new Set(words);
  while (words.length < VOCABULARY) {
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
function zipfSampler(n: number, random: () => number): () => number {
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

interface Fill {
  seconds: number;
  words: number;
  mb: number;
}

const FILL_BATCH = 1_000;

function fillStore(path: string, size: number, words: readonly string[]): Fill {
  const random = prng(size);
  const rank = zipfSampler(words.length, random);
  const word = () => words[rank()] as string;
  const titles: string[] = [];
  let total = 0;
  const sentence = () => {
    const length = 6 + Math.floor(random() * 15);
    const parts = Array.from({ length }, word);
    if (titles.length > 0 && random() < 0.06) {
      parts[Math.floor(random() * length)] = `[[${titles[Math.floor(random() * titles.length)]}]]`;
    }
    total += length;
    const text = parts.join(" ");
    return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
  };
  const doc = (n: number) => {
    const titleWords = Array.from({ length: 2 + Math.floor(random() * 5) }, word).join(" ");
    const title = `${titleWords.charAt(0).toUpperCase()}${titleWords.slice(1)} ${n}`;
    const target = total + 150 + Math.floor(random() * 251);
    const paragraphs: string[] = [];
    while (total < target) paragraphs.push(Array.from({ length: 4 }, sentence).join(" "));
    if (titles.length < 2_000) titles.push(title);
    return { kind: "doc" as const, title, body: paragraphs.join("\n\n"), aliases: [], tags: [] };
  };
  const start = performance.now();
  const store = openStore(path, () => new Date());
  try {
    // Bodies keep their [[links]] as text, but the fill skips deriving the link index (a
    // NodeStore without a LinkStore): link resolution is not what this measures, and its
    // per-create rescan of unresolved links makes a fill of n documents take O(n²).
    const nodes = new NodeStore(store.db, () => new Date(), createIdFactory());
    // In batches: one transaction of 100k documents spills the page cache.
    for (let done = 0; done < size; done += FILL_BATCH) {
      store.transaction(() => {
        for (let i = done; i < Math.min(size, done + FILL_BATCH); i++) nodes.create(doc(i + 1));
      });
    }
  } finally {
    store.close();
  }
  return {
    seconds: (performance.now() - start) / 1000,
    words: total,
    mb: Bun.file(path).size / 1e6,
  };
}

interface Stats {
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

function stats(samples: readonly number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length))) - 1] ?? Number.NaN;
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted.at(-1) ?? Number.NaN };
}

function timeQueries(
  search: SearchStore,
  queries: readonly string[],
): { times: number[]; hits: number } {
  const times: number[] = [];
  let hits = 0;
  for (const query of queries) {
    const start = performance.now();
    hits += search.search({ query, limit }).length;
    times.push(performance.now() - start);
  }
  return { times, hits: hits / queries.length };
}

interface Result {
  size: number;
  fill: Fill;
  typical: Stats;
  meanHits: number;
  worst: Array<{ query: string; p50: number }>;
}

function benchSize(size: number, words: readonly string[]): Result {
  const dir = mkdtempSync(join(tmpdir(), "heph-bench-search-"));
  tempDirs.add(dir);
  try {
    const path = join(dir, "heph.db");
    progress(`== ${size} documents: filling ${path}`);
    const fill = fillStore(path, size, words);
    progress(
      `  filled in ${fill.seconds.toFixed(1)} s: ${fill.words} words, ${fill.mb.toFixed(1)} MB`,
    );
    const random = prng(size + 1);
    const pick = () => {
      const [lo, hi] = QUERY_RANKS;
      return words[Math.floor(lo * (hi / lo) ** random())] as string; // log-uniform rank
    };
    const makeQueries = (n: number) =>
      Array.from({ length: n }, () =>
        Array.from({ length: 1 + Math.floor(random() * 3) }, pick).join(" "),
      );
    const store = openStore(path, () => new Date());
    try {
      const search = new SearchStore(store.db);
      timeQueries(search, makeQueries(WARMUP));
      const { times, hits } = timeQueries(search, makeQueries(queryCount));
      const typical = stats(times);
      progress(
        `  search p50 ${typical.p50.toFixed(2)} ms, p99 ${typical.p99.toFixed(2)} ms, ${hits.toFixed(1)} hits`,
      );
      const worst = ["a", "s", "the", "garden budget"].map((query) => {
        const runs = timeQueries(
          search,
          Array.from({ length: 20 }, () => query),
        ).times;
        return { query, p50: stats(runs).p50 };
      });
      return { size, fill, typical, meanHits: hits, worst };
    } finally {
      store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    tempDirs.delete(dir);
  }
}

const words = vocabulary(prng(42));
const results = sizes.map((size) => benchSize(size, words));
const cpu = cpus();
const ms = (value: number) => value.toFixed(2);
const lines = [
  `- Date: ${new Date().toISOString()}`,
  `- Machine: ${cpu[0]?.model ?? "unknown CPU"}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${process.platform}-${process.arch}`,
  `- Bun ${Bun.version}; SQLite ${sqliteVersion() ?? "?"}`,
  `- ${queryCount} queries of 1–3 words (Zipf ranks ${QUERY_RANKS.join("–")} of ${VOCABULARY}), limit ${limit}, after ${WARMUP} warm-up`,
  "",
  "| docs | words | store MB | fill s | search p50 ms | p90 | p99 | max | mean hits |",
  "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ...results.map(
    (r) =>
      `| ${r.size} | ${r.fill.words} | ${r.fill.mb.toFixed(1)} | ${r.fill.seconds.toFixed(1)} | ${ms(r.typical.p50)} | ${ms(r.typical.p90)} | ${ms(r.typical.p99)} | ${ms(r.typical.max)} | ${r.meanHits.toFixed(1)} |`,
  ),
  "",
  "Worst cases (p50 ms of 20 runs; one letter is a prefix matching most documents):",
  "",
  `| docs | ${results[0]?.worst.map((w) => `\`${w.query}\``).join(" | ")} |`,
  `| ---: |${results[0]?.worst.map(() => " ---: |").join("")}`,
  ...results.map((r) => `| ${r.size} | ${r.worst.map((w) => ms(w.p50)).join(" | ")} |`),
];
process.stdout.write(`\n${lines.join("\n")}\n`);

function sqliteVersion(): string | undefined {
  const db = new Database(":memory:");
  try {
    return (db.query("SELECT sqlite_version() AS v").get() as { v: string } | null)?.v;
  } finally {
    db.close();
  }
}
