/** Import, export and backup (issue 11), in the shared method table. */
import { z } from "zod";
import { ExportDocument, ImportResult, ImportSource, MAX_IMPORT_BATCH } from "./import-schemas.ts";
import { spec } from "./method-spec.ts";
import { Ulid } from "./schemas.ts";

/** The most nodes one export page holds; the daemon also ends a page early past 8 MiB of text. */
export const MAX_EXPORT_PAGE = 5000;

/** One page of an export: the document's fields with this page's nodes and their links. */
export const ExportPage = ExportDocument.extend({
  /** Pass as `after` for the next page; null on the last page. */
  next_after: z.string().nullable(),
  /**
   * A counter of the store's writes when the page was read. Equal on the first and the last
   * page: nothing changed in between, so the pages make one consistent document.
   */
  store_changes: z.number().int(),
});
export type ExportPage = z.infer<typeof ExportPage>;

export const BackupReport = z.object({
  /** The backup file, as written. */
  path: z.string(),
  bytes: z.number().int(),
  /** PRAGMA integrity_check on the copy: true when it said "ok". */
  ok: z.boolean(),
  /** "ok", or the problems integrity_check found (at most 100). */
  integrity: z.array(z.string()),
  /** The copy's PRAGMA application_id (heph's is 0x68657068) and schema version. */
  application_id: z.number().int(),
  schema_version: z.number().int(),
});
export type BackupReport = z.infer<typeof BackupReport>;

export const importMethods = {
  "import.apply": spec(
    `Applies up to ${MAX_IMPORT_BATCH} import items (ImportItem: doc, journal, project, task) from one source, each on its own: an item met before by (source, key) is left (same hash) or updated, a new one created, a bad one skipped with a reason. dry_run computes the outcomes and writes nothing.`,
    z.strictObject({
      source: ImportSource,
      dry_run: z.boolean().default(false),
      // Objects, each validated on its own as an ImportItem: one bad item is skipped, not the batch.
      items: z
        .array(
          z
            .record(z.string(), z.unknown())
            .describe("an ImportItem (src/protocol/import-schemas.ts), validated on its own"),
        )
        .max(MAX_IMPORT_BATCH, `at most ${MAX_IMPORT_BATCH} items a call; send more calls`),
    }),
    z.object({ results: z.array(ImportResult) }),
    true,
  ),
  export: spec(
    "One page of the whole store as the heph-export document (docs/reference/export-format.md): nodes in id order after `after`, with their links; tombstones with include_deleted.",
    z.strictObject({
      include_deleted: z.boolean().default(false),
      after: Ulid.nullable().default(null),
      limit: z.number().int().min(1).max(MAX_EXPORT_PAGE).default(1000),
    }),
    ExportPage,
    false,
  ),
  "store.backup": spec(
    "Writes a consistent copy of the store (VACUUM INTO) to an absolute path, mode 0600, and checks it (integrity_check, application_id, schema version). An existing file is refused unless force.",
    z.strictObject({
      path: z.string().min(1, "must name the backup file").max(4096),
      force: z.boolean().default(false),
    }),
    BackupReport,
    true,
  ),
};
