/**
 * Issue 13's engine question, measured on heph's shape before choosing: Yjs, Automerge and Loro
 * holding N nodes (default 100,000) with ~2 KB bodies in one document (scripts/crdt-engines.ts).
 * Each figure comes from a fresh child process, so one engine's memory never counts against
 * another's:
 *   build   — N nodes added in chunks of 1000; time, the saved state's size, peak RSS
 *   load    — that state loaded by a new replica; time and RSS (what a daemon pays to start)
 *   edits   — 1,000 user edits on replica B (700 typed into bodies, 300 fields set, each its own
 *             commit), then applied to replica A: as one update, and as 1,000 small ones;
 *             A and B are checked equal on every node touched
 *   binary  — a compiled `bun build --compile` program that loads the engine and makes a doc:
 *             its size and start-up time beside a bare compiled program
 * Prints a Markdown section.
 *
 *   bun scripts/bench-crdt.ts [--nodes 100000] [--engines yjs,automerge,loro]
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  capital,
  flag,
  installCleanup,
  machineLines,
  makeTempDir,
  positiveFlag,
  prng,
  progress,
  prose,
  readRssMb,
  removeTempDir,
  vocabulary,
} from "./bench-lib.ts";
import { ENGINES, type Engine, type Replica } from "./crdt-engines.ts";

const EDITS = 1000;
const CHUNK = 1000;

const idOf = (i: number) => `01K${String(i).padStart(23, "0")}`;

/** The same N nodes for every engine: a title, three fields and ~2 KB of prose each. */
function* nodeChunks(count: number) {
  const random = prng(42);
  const words = vocabulary(random, 3000);
  const word = () => words[Math.floor(random() * words.length)] as string;
  for (let start = 0; start < count; start += CHUNK) {
    const chunk = [];
    for (let i = start; i < Math.min(count, start + CHUNK); i++)
      chunk.push({
        id: idOf(i),
        fields: {
          kind: i % 5 === 0 ? "task" : "doc",
          title: `${capital(word())} ${word()} ${word()} ${i}`,
          attention: "white",
          do_date: "2026-12-06",
        },
        body: prose(random, word, 320, []),
      });
    yield chunk;
  }
}

function child(mode: string, engine: Engine, file: string, count: number) {
  const started = performance.now();
  if (mode === "build") {
    const replica = engine.create();
    for (const chunk of nodeChunks(count)) replica.addNodes(chunk);
    const buildMs = performance.now() - started;
    const state = replica.save();
    writeFileSync(file, state);
    return {
      build_ms: buildMs,
      state_bytes: state.length,
      peak_rss_mb: readRssMb(process.pid).peak,
    };
  }
  if (mode === "load") {
    const replica = engine.load(readFileSync(file));
    const loadMs = performance.now() - started;
    Bun.gc(true);
    return {
      load_ms: loadMs,
      rss_mb: readRssMb(process.pid).rss,
      check: replica.field(idOf(0), "kind"),
    };
  }
  // edits
  const state = readFileSync(file);
  const a = engine.load(state);
  const b = engine.load(state);
  const a2 = engine.load(state);
  const random = prng(7);
  const touched = new Set<string>();
  const small: Uint8Array[] = [];
  const before = b.version();
  let localMs = 0;
  for (let e = 0; e < EDITS; e++) {
    const id = idOf(Math.floor(random() * count));
    touched.add(id);
    const version = b.version();
    const t = performance.now();
    if (e % 10 < 7) b.insertText(id, Math.floor(random() * 500), ` edit ${e}`);
    else b.setField(id, e % 2 === 0 ? "title" : "attention", `value ${e}`);
    localMs += performance.now() - t;
    small.push(b.updateSince(version));
  }
  let t = performance.now();
  const update = b.updateSince(before);
  const exportMs = performance.now() - t;
  t = performance.now();
  a.apply(update);
  const applyOneMs = performance.now() - t;
  t = performance.now();
  for (const piece of small) a2.apply(piece);
  const applySmallMs = performance.now() - t;
  const same = (r: Replica) =>
    [...touched].every(
      (id) =>
        r.body(id) === b.body(id) &&
        r.field(id, "title") === b.field(id, "title") &&
        r.field(id, "attention") === b.field(id, "attention"),
    );
  if (!same(a) || !same(a2)) throw new Error(`${engine.name}: replicas differ after the edits`);
  return {
    local_edit_ms: localMs / EDITS,
    update_bytes: update.length,
    small_update_bytes: small.reduce((n, u) => n + u.length, 0) / small.length,
    export_ms: exportMs,
    apply_one_ms: applyOneMs,
    apply_small_ms: applySmallMs,
  };
}

if (process.argv[2] === "--child") {
  const [, , , mode, name, file, count] = process.argv;
  const engine = ENGINES[name as string] as Engine;
  console.log(JSON.stringify(child(mode as string, engine, file as string, Number(count))));
  process.exit(0);
}

function runChild(args: string[]): Record<string, number> {
  const result = Bun.spawnSync([process.execPath, import.meta.path, "--child", ...args], {
    stdout: "pipe",
    stderr: "pipe",
  });
  if (result.exitCode !== 0)
    throw new Error(`child ${args.join(" ")} failed: ${result.stderr.toString().slice(-2000)}`);
  return JSON.parse(result.stdout.toString()) as Record<string, number>;
}

