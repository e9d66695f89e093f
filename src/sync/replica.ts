import * as Y from "yjs";
import { type Clock, toTimestamp } from "../core/clock.ts";
import type { Store } from "../store/store.ts";
import {
  ConflictStore,
  detectConflicts,
  fieldItems,
  overruledDeleteItem,
  updateValues,
} from "./conflicts.ts";
import {
  FIELD_MAP,
  genesisClientId,
  loadDoc,
  readStateFromDoc,
  writeStateToDoc,
} from "./node-doc.ts";
import { type NodeState, readNodeStates } from "./node-state.ts";
import { projectStates } from "./project.ts";
import { revertUpdates, UndoStacks } from "./undo.ts";

/** Transaction origins, so an observer can tell this device's writes from merged ones. */
const LOCAL = "local";
const REMOTE = "remote";

export interface LogEntry {
  seq: number;
  node_id: string;
  update: Uint8Array;
  origin: string;
}

export interface UndoOutcome {
  /** The nodes the step changed. */
  nodes: string[];
  /** Steps left on the stack it came from. */
  remaining: number;
}

export interface IncomingUpdate {
  node_id: string;
  update: Uint8Array;
  origin: string;
}

/** Tables whose rows are part of a node's synced state, and the column naming the node. */
const WATCHED: Array<{ table: string; column: string; when?: string }> = [
  { table: "nodes", column: "id" },
  { table: "node_aliases", column: "node_id" },
  { table: "node_tags", column: "node_id" },
  { table: "tasks", column: "node_id" },
  { table: "task_log", column: "task_id" },
  { table: "links", column: "src", when: "type NOT IN ('wiki', 'tag')" },
];

/**
 * The store as a sync replica: every committed write to a node is also written into that
 * node's Yjs document and the update log, in the same transaction; updates from other replicas
 * are merged into the documents and written back into the tables.
 */
export class SyncReplica {
  readonly conflicts: ConflictStore;
  readonly clientId: number;
  /** The name this replica's own updates carry in logs (its engine client id). */
  readonly origin: string;
  private readonly detach: () => void;
  private readonly undoStacks: UndoStacks;
  /** Off while sync itself writes (merging, backfilling, undoing): those are not undo steps. */
  private recording = true;

