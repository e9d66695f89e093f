import type { Database } from "bun:sqlite";
import * as Y from "yjs";
import { FIELD_MAP, readStateFromDoc, sameValue } from "./node-doc.ts";

/**
 * Fields whose concurrent change is not worth a user's attention: timestamps that move with
 * every edit, a close time that follows the state, the delete (kept visible another way), and
 * the kind and task marker, which no method changes after creation.
 */
const QUIET_FIELDS = new Set(["updated_at", "closed_at", "deleted", "is_task", "kind"]);

export interface Conflict {
  id: number;
  node_id: string;
  field: string;
  kept: unknown;
  lost: unknown;
  detected_at: string;
  resolved_at: string | null;
  resolution: string | null;
}

/** A conflicts row as SQLite returns it: kept and lost still JSON text. */
type ConflictRow = Omit<Conflict, "kept" | "lost"> & { kept: string; lost: string };

const CONFLICT_COLUMNS =
  "SELECT id, node_id, field, kept, lost, detected_at, resolved_at, resolution FROM conflicts";

function toConflict(row: ConflictRow): Conflict {
  return { ...row, kept: JSON.parse(row.kept), lost: JSON.parse(row.lost) };
}

/** A scalar write that lost to a concurrent one, as found in a document. */
export interface FoundConflict {
  field: string;
  kept: unknown;
  lost: unknown;
  lostItem: string;
  winnerItem: string;
}

/** A map entry's engine item (Yjs keeps the current one per key in `_map`). */
type MapItem = Y.Item & { origin: Y.ID | null; left: Y.Item | null };

function itemName(id: Y.ID): string {
  return `${id.client}:${id.clock}`;
}

/** The value an item holds, when the engine still has it (a deleted item's may be collected). */
function itemValue(item: Y.Item): { known: boolean; value: unknown } {
  const content = item.content as unknown as { arr?: unknown[] };
  if (Array.isArray(content.arr)) return { known: true, value: content.arr[0] };
  return { known: false, value: undefined };
}

/** Each field's current item and value, taken before an update is applied. */
export function fieldItems(doc: Y.Doc): Map<string, { item: string; value: unknown }> {
  const map = doc.getMap<unknown>(FIELD_MAP) as Y.Map<unknown> & { _map: Map<string, Y.Item> };
  const items = new Map<string, { item: string; value: unknown }>();
  for (const [key, item] of map._map)
    items.set(key, { item: itemName(item.id), value: map.get(key) });
  return items;
}

/** Values of map items in an update, by item name: a losing remote write's value. */
export function updateValues(update: Uint8Array, into: Map<string, unknown>) {
  for (const struct of Y.decodeUpdate(update).structs) {
    if (!(struct instanceof Y.Item)) continue;
    const { known, value } = itemValue(struct);
    if (known) into.set(itemName(struct.id), value);
  }
}

/**
 * The scalar writes that lost to the current value without having been seen by its writer:
 * siblings of the winning item (written on top of the same earlier value). The same on every
 * replica holding the same updates.
 */
export function detectConflicts(
  doc: Y.Doc,
  before: Map<string, { item: string; value: unknown }>,
  incoming: Map<string, unknown>,
): FoundConflict[] {
  const map = doc.getMap<unknown>(FIELD_MAP) as Y.Map<unknown> & { _map: Map<string, MapItem> };
  const found: FoundConflict[] = [];
  for (const [field, winner] of map._map) {
    if (QUIET_FIELDS.has(field) || field.startsWith("deleted:") || winner.deleted) continue;
    const kept = map.get(field);
    // Siblings sit to the winner's left, ordered by client; a handful at most.
    let left = winner.left as MapItem | null;
    for (let steps = 0; left !== null && steps < 64; steps++, left = left.left as MapItem | null) {
      const sibling =
        winner.origin === null ? left.origin === null : Y.compareIDs(left.origin, winner.origin);
      if (!sibling) continue;
      const name = itemName(left.id);
      const own = itemValue(left);
      const lost = own.known
        ? own.value
        : incoming.has(name)
          ? incoming.get(name)
          : before.get(field)?.item === name
            ? before.get(field)?.value
            : undefined;
      if (lost === undefined || sameValue(lost, kept)) continue;
      found.push({ field, kept, lost, lostItem: name, winnerItem: itemName(winner.id) });
    }
  }
  return found;
}

