import type { Database } from "bun:sqlite";
import { type Clock, toTimestamp } from "../core/clock.ts";

/** Where an imported node came from, as import_sources keeps it (schema 8). */
export interface ImportedRecord {
  node_id: string;
  /** The node's kind and tombstone, read with the record (an import checks both first). */
  kind: string;
  deleted_at: string | null;
  hash: string;
  /** Set when the import appended a section to a node with text of its own (see migration 8). */
  merged_hash: string | null;
}

/** The import bookkeeping: (source, key) → node, and the lookups imports need. */
export class ImportStore {
  private readonly sql: ReturnType<ImportStore["prepare"]>;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {
    this.sql = this.prepare();
  }

  private prepare() {
    const db = this.db;
    return {
      find: db.query<ImportedRecord, [string, string]>(
        `SELECT i.node_id, i.hash, i.merged_hash, n.kind, n.deleted_at FROM import_sources i
         JOIN nodes n ON n.id = i.node_id WHERE i.source = ? AND i.key = ?`,
      ),
      record: db.query(
        `INSERT INTO import_sources (source, key, node_id, hash, imported_at, merged_hash)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (source, key) DO UPDATE SET node_id = excluded.node_id, hash = excluded.hash,
           imported_at = excluded.imported_at, merged_hash = excluded.merged_hash`,
      ),
      journal: db.query<{ id: string }, [string]>(
        "SELECT id FROM nodes WHERE kind = 'journal' AND title = ? AND deleted_at IS NULL",
      ),
      log: db.query<{ kind: string; text: string }, [string]>(
        "SELECT kind, text FROM task_log WHERE task_id = ? ORDER BY seq",
      ),
      typedLink: db.query<{ dst: string }, [string, string]>(
        "SELECT dst FROM links WHERE src = ? AND type = ?",
      ),
    };
  }

  /**
   * Runs `work` (inside a transaction) with the full-text indexing of the nodes it creates put
   * off to its end, where they are indexed in one statement (see migration 8).
   */
  withDeferredSearchIndex<T>(work: () => T): T {
    const above =
      this.db.query<{ top: number | null }, []>("SELECT max(rowid) AS top FROM nodes").get()?.top ??
      0;
    this.db.query("INSERT INTO fts_deferred (above) VALUES (?)").run(above);
    const result = work();
    this.db
      .query(
        "INSERT INTO nodes_fts (rowid, title, body) SELECT rowid, title, body FROM nodes WHERE rowid > ? AND deleted_at IS NULL",
      )
      .run(above);
    this.db.query("DELETE FROM fts_deferred").run();
    return result;
  }

  /** Which of `keys` have no record from `source` yet. */
  unrecorded(source: string, keys: readonly string[]): Set<string> {
    const known = this.db
      .query<{ key: string }, [string, string]>(
        "SELECT key FROM import_sources WHERE source = ? AND key IN (SELECT value FROM json_each(?))",
      )
      .all(source, JSON.stringify(keys));
    const missing = new Set(keys);
    for (const row of known) missing.delete(row.key);
    return missing;
  }

  find(source: string, key: string): ImportedRecord | undefined {
    return this.sql.find.get(source, key) ?? undefined;
  }

  record(source: string, key: string, nodeId: string, hash: string, mergedHash: string | null) {
    this.sql.record.run(source, key, nodeId, hash, toTimestamp(this.clock()), mergedHash);
  }

  /** The live journal of a date, if there is one. */
  journalOf(date: string): string | undefined {
    return this.sql.journal.get(date)?.id;
  }

  /** A task's log entries (kind and text), oldest first: what an import must not append again. */
  logEntries(taskId: string): Array<{ kind: string; text: string }> {
    return this.sql.log.all(taskId);
  }

  /** Where a node's typed link of `type` points (a task's sub-task-of parent), or undefined. */
  linkDst(src: string, type: string): string | undefined {
    return this.sql.typedLink.get(src, type)?.dst ?? undefined;
  }

  /** Replaces `src`'s link of `type` with one to `dst` (null: none). */
  setLink(src: string, type: string, dst: string | null) {
    this.db.query("DELETE FROM links WHERE src = ? AND type = ?").run(src, type);
    if (dst === null) return;
    this.db
      .query("INSERT INTO links (src, type, target, dst, created_at) VALUES (?, ?, ?, ?, ?)")
      .run(src, type, dst, dst, toTimestamp(this.clock()));
  }
}