  private constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    /** A hub keeps what it receives in its log, to serve it to the other devices. */
    private readonly relay: boolean,
  ) {
    this.conflicts = new ConflictStore(store.db);
    this.undoStacks = new UndoStacks(store.db);
    this.clientId = Number(this.meta("client_id") ?? this.newClientId());
    this.origin = String(this.clientId);
    installDirtyTriggers(store);
    this.detach = store.changes.onBeforeCommit(() => this.capture());
  }

  /**
   * Turns sync on for this store (the first time: every node gets its document, in batches)
   * and keeps it on: once a store has synced, each write is captured, hub or not, so nothing
   * made while offline is missed.
   */
  static open(store: Store, clock: Clock, options: { relay: boolean }): SyncReplica {
    const replica = new SyncReplica(store, clock, options.relay);
    if (replica.meta("enabled") !== "1") {
      replica.backfill();
      replica.setMeta("enabled", "1");
    }
    return replica;
  }

  /** Whether sync was ever turned on for this store (then it must stay on). */
  static wasEnabled(store: Store): boolean {
    const row = store.db
      .query<{ value: string }, []>("SELECT value FROM sync_meta WHERE key = 'enabled'")
      .get();
    return row?.value === "1";
  }

  close() {
    this.detach();
  }

  meta(key: string): string | null {
    return (
      this.store.db
        .query<{ value: string }, [string]>("SELECT value FROM sync_meta WHERE key = ?")
        .get(key)?.value ?? null
    );
  }

  setMeta(key: string, value: string | null) {
    if (value === null) this.store.db.query("DELETE FROM sync_meta WHERE key = ?").run(key);
    else
      this.store.db
        .query("INSERT OR REPLACE INTO sync_meta (key, value) VALUES (?, ?)")
        .run(key, value);
  }

  private newClientId(): number {
    const id = crypto.getRandomValues(new Uint32Array(1))[0] || 1;
    this.setMeta("client_id", String(id));
    return id;
  }

  private backfill() {
    const page = this.store.db.query<{ id: string }, [string]>(
      "SELECT id FROM nodes WHERE id > ? ORDER BY id LIMIT 2000",
    );
    const mark = this.store.db.query("INSERT OR IGNORE INTO temp.sync_dirty (node_id) VALUES (?)");
    let after = "";
    for (;;) {
      const ids = page.all(after).map((row) => row.id);
      if (ids.length === 0) break;
      this.unrecorded(() =>
        this.store.transaction(() => {
          for (const id of ids) mark.run(id);
        }),
      );
      after = ids.at(-1) as string;
    }
  }

  private loadStored(id: string): Uint8Array | null {
    return (
      this.store.db
        .query<{ state: Uint8Array }, [string]>("SELECT state FROM sync_docs WHERE node_id = ?")
        .get(id)?.state ?? null
    );
  }

  private save(id: string, doc: Y.Doc) {
    this.store.db
      .query("INSERT OR REPLACE INTO sync_docs (node_id, state) VALUES (?, ?)")
      .run(id, Y.encodeStateAsUpdate(doc));
  }

  private log(id: string, update: Uint8Array, origin: string, received: boolean): number {
    return Number(
      this.store.db
        .query("INSERT INTO sync_log (node_id, update_bytes, origin, received) VALUES (?, ?, ?, ?)")
        .run(id, update, origin, received ? 1 : 0).lastInsertRowid,
    );
  }

  /**
   * Runs `work` on a node's document as this device, and when the engine reports a change,
   * logs it as this device's update and stores the document: the seq of the log entry, or null.
   */
  private writeDoc(id: string, doc: Y.Doc, work: () => void): number | null {
    const updates = collectUpdates(doc, work);
    if (updates.length === 0) return null;
    const seq = this.log(id, mergeAll(updates), this.origin, false);
    this.save(id, doc);
    return seq;
  }

  /** The document of a node, as stored (or new). */
  doc(id: string): Y.Doc | null {
    const stored = this.loadStored(id);
    return stored ? loadDoc(stored, this.clientId) : null;
  }

  /**
   * Writes the nodes this transaction touched into their documents and the log. Runs just
   * before each outermost COMMIT (ChangeTracker.onBeforeCommit).
   */
  private capture(): { entries: number[]; created: string[] } {
    const { db } = this.store;
    const entries: number[] = [];
    const created: string[] = [];
    const ids = db
      .query<{ node_id: string }, []>("SELECT node_id FROM temp.sync_dirty")
      .all()
      .map((row) => row.node_id);
    if (ids.length === 0) return { entries, created };
    db.run("DELETE FROM temp.sync_dirty");
    const states = readNodeStates(db, ids);
    for (const id of ids) {
      const state = states.get(id);
      if (!state) continue;
      const stored = this.loadStored(id);
      // A node's first version is written under a client id drawn from its content.
      const doc = loadDoc(stored, stored ? this.clientId : genesisClientId(state));
      const seq = this.writeDoc(id, doc, () => writeStateToDoc(doc, state, LOCAL));
      if (seq === null) continue;
      entries.push(seq);
      if (!stored) created.push(id);
      // This device's write settles its own conflicts as it settles them where it is merged.
      this.conflicts.settle(id, doc, toTimestamp(this.clock()));
    }
    // A user's write is one undo step; what sync itself writes (merges, backfill, undo) is not.
    if (this.recording && entries.length > 0) {
      this.undoStacks.push("undo", { entries, created, at: toTimestamp(this.clock()) });
      this.undoStacks.clearRedo();
    }
    return { entries, created };
  }

  /** Runs `work` with undo recording off, through the COMMIT (where capture runs). */
  private unrecorded<T>(work: () => T): T {
    const was = this.recording;
    this.recording = false;
    try {
      return work();
    } finally {
      this.recording = was;
    }
  }

  /** Undoes this device's last step (or redoes the last undone one); null when there is none. */
  undo(): UndoOutcome | null {
    return this.step("undo");
  }

  redo(): UndoOutcome | null {
    return this.step("redo");
  }

  private step(from: "undo" | "redo"): UndoOutcome | null {
    return this.unrecorded(() =>
      this.store.transaction(() => {
        const step = this.undoStacks.peek(from);
        if (!step) return null;
        const entries: number[] = [];
        const states: NodeState[] = [];
        const created = new Set(step.created);
        for (const [id, updates] of this.undoStacks.updatesOf(step)) {
          if (created.has(id)) continue;
          const doc = this.doc(id);
          if (!doc) continue;
          const seq = this.writeDoc(id, doc, () => revertUpdates(doc, updates));
          if (seq === null) continue;
          entries.push(seq);
          states.push(readStateFromDoc(doc, id).state);
          // An undone or redone field is written again: a conflict on it is settled.
          this.conflicts.settle(id, doc, toTimestamp(this.clock()));
        }
        projectStates(this.store, this.clock, states);
        // A node the step made is deleted (through the store, like any delete); redoing that
        // reverts the delete.
        for (const id of created) this.store.nodes.delete(id);
        entries.push(...this.capture().entries);
        this.undoStacks.remove(step.id);
        if (entries.length > 0)
          this.undoStacks.push(from === "undo" ? "redo" : "undo", {
            entries,
            created: [],
            at: toTimestamp(this.clock()),
          });
        const touched = [...new Set([...states.map((state) => state.id), ...created])];
        return { nodes: touched, remaining: this.undoStacks.depth(from) };
      }),
    );
  }

  /**
   * Merges updates from other replicas: into each node's document, then into the tables, in
   * one transaction. Updates this replica already had change nothing. Returns how many nodes
   * changed and how many conflicts were newly recorded.
   */
  applyRemote(updates: readonly IncomingUpdate[]): { nodes: number; conflicts: number } {
    const byNode = new Map<string, IncomingUpdate[]>();
    for (const update of updates) {
      const list = byNode.get(update.node_id);
      if (list) list.push(update);
      else byNode.set(update.node_id, [update]);
    }
    return this.unrecorded(() => this.mergeInto(byNode));
  }

  private mergeInto(byNode: Map<string, IncomingUpdate[]>): { nodes: number; conflicts: number } {
    return this.store.transaction(() => {
      const now = toTimestamp(this.clock());
      const changed: NodeState[] = [];
      let conflicts = 0;
      for (const [id, list] of byNode) {
        const doc = loadDoc(this.loadStored(id), this.clientId);
        const before = fieldItems(doc);
        const incoming = new Map<string, unknown>();
        const updates = collectUpdates(doc, () => {
          for (const entry of list) {
            updateValues(entry.update, incoming);
            Y.applyUpdate(doc, entry.update, REMOTE);
          }
        });
        // Waiting on an update not here yet: kept (the stored state carries it) and relayed.
        const pending = doc.store.pendingStructs !== null || doc.store.pendingDs !== null;
        if (updates.length === 0 && !pending) continue;
        if (this.relay) for (const entry of list) this.log(id, entry.update, entry.origin, true);
        this.save(id, doc);
        // A document with no fields yet holds only part of a node (its first update is to come).
        if (!isComplete(doc)) continue;
        const reading = readStateFromDoc(doc, id);
        conflicts += this.conflicts.record(id, detectConflicts(doc, before, incoming), doc, now);
        if (reading.deletionOverruled) {
          const { at, by } = reading.deletionOverruled;
          this.conflicts.recordOverruledDelete(id, at, overruledDeleteItem(by, at), now);
        }
        changed.push(reading.state);
      }
      const renamed = new Set(projectStates(this.store, this.clock, changed));
      // The tables now say what the documents say: no need to capture them back, except where
      // the projection had to differ (a duplicate name renamed).
      const settled = changed.map((state) => state.id).filter((id) => !renamed.has(id));
      this.store.db
        .query("DELETE FROM temp.sync_dirty WHERE node_id IN (SELECT value FROM json_each(?))")
        .run(JSON.stringify(settled));
      return { nodes: changed.length, conflicts };
    });
  }

  /**
   * Settles a conflict: the kept value stays (written again, so every replica sees it settled)
   * or the lost one is written back. A delete that was overruled can be carried out.
   */
  resolveConflict(id: number, keep: "kept" | "lost"): boolean {
    return this.store.transaction(() => {
      const conflict = this.conflicts.get(id);
      if (!conflict || conflict.resolved_at !== null) return false;
      const now = toTimestamp(this.clock());
      if (conflict.field === "deleted") {
        if (keep === "lost") this.store.nodes.delete(conflict.node_id);
      } else {
        const doc = this.doc(conflict.node_id);
        if (!doc) return false;
        const value = keep === "lost" ? conflict.lost : conflict.kept;
        this.writeDoc(conflict.node_id, doc, () =>
          doc.transact(() => doc.getMap(FIELD_MAP).set(conflict.field, value as never), LOCAL),
        );
        projectStates(this.store, this.clock, [readStateFromDoc(doc, conflict.node_id).state]);
      }
      this.conflicts.markResolved(id, keep, now);
      return true;
    });
  }

  /** Log entries after `after` (a hub serving a spoke), leaving out those `skipOrigin` made. */
  entriesAfter(
    after: number,
    options: { limit: number; maxBytes: number; skipOrigin?: string },
  ): { entries: LogEntry[]; last: number } {
    const rows = this.store.db
      .query<LogRow, [number, number]>(
        "SELECT seq, node_id, update_bytes, origin FROM sync_log WHERE seq > ? ORDER BY seq LIMIT ?",
      )
      .all(after, options.limit);
    const entries: LogEntry[] = [];
    let last = after;
    let bytes = 0;
    for (const row of rows) {
      if (bytes > options.maxBytes) break;
      last = row.seq;
      if (row.origin === options.skipOrigin) continue;
      bytes += row.update_bytes.length;
      entries.push(toLogEntry(row));
    }
    return { entries, last };
  }

  /** This replica's own updates after `after` (what a spoke has yet to push). */
  ownEntriesAfter(after: number, limit: number, maxBytes = Number.POSITIVE_INFINITY): LogEntry[] {
    const rows = this.store.db
      .query<LogRow, [number, number]>(
        "SELECT seq, node_id, update_bytes, origin FROM sync_log WHERE seq > ? AND received = 0 ORDER BY seq LIMIT ?",
      )
      .all(after, limit);
    return withinBytes(rows, (row) => row.update_bytes.length, maxBytes).map(toLogEntry);
  }

  /**
   * Whole documents (each as one update), in node id order after `after`: what a spoke sends a
   * hub that lost its store, since its own log entries build on other devices' writes the new
   * hub never had.
   */
  docStatesAfter(
    after: string,
    limit: number,
    maxBytes: number,
  ): Array<{ node_id: string; update: Uint8Array }> {
    const rows = this.store.db
      .query<{ node_id: string; state: Uint8Array }, [string, number]>(
        "SELECT node_id, state FROM sync_docs WHERE node_id > ? ORDER BY node_id LIMIT ?",
      )
      .all(after, limit);
    return withinBytes(rows, (row) => row.state.length, maxBytes).map((row) => ({
      node_id: row.node_id,
      update: row.state,
    }));
  }

  /** How many of this replica's own updates are after `after`. */
  ownCountAfter(after: number): number {
    return (
      this.store.db
        .query<{ n: number }, [number]>(
          "SELECT count(*) AS n FROM sync_log WHERE seq > ? AND received = 0",
        )
        .get(after) as { n: number }
    ).n;
  }

  lastSeq(): number {
    return (
      this.store.db.query<{ n: number | null }, []>("SELECT max(seq) AS n FROM sync_log").get()
        ?.n ?? 0
    );
  }
}

