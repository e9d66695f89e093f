/**
 * One note file as heph reads it: UTF-8 checked, frontmatter split off and read the way
 * Obsidian reads it, and the `heph:` block of a heph export recognised. Pure but for nothing:
 * it takes the file's text. A frontmatter heph cannot read never loses the note: the block is
 * kept in the body as written, and the reason is noted.
 */
import {
  FrontmatterError,
  readFrontmatterFields,
  splitFrontmatter,
} from "../../core/frontmatter.ts";
import { HEPH_BLOCK_KEY, HephBlock } from "../../export/heph-block.ts";
import { Title } from "../../protocol/schemas.ts";
import { labels } from "../text.ts";

/** A frontmatter block larger than this is not parsed (YAML that big is not a note's metadata). */
export const MAX_FRONTMATTER_BYTES = 256 * 1024;

const TASK_KEYS = ["state", "attention", "do_date", "late_on", "recurrence", "project"] as const;

export interface ReadNote {
  path: string;
  /** The folder, "" at the top of the vault. */
  folder: string;
  /** The file's name without .md: what Obsidian calls the note and links to. */
  name: string;
  title: string;
  aliases: string[];
  tags: string[];
  body: string;
  properties: Record<string, unknown>;
  /** The heph block of a heph export, with the frontmatter's task fields. */
  heph: HephBlock | null;
  task: Partial<Record<(typeof TASK_KEYS)[number], string | null>>;
  /** What could not be read as it stood, though the note still lands. */
  notes: string[];
}

export function readNote(path: string, text: string): ReadNote {
  const slash = path.lastIndexOf("/");
  const folder = slash < 0 ? "" : path.slice(0, slash);
  const name = path.slice(slash + 1).replace(/\.md$/i, "");
  const note: ReadNote = {
    path,
    folder,
    name,
    title: name,
    aliases: [],
    tags: [],
    body: text,
    properties: {},
    heph: null,
    task: {},
    notes: [],
  };
  if (frontmatterTooLarge(text)) {
    note.notes.push(
      `the frontmatter is over ${MAX_FRONTMATTER_BYTES} bytes; it is kept in the body as text`,
    );
    return note;
  }
  let data: Record<string, unknown> | null;
  try {
    const split = splitFrontmatter(text);
    data = split.data;
    note.body = split.body;
  } catch (error) {
    if (!(error instanceof FrontmatterError)) throw error;
    note.notes.push(`${error.message}; the frontmatter is kept in the body as text`);
    return note;
  }
  if (data === null) return note;
  try {
    JSON.stringify(data);
  } catch {
    note.notes.push(
      "the frontmatter refers to itself (a YAML alias loop); it is kept in the body as text",
    );
    note.body = text;
    return note;
  }
  const properties: Record<string, unknown> = { ...data };
  const block = HephBlock.safeParse(data[HEPH_BLOCK_KEY]);
  if (block.success) {
    note.heph = block.data;
    delete properties[HEPH_BLOCK_KEY];
  }
  const own =
    note.heph?.kind === "task"
      ? ["title", "aliases", "tags", ...TASK_KEYS]
      : ["title", "aliases", "tags"];
  for (const key of own) {
    if (!Object.hasOwn(data, key)) continue;
    try {
      const read = readFrontmatterFields({ [key]: data[key] });
      delete properties[key];
      if (key === "title" && read.title !== undefined) {
        const title = Title.safeParse(read.title);
        if (title.success && title.data !== "") note.title = title.data;
        else {
          properties.title = data.title;
          note.notes.push(
            "frontmatter title: not one line of 1–1000 characters; kept as a property, the file name is the title",
          );
        }
      } else if (key === "aliases") note.aliases = labels(read.aliases ?? []);
      else if (key === "tags") note.tags = labels(read.tags ?? []);
      else
        note.task[key as (typeof TASK_KEYS)[number]] =
          read[key as (typeof TASK_KEYS)[number]] ?? null;
    } catch (error) {
      if (!(error instanceof FrontmatterError)) throw error;
      note.notes.push(`${error.message}; kept as a property`);
    }
  }
  note.properties = properties;
  // Obsidian links to a note by its file name: when the title says otherwise, the name stays
  // reachable as an alias. A heph export's file name is only where it was written.
  if (note.heph === null && note.title !== note.name && !note.aliases.includes(note.name))
    note.aliases = [...note.aliases, ...labels([note.name])];
  if (note.heph?.rewritten_links) note.body = restoreLinks(note.body, note.heph.rewritten_links);
  return note;
}

/** A block that opens the file and closes only past MAX_FRONTMATTER_BYTES. */
function frontmatterTooLarge(text: string): boolean {
  if (!/^\uFEFF?---[ \t]*\r?\n/.test(text)) return false;
  const close = /\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/.exec(text.slice(3));
  return close !== null && close.index > MAX_FRONTMATTER_BYTES;
}

/** Puts back the links a heph export wrote by path: [as written, as in heph]. */
function restoreLinks(body: string, pairs: ReadonlyArray<readonly [string, string]>): string {
  let out = body;
  for (const [written, original] of pairs) out = out.split(written).join(original);
  return out;
}
