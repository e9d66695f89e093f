/**
 * What an importer sends the daemon (issue 11). Importers run in the CLI: they read the source
 * (an Obsidian vault, `task export` JSON, a Todoist CSV or backup), map it to these items, and
 * send them in batches with `import.apply`. The daemon owns the store: it matches each item to
 * the node imported from the same (source, key) before, and creates, updates or leaves it.
 */
import { z } from "zod";
import { Label, LocalDateText, Timestamp, Title, Ulid } from "./schemas.ts";
import { Attention, TaskState } from "./task-schemas.ts";

export const IMPORT_SOURCES = ["obsidian", "taskwarrior", "todoist"] as const;
export const ImportSource = z.enum(IMPORT_SOURCES);
export type ImportSource = z.infer<typeof ImportSource>;

/** The most items one import.apply takes; importers send bigger sources in several batches. */
export const MAX_IMPORT_BATCH = 1000;

/** The largest body an import accepts (bytes of UTF-8); a bigger note is skipped with a reason. */
export const MAX_IMPORT_BODY_BYTES = 8 * 1024 * 1024;

/** A folder path inside the source, "/"-separated, no leading or trailing "/"; "" is the root. */
export const SourceFolder = z
  .string()
  .max(4096)
  .refine(
    (folder) =>
      folder === "" ||
      folder.split("/").every((part) => part !== "" && part !== "." && part !== ".."),
    'must be a relative folder such as "Projects/2025" ("" for the top), without "." or ".." parts',
  );

const common = {
  /**
   * Identity in the source, stable across exports: the vault-relative path of a note, a
   * Taskwarrior uuid, a Todoist id. Re-importing the same key updates the same node.
   */
  key: z.string().min(1).max(4096),
  /** Hash of the source record as the importer read it: unchanged hash, unchanged node. */
  hash: z.string().min(1).max(128),
  title: Title,
  body: z.string().default(""),
  aliases: z.array(Label).max(100).default([]),
  tags: z.array(Label).max(100).default([]),
  /** Fields heph has no column for (other frontmatter keys, source ids), kept as given. */
  properties: z.record(z.string(), z.unknown()).default({}),
  /** The folder the record lived in (a note's folder in the vault), so export writes it back. */
  folder: SourceFolder.nullable().default(null),
  /** When the source says the record was made; the daemon's clock otherwise. */
  created_at: Timestamp.optional(),
  /**
   * The node's id in the heph store a Markdown export came from. A new node takes it when no
   * node has it, so `[[id]]` links written in bodies keep pointing where they did.
   */
  id: Ulid.optional(),
};

export const ImportDoc = z.strictObject({ kind: z.literal("doc"), ...common });

/** A tag node (heph's own kind, met in a heph export): a doc in all but its kind. */
export const ImportTag = z.strictObject({ kind: z.literal("tag"), ...common });

/** A daily note: one journal per date, so an import meets an existing journal by its date. */
export const ImportJournal = z.strictObject({
  kind: z.literal("journal"),
  ...common,
  date: LocalDateText,
});

/** A project path from the top: ["Work", "Client A"] is Client A under Work. */
export const ProjectPath = z.array(Title).min(1).max(32);

export const ImportProject = z.strictObject({
  kind: z.literal("project"),
  ...common,
  path: ProjectPath,
});

export const ImportLogEntry = z
  .strictObject({
    at: Timestamp,
    /** What happened; sources other than heph's own export only have notes. */
    kind: z.enum(["note", "created", "done", "dropped", "reopened"]).default("note"),
    /** A note's text is trimmed and must say something; other entries' text is kept as is. */
    text: z.string().max(100_000),
  })
  .refine((entry) => entry.kind !== "note" || entry.text.trim() !== "", {
    message: "a note needs text",
    path: ["text"],
  })
  .transform((entry) => (entry.kind === "note" ? { ...entry, text: entry.text.trim() } : entry));

