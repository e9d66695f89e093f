/**
 * Undo and redo of this device's changes with the engine's own undo (Y.UndoManager), not a
 * copy of the store. Each local write's updates are remembered by their place in the sync log;
 * undoing one rebuilds the engine's record of it (what it inserted, what it deleted) and lets
 * the UndoManager revert it. The revert is an ordinary update: it is logged and syncs. A later
 * change by another device to the same field or text is left alone, as the engine's undo does.
 */
import type { Database } from "bun:sqlite";
import * as Y from "yjs";
import { FIELD_MAP } from "./node-doc.ts";

/** How many undo steps a store keeps; older ones are dropped. */
export const UNDO_DEPTH = 1000;

export interface UndoStep {
  id: number;
  /** sync_log seqs of the updates this step made, one or more per node. */
  entries: number[];
  /** Nodes the step created: undoing it tombstones them (their first version is not reverted). */
  created: string[];
  at: string;
}

interface StepRow {
  id: number;
  entries: string;
  created: string;
  at: string;
}

/** The engine's record of an update: the structs it inserted, the ones it deleted. */
type DeleteSet = ReturnType<typeof Y.createDeleteSet>;

function stackItemOf(update: Uint8Array): {
  insertions: DeleteSet;
  deletions: DeleteSet;
  meta: Map<unknown, unknown>;
} {
  const decoded = Y.decodeUpdate(update);
  const insertions = Y.createDeleteSet();
  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item)) continue;
    const ranges = insertions.clients.get(struct.id.client) ?? [];
    ranges.push({ clock: struct.id.clock, len: struct.length } as never);
    insertions.clients.set(struct.id.client, ranges);
  }
  return { insertions, deletions: decoded.ds, meta: new Map() };
}

/** Reverts `updates` (all of one node's, from one step) in `doc`; true when anything changed. */
export function revertUpdates(doc: Y.Doc, updates: readonly Uint8Array[]): boolean {
  const scope = [
    doc.getMap(FIELD_MAP),
    doc.getText("body"),
    doc.getArray("log"),
    doc.getMap("links"),
  ] as Array<Y.AbstractType<unknown>>;
  const manager = new Y.UndoManager(scope, { captureTimeout: 0 });
  try {
    const merged = updates.length === 1 ? (updates[0] as Uint8Array) : Y.mergeUpdates([...updates]);
    manager.undoStack.push(stackItemOf(merged) as never);
    return manager.undo() !== null;
  } finally {
    manager.destroy();
  }
}

/** The undo and redo stacks, kept in the store so they outlive a restart. */
export class UndoStacks {
  constructor(private readonly db: Database) {}

  private top(stack: "undo" | "redo"): UndoStep | undefined {
    const row = this.db
      .query<StepRow, [string]>(
        "SELECT id, entries, created, at FROM sync_undo WHERE stack = ? ORDER BY id DESC LIMIT 1",
      )
      .get(stack);
    return row
      ? {
          id: row.id,
          entries: JSON.parse(row.entries),
          created: JSON.parse(row.created),
          at: row.at,
        }
      : undefined;
  }

  peek(stack: "undo" | "redo"): UndoStep | undefined {
    return this.top(stack);
  }

  depth(stack: "undo" | "redo"): number {
    return (
      this.db
        .query<{ n: number }, [string]>("SELECT count(*) AS n FROM sync_undo WHERE stack = ?")
        .get(stack) as {
        n: number;
      }
    ).n;
  }

  push(stack: "undo" | "redo", step: Omit<UndoStep, "id">) {
    this.db
      .query("INSERT INTO sync_undo (stack, entries, created, at) VALUES (?, ?, ?, ?)")
      .run(stack, JSON.stringify(step.entries), JSON.stringify(step.created), step.at);
    this.db
      .query(
        `DELETE FROM sync_undo WHERE stack = ?1 AND id NOT IN
           (SELECT id FROM sync_undo WHERE stack = ?1 ORDER BY id DESC LIMIT ${UNDO_DEPTH})`,
      )
      .run(stack);
  }

  remove(id: number) {
    this.db.query("DELETE FROM sync_undo WHERE id = ?").run(id);
  }

  /** A new change makes what was undone no longer redoable. */
  clearRedo() {
    this.db.query("DELETE FROM sync_undo WHERE stack = 'redo'").run();
  }

  /** The updates of a step, by node, in log order. */
  updatesOf(step: UndoStep): Map<string, Uint8Array[]> {
    const rows = this.db
      .query<{ node_id: string; update_bytes: Uint8Array }, [string]>(
        "SELECT node_id, update_bytes FROM sync_log WHERE seq IN (SELECT value FROM json_each(?)) ORDER BY seq",
      )
      .all(JSON.stringify(step.entries));
    const byNode = new Map<string, Uint8Array[]>();
    for (const row of rows) {
      const list = byNode.get(row.node_id) ?? [];
      list.push(row.update_bytes);
      byNode.set(row.node_id, list);
    }
    return byNode;
  }
}
