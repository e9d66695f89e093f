/**
 * Reading an Obsidian vault from disk: which files are notes and which attachments, and the
 * settings that change how notes are read (daily notes, the Tasks plugin's global filter).
 * Like Obsidian, folders and files whose names start with "." (.obsidian, .trash, .git) are not
 * part of the vault; a symlinked folder is not followed (it may loop back into the vault).
 */
import { type Dirent, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { HephError } from "../../errors.ts";
import type { RecordProblem } from "../run.ts";
import {
  type DailyNotesSettings,
  DEFAULT_DAILY_NOTES,
  readDailyNotesSettings,
} from "./daily-notes.ts";

export interface VaultFile {
  /** Vault-relative, "/"-separated. */
  path: string;
  bytes: number;
}

export interface VaultListing {
  notes: VaultFile[];
  attachments: VaultFile[];
  problems: RecordProblem[];
}

export interface VaultSettings {
  /** The daily-notes plugin's settings, or null when the vault has none (then YYYY-MM-DD names). */
  dailyNotes: DailyNotesSettings | null;
  /** The Tasks plugin's global filter ("#task"): only lines with it are tasks. "" when none. */
  globalFilter: string;
}

/** Every note (.md) and attachment under `root`, sorted by path. */
export function listVault(root: string): VaultListing {
  let rootStat: ReturnType<typeof statSync>;
  try {
    rootStat = statSync(root);
  } catch (error) {
    throw new HephError(
      `${root}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such folder" : (error as Error).message}.`,
    );
  }
  if (!rootStat.isDirectory())
    throw new HephError(
      `${root} is not a folder; give the vault's folder (the one holding .obsidian).`,
    );
  const listing: VaultListing = { notes: [], attachments: [], problems: [] };
  const folders = [""];
  while (folders.length > 0) {
    const folder = folders.pop() as string;
    let entries: Dirent[];
    try {
      entries = readdirSync(join(root, folder), { withFileTypes: true });
    } catch (error) {
      listing.problems.push({
        where: folder || ".",
        reason: `cannot read the folder: ${(error as Error).message}`,
      });
      continue;
    }
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      const path = folder === "" ? entry.name : `${folder}/${entry.name}`;
      if (entry.isDirectory()) {
        folders.push(path);
        continue;
      }
      if (!entry.isFile() && !entry.isSymbolicLink()) continue;
      // One stat, which follows a symlink: a link to a file is that file; one to a folder is
      // not followed (it may loop back into the vault).
      let stat: ReturnType<typeof statSync>;
      try {
        stat = statSync(join(root, path));
      } catch (error) {
        listing.problems.push({
          where: path,
          reason: entry.isSymbolicLink()
            ? "a symbolic link to nothing"
            : `cannot read it: ${(error as Error).message}`,
        });
        continue;
      }
      if (!stat.isFile()) continue;
      const bytes = stat.size;
      (/\.md$/i.test(entry.name) ? listing.notes : listing.attachments).push({ path, bytes });
    }
  }
  const byPath = (a: VaultFile, b: VaultFile) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  listing.notes.sort(byPath);
  listing.attachments.sort(byPath);
  return listing;
}

const TasksPluginData = z.looseObject({ globalFilter: z.string().optional() });

/** The settings files under .obsidian; a broken one is a problem, and its defaults are used. */
export function readVaultSettings(root: string, problems: RecordProblem[]): VaultSettings {
  const read = (path: string): string | undefined => {
    try {
      return readFileSync(join(root, path), "utf8");
    } catch {
      return undefined;
    }
  };
  let dailyNotes: DailyNotesSettings | null = null;
  const dailyText = read(".obsidian/daily-notes.json");
  if (dailyText !== undefined) {
    try {
      dailyNotes = readDailyNotesSettings(dailyText);
    } catch (error) {
      problems.push({
        where: ".obsidian/daily-notes.json",
        reason: `${(error as Error).message}; daily notes are found by YYYY-MM-DD names instead`,
      });
      dailyNotes = DEFAULT_DAILY_NOTES;
    }
  }
  let globalFilter = "";
  const tasksPath = ".obsidian/plugins/obsidian-tasks-plugin/data.json";
  const tasksText = read(tasksPath);
  if (tasksText !== undefined) {
    try {
      globalFilter = TasksPluginData.parse(JSON.parse(tasksText)).globalFilter?.trim() ?? "";
    } catch (error) {
      problems.push({
        where: tasksPath,
        reason: `not the Tasks plugin's settings (${(error as Error).message.split("\n")[0]}); no global filter is used`,
      });
    }
  }
  return { dailyNotes, globalFilter };
}