export const ImportTask = z.strictObject({
  kind: z.literal("task"),
  ...common,
  state: TaskState.default("outstanding"),
  attention: Attention.default("white"),
  do_date: LocalDateText.nullable().default(null),
  late_on: LocalDateText.nullable().default(null),
  /** An RRULE body (FREQ=MONTHLY;BYMONTHDAY=1), as heph stores it. */
  recurrence: z.string().max(1000).nullable().default(null),
  project: ProjectPath.nullable().default(null),
  /** When a done or dropped task was closed. */
  closed_at: Timestamp.nullable().default(null),
  /** Notes for the task's log (Taskwarrior annotations, Todoist comments), oldest first. */
  log: z.array(ImportLogEntry).max(10_000).default([]),
  /**
   * The log is the task's whole log (a heph export wrote it): it is stored as given, with no
   * created, done or dropped entry added. Otherwise `log` holds notes to add.
   */
  log_complete: z.boolean().default(false),
  /** The task's context doc as a heph export wrote it: its text, and its id there. */
  context: z
    .strictObject({
      id: Ulid.optional(),
      body: z.string().default(""),
      aliases: z.array(Label).max(100).default([]),
      tags: z.array(Label).max(100).default([]),
      properties: z.record(z.string(), z.unknown()).default({}),
      created_at: Timestamp.optional(),
    })
    .nullable()
    .default(null),
  /** A sub-task's parent, by its key in the same source. */
  parent_key: z.string().min(1).max(4096).nullable().default(null),
  /**
   * A task made from a checklist line of an imported note (Obsidian Tasks): the note's key and
   * the line as it reads in the note. The daemon links that line to the task.
   */
  from_line: z
    .strictObject({ key: z.string().min(1).max(4096), text: z.string().min(1).max(100_000) })
    .nullable()
    .default(null),
});

export const ImportItem = z.discriminatedUnion("kind", [
  ImportDoc,
  ImportTag,
  ImportJournal,
  ImportProject,
  ImportTask,
]);
export type ImportItem = z.input<typeof ImportItem>;
export type ImportItemOut = z.output<typeof ImportItem>;

export const IMPORT_OUTCOMES = ["created", "updated", "unchanged", "skipped"] as const;

export const ImportResult = z.object({
  key: z.string(),
  kind: z.string(),
  outcome: z.enum(IMPORT_OUTCOMES),
  /** The node, when one was created, updated or left unchanged (also on a dry run, if known). */
  id: z.string().nullable(),
  /** Why an item was skipped. */
  reason: z.string().nullable(),
  /**
   * What the daemon could not do for an item that did land (created, updated or unchanged): a
   * `from_line` whose line is gone from its note, a `parent_key` not imported. Absent or empty
   * when there is nothing to say. (An extension of the first contract: older replies lack it.)
   */
  warnings: z.array(z.string()).optional(),
});
export type ImportResult = z.infer<typeof ImportResult>;

/**
 * Everything in a store, as `export` returns it and `heph export json` writes it (the
 * documented, versioned format of docs/reference/export-format.md). Markdown export writes a
 * vault from this document; nothing else reads the store.
 */
export const ExportLogEntry = z.object({
  at: Timestamp,
  kind: z.string(),
  text: z.string(),
});

export const ExportNode = z.object({
  id: z.string(),
  kind: z.enum(["doc", "task", "project", "tag", "journal"]),
  title: z.string(),
  body: z.string(),
  aliases: z.array(z.string()),
  tags: z.array(z.string()),
  properties: z.record(z.string(), z.unknown()),
  /** The source folder it was imported from, or null. */
  folder: z.string().nullable(),
  created_at: Timestamp,
  updated_at: Timestamp,
  deleted_at: Timestamp.nullable(),
  /** Where it was imported from, if it was: [{source, key}]. */
  sources: z.array(z.object({ source: z.string(), key: z.string() })),
  /** Task fields (kind task). */
  task: z
    .object({
      state: TaskState,
      attention: Attention,
      do_date: LocalDateText.nullable(),
      late_on: LocalDateText.nullable(),
      recurrence: z.string().nullable(),
      project_id: z.string().nullable(),
      context_id: z.string().nullable(),
      parent_id: z.string().nullable(),
      closed_at: Timestamp.nullable(),
      log: z.array(ExportLogEntry),
    })
    .nullable(),
  /** Project fields (kind project): its parent project. */
  project: z.object({ parent_id: z.string().nullable() }).nullable(),
});
export type ExportNode = z.infer<typeof ExportNode>;

export const ExportLink = z.object({
  src: z.string(),
  type: z.string(),
  target: z.string(),
  dst: z.string().nullable(),
});
export type ExportLink = z.infer<typeof ExportLink>;

export const ExportDocument = z.object({
  format: z.literal("heph-export"),
  format_version: z.literal(1),
  exported_at: Timestamp,
  heph_version: z.string(),
  schema_version: z.number().int(),
  include_deleted: z.boolean(),
  nodes: z.array(ExportNode),
  links: z.array(ExportLink),
});
export type ExportDocument = z.infer<typeof ExportDocument>;