const ENTRIES: Record<string, string> = {
  bare: `console.log("ok");`,
  yjs: `import * as Y from "yjs"; const d = new Y.Doc(); d.getMap("n").set("a", new Y.Text("x")); console.log(d.getMap("n").size);`,
  automerge: `import * as A from "@automerge/automerge"; const d = A.from({ n: { a: "x" } }); console.log(Object.keys(d.n).length);`,
  // The package's default (Node) build loads its wasm from a file beside it, which a compiled
  // binary does not have; its base64 build carries the wasm inside the JavaScript.
  loro: `import { LoroDoc } from "loro-crdt/base64"; const d = new LoroDoc(); d.getMap("n").set("a", "x"); d.commit(); console.log(d.getMap("n").size);`,
};

/** Compiles each entry like heph's binary, then times their starts interleaved. */
function binaries(dir: string, names: string[]) {
  const out: Record<string, { bytes: number; start_ms: number; error?: string }> = {};
  const paths: Record<string, string> = {};
  for (const name of ["bare", ...names]) {
    const entry = join(process.cwd(), `.bench-crdt-${name}.ts`);
    writeFileSync(entry, `${ENTRIES[name]}\n`);
    const binary = join(dir, `bin-${name}`);
    const built = Bun.spawnSync(
      [
        process.execPath,
        "build",
        "--compile",
        "--minify",
        "--bytecode",
        entry,
        "--outfile",
        binary,
      ],
      { stdout: "pipe", stderr: "pipe" },
    );
    Bun.spawnSync(["rm", "-f", entry]);
    if (built.exitCode !== 0) {
      out[name] = { bytes: 0, start_ms: Number.NaN, error: built.stderr.toString().slice(0, 300) };
      continue;
    }
    const run = Bun.spawnSync([binary], { stdout: "pipe", stderr: "pipe", cwd: dir });
    if (run.exitCode !== 0) {
      out[name] = {
        bytes: Bun.file(binary).size,
        start_ms: Number.NaN,
        error: `the compiled program fails: ${
          run.stderr
            .toString()
            .split("\n")
            .find((l) => l.trim()) ?? ""
        }`.slice(0, 300),
      };
      continue;
    }
    paths[name] = binary;
    out[name] = { bytes: Bun.file(binary).size, start_ms: 0 };
  }
  const samples: Record<string, number[]> = Object.fromEntries(
    Object.keys(paths).map((name) => [name, []]),
  );
  for (let round = 0; round < 30; round++)
    for (const [name, binary] of Object.entries(paths)) {
      const t = performance.now();
      Bun.spawnSync([binary], { stdout: "ignore", stderr: "ignore", cwd: dir });
      samples[name]?.push(performance.now() - t);
    }
  for (const [name, list] of Object.entries(samples)) {
    list.sort((x, y) => x - y);
    (out[name] as { start_ms: number }).start_ms = list[Math.floor(list.length / 2)] as number;
  }
  return out;
}

installCleanup();
const count = positiveFlag("nodes", 100_000);
const names = flag("engines", "yjs,automerge,loro").split(",");
const dir = makeTempDir("hbc-");
const rows: string[] = [];
const fmt = (n: number | undefined, digits = 0): string =>
  n === undefined || Number.isNaN(n) ? "—" : n.toFixed(digits);
try {
  for (const name of names) {
    const file = join(dir, `${name}.state`);
    try {
      progress(`${name}: build ${count}`);
      const build = runChild(["build", name, file, String(count)]);
      progress(`${name}: load`);
      const load = runChild(["load", name, file, String(count)]);
      progress(`${name}: edits`);
      const edits = runChild(["edits", name, file, String(count)]);
      rows.push(
        `| ${ENGINES[name]?.name} | ${fmt((build.build_ms ?? Number.NaN) / 1000, 1)} | ${fmt((build.state_bytes ?? Number.NaN) / 2 ** 20, 1)} | ${fmt(build.peak_rss_mb)} | ${fmt((load.load_ms ?? Number.NaN) / 1000, 2)} | ${fmt(load.rss_mb)} | ${fmt(edits.local_edit_ms, 3)} | ${fmt((edits.update_bytes ?? Number.NaN) / 1024, 1)} | ${fmt(edits.apply_one_ms, 1)} | ${fmt(edits.apply_small_ms, 1)} |`,
      );
    } catch (error) {
      rows.push(
        `| ${ENGINES[name]?.name} | failed: ${(error as Error).message.split("\n").slice(-3).join(" ").slice(0, 200)} |`,
      );
    }
  }
  progress("binaries");
  const bins = binaries(dir, names);
  const bare = bins.bare as { bytes: number; start_ms: number };
  const binRows = Object.entries(bins).map(
    ([name, b]) =>
      `| ${name === "bare" ? "bare (console.log)" : ENGINES[name]?.name} | ${fmt(b.bytes / 2 ** 20, 1)} | ${fmt(b.start_ms, 1)} | ${name === "bare" ? "—" : `+${fmt((b.bytes - bare.bytes) / 2 ** 20, 1)} MiB, +${fmt(b.start_ms - bare.start_ms, 1)} ms`} | ${b.error ?? ""} |`,
  );
  console.log(
    [
      `### ${count.toLocaleString("en")} nodes with ~2 KB bodies in one document`,
      "",
      ...machineLines(),
      "",
      "| engine | build s | state MiB | build peak RSS MiB | load s | RSS after load MiB | one local edit ms | 1,000 edits as one update KiB | apply it ms | apply 1,000 small updates ms |",
      "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
      ...rows,
      "",
      "| compiled program | size MiB | start ms (median of 30) | beside bare | note |",
      "| --- | ---: | ---: | --- | --- |",
      ...binRows,
      "",
    ].join("\n"),
  );
} finally {
  removeTempDir(dir);
}
