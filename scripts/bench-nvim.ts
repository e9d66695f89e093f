/**
 * heph.nvim on a big store: following a [[link]] (node.resolve, then reading the target into a
 * new buffer) and [[ completion (node.complete, as the omnifunc asks), timed inside a real
 * Neovim against the compiled hephd.
 *   bun scripts/bench-nvim.ts [--docs 100000] [--follows 200] [--queries 200]
 *
 * Fills a temp store through openStore with --docs docs (titles of 2–4 seeded Zipf words and a
 * number, one in ten with an alias, short bodies with two [[links]] to earlier docs), 10,000 a
 * transaction, with ANALYZE after the first 1,000 (as bench-search --analyze-fill). One source
 * doc holds one link per line to random docs. scripts/bench-nvim.lua runs in
 * `nvim --headless -u NONE` with the plugin on the runtimepath and prints each duration.
 * Progress goes to stderr, the Markdown report to stdout; measurements, not guarantees.
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { openStore } from "../src/store/store.ts";
import { headlessNvim } from "../test/helpers/nvim.ts";
import * as lib from "./bench-lib.ts";

const { ms, progress, stats } = lib;
const WARMUP = 10;
const FILL_BATCH = 10_000;

const { values: flags } = parseArgs({
  args: process.argv.slice(2),
  options: {
    docs: { type: "string", default: "100000" },
    follows: { type: "string", default: "200" },
    queries: { type: "string", default: "200" },
  },
  strict: true,
});
const docCount = lib.positiveInt(flags.docs, "--docs", 1e6);
const followCount = lib.positiveInt(flags.follows, "--follows", 1e4);
const queryCount = lib.positiveInt(flags.queries, "--queries", 1e4);

function fill(path: string, words: readonly string[]) {
  const random = lib.prng(docCount);
  const rank = lib.zipfSampler(words.length, random);
  const word = () => words[rank()] as string;
  const titles: string[] = [];
  const aliases: string[] = [];
  const store = openStore(path, () => new Date());
  const started = performance.now();
  try {
    for (let done = 0; done < docCount; done += FILL_BATCH) {
      store.transaction(() => {
        for (let i = done; i < Math.min(docCount, done + FILL_BATCH); i++) {
          const title = `${lib.capital(Array.from({ length: 2 + Math.floor(random() * 3) }, word).join(" "))} ${i + 1}`;
          const alias = random() < 0.1 ? [`${word()} ${word()} alias ${i + 1}`] : [];
          const link = () =>
            titles.length > 0 ? `[[${titles[Math.floor(random() * titles.length)]}]]` : "";
          const body = `${lib.capital(Array.from({ length: 12 }, word).join(" "))}. See ${link()} and ${link()}.\n`;
          store.nodes.create({ kind: "doc", title, body, aliases: alias, tags: [] });
          titles.push(title);
          aliases.push(...alias);
          if (i === 999) store.db.run("ANALYZE");
        }
      });
      progress(`  ${titles.length} docs in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    store.db.run("DROP TABLE IF EXISTS sqlite_stat1");
    const targets = Array.from(
      { length: followCount + WARMUP },
      () => titles[Math.floor(random() * titles.length)] as string,
    );
    const source = store.transaction(() =>
      store.nodes.create({
        kind: "doc",
        title: "Bench source",
        body: `${targets.map((title) => `- [[${title}]]`).join("\n")}\n`,
        aliases: [],
        tags: [],
      }),
    );
    // What a user types after [[: 1–6 letters of a title's words or an alias.
    const queries = Array.from({ length: queryCount + WARMUP }, (_, i) => {
      const from = i % 4 === 3 && aliases.length > 0 ? aliases : titles;
      const text = from[Math.floor(random() * from.length)] as string;
      const words = text.split(" ");
      const start = i % 2 === 0 ? 0 : Math.floor(random() * words.length);
      return words
        .slice(start)
        .join(" ")
        .slice(0, 1 + Math.floor(random() * 6));
    });
    return { source: source.id, targets, queries, seconds: (performance.now() - started) / 1000 };
  } finally {
    store.close();
  }
}

async function main() {
  lib.installCleanup();
  const dir = lib.makeTempDir("hbn-");
  try {
    const binary = lib.prepareBinary(dir);
    const db = join(dir, "heph.db");
    progress(`heph ${binary.version}; filling ${docCount} docs into ${db}`);
    const plan = fill(db, lib.vocabulary(lib.prng(42), 20_000));
    const planPath = join(dir, "plan.json");
    await Bun.write(planPath, JSON.stringify({ ...plan, warmup: WARMUP }));
    const socket = join(dir, "hephd.sock");
    const daemon = await lib.startDaemon(binary.path, dir, db, socket);
    let output: string;
    try {
      const nvim = Bun.spawnSync(headlessNvim("scripts/bench-nvim.lua"), {
        cwd: lib.repoRoot,
        env: { ...lib.hephEnv(dir, socket), HEPH_BENCH_PLAN: planPath },
        stdout: "pipe",
        stderr: "pipe",
        timeout: 600_000,
      });
      output = nvim.stdout.toString();
      if (nvim.exitCode !== 0) throw new Error(`nvim failed: ${output}${nvim.stderr}`);
    } finally {
      await lib.stopDaemon(daemon);
    }
    const samples = (name: string) =>
      [...output.matchAll(new RegExp(`^sample ${name} (\\S+)$`, "gm"))].map((m) => Number(m[1]));
    const counts = [...output.matchAll(/^count (\d+)$/gm)].map((m) => Number(m[1]));
    const version = Bun.spawnSync(["nvim", "--version"]).stdout.toString().split("\n")[0];
    const rows = [
      ["follow a [[link]] (node.resolve + node.get + new buffer)", stats(samples("follow"))],
      ["[[ completion candidates (node.complete)", stats(samples("complete"))],
      ["[[ completion through the omnifunc (findstart + words)", stats(samples("omnifunc"))],
    ] as const;
    const lines = [
      ...lib.machineLines(),
      `- heph ${binary.version} (${binary.source}); ${version}, \`-u NONE\`, one pipe to hephd`,
      `- Store: ${docCount} docs (+1 source doc), filled in ${plan.seconds.toFixed(0)} s; ${followCount} follows of random links, ${queryCount} completion queries of 1–6 typed characters (a quarter from aliases), after ${WARMUP} warm-up each; mean ${(counts.reduce((a, b) => a + b, 0) / Math.max(1, counts.length)).toFixed(1)} candidates`,
      "",
      "| operation | p50 ms | p90 ms | p99 ms | max ms | aim |",
      "| --- | ---: | ---: | ---: | ---: | ---: |",
      ...rows.map(
        ([name, s]) =>
          `| ${name} | ${ms(s.p50)} | ${ms(s.p90)} | ${ms(s.p99)} | ${ms(s.max)} | < 50 ms |`,
      ),
    ];
    process.stdout.write(`\n${lines.join("\n")}\n`);
  } finally {
    lib.removeTempDir(dir);
  }
}

await main();