/** The name an overruled delete's conflict row gives the delete (its lost item). */
export function overruledDeleteItem(by: number, at: string): string {
  return `delete:${by}:${at}`;
}

/** The conflicts table: what replicas recorded, and what the user did about it. */
export class ConflictStore {
  constructor(private readonly db: Database) {}

  record(nodeId: string, found: readonly FoundConflict[], doc: Y.Doc, detectedAt: string): number {
    let added = 0;
    const insert = this.db.query(
      `INSERT OR IGNORE INTO conflicts (node_id, field, kept, lost, lost_item, winner_item, detected_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const conflict of found) {
      added += insert.run(
        nodeId,
        conflict.field,
        JSON.stringify(conflict.kept ?? null),
        JSON.stringify(conflict.lost ?? null),
        conflict.lostItem,
        conflict.winnerItem,
        detectedAt,
      ).changes;
    }
    this.settle(nodeId, doc, detectedAt);
    return added;
  }

  /**
   * Settles what the document's current state answers: a field written again since (on any
   * device, this one included) is no longer in conflict, the new write saw both; an overruled
   * delete is, once the node is deleted after all or a later delete was overruled in its turn
   * (one open question per node, the same on every replica).
   */
  settle(nodeId: string, doc: Y.Doc, at: string) {
    const map = doc.getMap<unknown>(FIELD_MAP) as Y.Map<unknown> & { _map: Map<string, Y.Item> };
    const open = this.db
      .query<{ id: number; field: string; lost_item: string; winner_item: string }, [string]>(
        "SELECT id, field, lost_item, winner_item FROM conflicts WHERE node_id = ? AND resolved_at IS NULL",
      )
      .all(nodeId);
    const settle = this.db.query(
      "UPDATE conflicts SET resolved_at = ?, resolution = 'superseded' WHERE id = ?",
    );
    for (const row of open) {
      if (row.field === "deleted") {
        const overruled = readStateFromDoc(doc, nodeId).deletionOverruled;
        if (!overruled || row.lost_item !== overruledDeleteItem(overruled.by, overruled.at))
          settle.run(at, row.id);
        continue;
      }
      const current = map._map.get(row.field);
      if (current && itemName(current.id) !== row.winner_item) settle.run(at, row.id);
    }
  }

  /** A delete that an edit it had not seen overruled: the node stays, and the user is told. */
  recordOverruledDelete(nodeId: string, deletedAt: string, lostItem: string, detectedAt: string) {
    this.db
      .query(
        `INSERT OR IGNORE INTO conflicts (node_id, field, kept, lost, lost_item, winner_item, detected_at)
         VALUES (?, 'deleted', 'null', ?, ?, 'edit', ?)`,
      )
      .run(nodeId, JSON.stringify(deletedAt), lostItem, detectedAt);
  }

  list(options: { all: boolean; nodeId?: string | undefined }): Conflict[] {
    return this.db
      .query<ConflictRow, [number, string | null]>(
        `${CONFLICT_COLUMNS} WHERE (?1 OR resolved_at IS NULL) AND (?2 IS NULL OR node_id = ?2) ORDER BY id`,
      )
      .all(options.all ? 1 : 0, options.nodeId ?? null)
      .map(toConflict);
  }

  get(id: number): Conflict | undefined {
    const row = this.db.query<ConflictRow, [number]>(`${CONFLICT_COLUMNS} WHERE id = ?`).get(id);
    return row ? toConflict(row) : undefined;
  }

  openCount(): number {
    return (
      this.db.query("SELECT count(*) AS n FROM conflicts WHERE resolved_at IS NULL").get() as {
        n: number;
      }
    ).n;
  }

  markResolved(id: number, resolution: string, at: string) {
    this.db
      .query("UPDATE conflicts SET resolved_at = ?, resolution = ? WHERE id = ?")
      .run(at, resolution, id);
  }
}