/**
 * Whether a document holds a whole node: its first version may still be on its way (a later
 * update arrived first, or a hub that lost its store has only some of it), and then the node
 * waits in its document until the rest comes.
 */
function isComplete(doc: Y.Doc): boolean {
  const fields = doc.getMap<unknown>(FIELD_MAP);
  return ["kind", "title", "created_at", "updated_at"].every(
    (key) => typeof fields.get(key) === "string",
  );
}

/** A sync_log row as SQLite returns it. */
interface LogRow {
  seq: number;
  node_id: string;
  update_bytes: Uint8Array;
  origin: string;
}

function toLogEntry(row: LogRow): LogEntry {
  return { seq: row.seq, node_id: row.node_id, update: row.update_bytes, origin: row.origin };
}

/** The longest prefix of `items` within `maxBytes` (one item at least), so a page fits a request. */
function withinBytes<T>(items: readonly T[], size: (item: T) => number, maxBytes: number): T[] {
  let bytes = 0;
  let count = 0;
  for (const item of items) {
    bytes += size(item);
    if (count > 0 && bytes > maxBytes) break;
    count++;
  }
  return items.slice(0, count);
}

/** The updates `work` makes to `doc`, as the engine reports them. */
export function collectUpdates(doc: Y.Doc, work: () => void): Uint8Array[] {
  const updates: Uint8Array[] = [];
  const listen = (update: Uint8Array) => updates.push(update);
  doc.on("update", listen);
  try {
    work();
  } finally {
    doc.off("update", listen);
  }
  return updates;
}

function mergeAll(updates: Uint8Array[]): Uint8Array {
  return updates.length === 1 ? (updates[0] as Uint8Array) : Y.mergeUpdates(updates);
}

/**
 * Temporary triggers (this connection only) that note each node a write touches, whatever
 * method wrote it; the capture reads and clears them before the transaction commits.
 */
function installDirtyTriggers(store: Store) {
  const { db } = store;
  db.run("CREATE TEMP TABLE IF NOT EXISTS sync_dirty (node_id TEXT PRIMARY KEY) WITHOUT ROWID");
  for (const { table, column, when } of WATCHED) {
    for (const event of ["INSERT", "UPDATE", "DELETE"] as const) {
      const row = event === "DELETE" ? "old" : "new";
      const condition = when ? `WHEN ${when.replaceAll("type", `${row}.type`)}` : "";
      db.run(
        `CREATE TEMP TRIGGER IF NOT EXISTS sync_dirty_${table}_${event.toLowerCase()}
         AFTER ${event} ON main.${table} ${condition} BEGIN
           INSERT OR IGNORE INTO temp.sync_dirty (node_id) VALUES (${row}.${column});
         END`,
      );
    }
  }
}
