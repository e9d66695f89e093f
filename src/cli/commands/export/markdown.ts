/**
 * `heph export markdown <dir>`: the store as an Obsidian vault (src/export/markdown.ts), read
 * through `export` pages. The folder must be new or empty: an export never writes over a vault.
 * Files are written 0600 in folders 0700, like the store they come from.
 */
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { UsageError } from "../../../errors.ts";
import { buildVault } from "../../../export/markdown.ts";
import { socketArg } from "../../args.ts";
import { defineCommand } from "../../command.ts";
import { printJson, printLine, warn } from "../../output.ts";
import { withClient } from "../../session.ts";
import { readExportPages } from "./pages.ts";

function emptyOrNew(dir: string): boolean {
  try {
    return readdirSync(dir).length === 0;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return true;
    throw new UsageError(
      `${dir}: ${code === "ENOTDIR" ? "not a folder" : (error as Error).message}.`,
    );
  }
}

export default defineCommand({
  meta: {
    name: "markdown",
    description: "The store as an Obsidian vault: one .md per node, frontmatter, daily notes",
  },
  args: {
    dir: { type: "positional", description: "A new or empty folder to write into", required: true },
    json: { type: "boolean", description: "Print what was written as JSON" },
    ...socketArg,
  },
  async run({ args }) {
    const dir = resolve(args.dir as string);
    if (!emptyOrNew(dir))
      throw new UsageError(
        `${dir} is not empty; export into a new or empty folder (an export never writes over files).`,
      );
    const read = await withClient(args, (client) => readExportPages(client, false));
    if (!read.consistent)
      await warn(
        "The store changed while it was being exported; run it again when nothing writes, or use `heph backup` for a snapshot.",
      );
    const vault = buildVault(
      read.pages.flatMap((page) => page.nodes),
      read.pages.flatMap((page) => page.links),
    );
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const write = (path: string, text: string) => {
      const full = join(dir, path);
      mkdirSync(dirname(full), { recursive: true, mode: 0o700 });
      writeFileSync(full, text, { mode: 0o600, flag: "wx" });
    };
    for (const file of vault.files) write(file.path, file.text);
    write(".obsidian/daily-notes.json", `${JSON.stringify(vault.dailyNotes, null, 2)}\n`);
    if (args.json)
      printJson({ dir, files: vault.files.map((f) => f.path), daily_notes: vault.dailyNotes });
    else printLine(`Exported ${vault.files.length} notes to ${dir}`);
  },
});
