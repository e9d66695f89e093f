/**
 * The `heph:` key a Markdown export writes into each note's frontmatter: what a vault cannot
 * say by itself (the node's id and kind, its times, a task's log and context doc, a project's
 * parent, the links the export rewrote for Obsidian). `heph import obsidian` reads it back, so
 * an export imported into an empty store gives the same nodes. One key, so it never takes a
 * name from the user's own properties; a `heph:` value that does not fit this schema is left as
 * an ordinary property.
 */
import { z } from "zod";
import { LocalDateText, Timestamp, Ulid } from "../protocol/schemas.ts";

export const HEPH_BLOCK_KEY = "heph";

export const HephLogEntry = z.object({
  at: Timestamp,
  kind: z.enum(["note", "created", "done", "dropped", "reopened"]),
  text: z.string(),
});

export type HephLogKind = z.infer<typeof HephLogEntry>["kind"];

export const HephBlock = z.object({
  id: Ulid,
  kind: z.enum(["doc", "task", "project", "tag", "journal"]),
  created_at: Timestamp,
  updated_at: Timestamp.optional(),
  /** The node's own source folder; null for a node made in heph (its file sits in a kind folder). */
  folder: z.string().nullable().default(null),
  /** A journal's date (its title). */
  date: LocalDateText.optional(),
  /** A task's context doc: the doc's id. The doc's own file says `context_of`. */
  context: Ulid.nullable().optional(),
  context_of: Ulid.optional(),
  /** A project's parent project, or a sub-task's parent task. */
  parent: Ulid.nullable().optional(),
  /** A task's project, by id (the frontmatter's `project` gives its name). */
  project_id: Ulid.nullable().optional(),
  closed_at: Timestamp.nullable().optional(),
  log: z.array(HephLogEntry).optional(),
  /** Typed links of free-text types (links.add: related, blocks…) from this node: by id. */
  links: z.array(z.object({ type: z.string(), dst: Ulid })).optional(),
  /** Where the node was imported from before: informational. */
  sources: z.array(z.object({ source: z.string(), key: z.string() })).optional(),
  /**
   * Links the export wrote differently so Obsidian resolves them: [as written, as in heph].
   * An import puts the heph form back.
   */
  rewritten_links: z.array(z.tuple([z.string(), z.string()])).optional(),
});
export type HephBlock = z.infer<typeof HephBlock>;

/** The frontmatter of a heph export's daily notes: where `.obsidian/daily-notes.json` points. */
export const JOURNAL_FOLDER = "Journal";

/** Folders for nodes made in heph (no source folder), by kind. */
export const KIND_FOLDERS: Record<HephBlock["kind"], string> = {
  doc: "Docs",
  task: "Tasks",
  project: "Projects",
  tag: "Tags",
  journal: JOURNAL_FOLDER,
};
