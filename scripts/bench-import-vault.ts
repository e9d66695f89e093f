/**
 * `heph import obsidian` of a generated 10,000-note vault, end to end: notes of ~2 KB prose in
 * 50 folders, with YAML frontmatter (aliases, tags, a property), `[[links]]` by name, by path
 * and with headings/labels, inline #tags, a Tasks checklist line in one note of ten, and a year
 * of daily notes. Times `heph import obsidian DIR --tasks` against a fresh hephd (first import:
 * all created), again (all unchanged), then `heph export markdown` of the result and its import
 * into a second empty daemon, with the CLI's peak RSS (wait4) and the daemon's (VmHWM).
 *
 *   bun scripts/bench-import-vault.ts [--notes 10000] [--runs 2]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  capital,
  hephEnv,
  installCleanup,
  machineLines,
  makeTempDir,
  ms,
  positiveFlag,
  prepareBinary,
  prng,
  progress,
  prose,
  removeTempDir,
  startDaemon,
  stopDaemon,
  timedHeph,
  vocabulary,
  zipfSampler,
} from "./bench-lib.ts";

/** Writes the vault; returns how many bytes of notes it holds. */
export function generateVault(root: string, notes: number): number {
  const random = prng(notes);
  const words = vocabulary(random, 5000);
  const zipf = zipfSampler(words.length, random);
  const word = () => words[zipf()] as string;
  const titles = Array.from({ length: notes }, (_, i) => `${capital(word())} ${word()} ${i + 1}`);
  const folderOf = (i: number) => `Area ${i % 5}/Topic ${i % 50}`;
  let bytes = 0;
  for (let i = 0; i < notes; i++) {
    const links = Array.from({ length: 5 }, (_, k) => {
      const j = Math.floor(random() * notes);
      const t = titles[j] as string;
      return k === 0 ? `[[${folderOf(j)}/${t}]]` : k === 1 ? `[[${t}#Heading|see]]` : `[[${t}]]`;
    });
    const body = prose(random, word, 300, [...links, `#${word()}`]);
    const task =
      i % 10 === 0
        ? `\n\n- [ ] Follow up on ${word()} 📅 2027-0${1 + (i % 9)}-1${i % 10} ${i % 20 === 0 ? "🔁 every week" : "⏫"}\n`
        : "\n";
    const text = `---\naliases: [${word()} alias ${i}]\ntags: [${word()}, area${i % 5}]\nstatus: draft\n---\n# ${titles[i]}\n\n${body}${task}`;
    mkdirSync(join(root, folderOf(i)), { recursive: true });
    writeFileSync(join(root, folderOf(i), `${titles[i]}.md`), text);
    bytes += Buffer.byteLength(text);
  }
  mkdirSync(join(root, "Daily"), { recursive: true });
  mkdirSync(join(root, ".obsidian"), { recursive: true });
  writeFileSync(
    join(root, ".obsidian/daily-notes.json"),
    JSON.stringify({ folder: "Daily", format: "YYYY-MM-DD" }),
  );
  for (let d = 0; d < 365; d++) {
    const date = new Date(Date.UTC(2026, 0, 1 + d)).toISOString().slice(0, 10);
    const text = `Worked on [[${titles[d * 7] as string}]].\n`;
    writeFileSync(join(root, "Daily", `${date}.md`), text);
    bytes += text.length;
  }
  return bytes;
}

if (import.meta.main) await main();

async function main() {
  installCleanup();
  const notes = positiveFlag("notes", 10_000);
  const runs = positiveFlag("runs", 2);
  const dir = makeTempDir("hbv-");
  const binary = prepareBinary(dir);
  const vault = join(dir, "vault");
  progress(`generating ${notes} notes`);
  const vaultMb = generateVault(vault, notes) / 2 ** 20;

  const rows: string[] = [];
  const row = (run: number, label: string, r: Awaited<ReturnType<typeof timedHeph>>) =>
    rows.push(
      `| ${run} | ${label} | ${ms(r.ms / 1000, 2)} | ${r.cliPeakMb.toFixed(0)} | ${r.daemonPeakMb.toFixed(0)} | ${r.counts ? `${r.counts.created} / ${r.counts.unchanged} / ${r.counts.skipped}` : "—"} |`,
    );
  try {
    for (let run = 1; run <= runs; run++) {
      const [first, second] = ["a", "b"].map((name) => {
        const runDir = join(dir, `run${run}${name}`);
        Bun.spawnSync(["mkdir", "-m", "700", "-p", runDir]);
        return { runDir, db: join(runDir, "heph.db"), socket: join(runDir, "s") };
      }) as [
        { runDir: string; db: string; socket: string },
        { runDir: string; db: string; socket: string },
      ];
      const a = await startDaemon(binary.path, first.runDir, first.db, first.socket);
      const b = await startDaemon(binary.path, second.runDir, second.db, second.socket);
      const envA = { ...hephEnv(first.runDir, first.socket), TZ: "UTC" };
      const envB = { ...hephEnv(second.runDir, second.socket), TZ: "UTC" };
      try {
        const args = ["import", "obsidian", vault, "--tasks", "--json"];
        progress(`run ${run}: first import`);
        row(
          run,
          "import obsidian --tasks (all created)",
          await timedHeph(binary.path, args, envA, a.child.pid),
        );
        progress(`run ${run}: again`);
        row(run, "again (all unchanged)", await timedHeph(binary.path, args, envA, a.child.pid));
        const out = join(dir, `export${run}`);
        progress(`run ${run}: export markdown`);
        row(
          run,
          "export markdown",
          await timedHeph(binary.path, ["export", "markdown", out], envA, a.child.pid),
        );
        progress(`run ${run}: import the export into an empty store`);
        row(
          run,
          "import obsidian of that export (all created)",
          await timedHeph(binary.path, ["import", "obsidian", out, "--json"], envB, b.child.pid),
        );
      } finally {
        await stopDaemon(a);
        await stopDaemon(b);
      }
    }
  } finally {
    removeTempDir(dir);
  }

  console.log(
    [
      `### A ${notes.toLocaleString("en")}-note Obsidian vault: \`heph import obsidian\` and \`heph export markdown\``,
      "",
      ...machineLines(),
      `- heph: ${binary.version} (${binary.source})`,
      `- The vault: ${notes} notes in 50 folders plus 365 daily notes, ${vaultMb.toFixed(1)} MiB; 5 links a note (one by path, one with a heading and label), a Tasks line in every tenth`,
      "",
      "| run | step | wall s | CLI peak RSS MiB | daemon peak RSS MiB | created / unchanged / skipped |",
      "| ---: | --- | ---: | ---: | ---: | --- |",
      ...rows,
      "",
    ].join("\n"),
  );
}
