import { normaliseId } from "../../core/ids.ts";
import type { LocalDate } from "../../core/task-types.ts";
import type { ImportItemOut, ImportSource } from "../../protocol/import-schemas.ts";
import type { Node } from "../../protocol/schemas.ts";
import type { Store } from "../../store/store.ts";

/** What applying one item needs: the store (inside the item's savepoint) and the day. */
export interface ApplyContext {
  store: Store;
  source: ImportSource;
  /** The daemon's today, for recurrence checks and first occurrences. */
  today: LocalDate;
  /** An import timestamp, for closing a task the source says is closed without saying when. */
  now: string;
  /**
   * Keys of this batch that had no import record when it began, each forgotten once looked up
   * (a key twice in one batch is looked up again): on a first import, one query for the batch
   * instead of one per item.
   */
  unseenKeys?: Set<string>;
  /**
   * Project ids by path, for the fast pass only: a pass that fails is rolled back whole and run
   * again with savepoints and no cache, so no rolled-back project is ever remembered.
   */
  projectIds?: Map<string, string>;
}

export type Landed = "created" | "updated" | "unchanged";

export interface Applied {
  outcome: Landed;
  id: string;
  /** What could not be done although the item landed (a from_line whose line is gone…). */
  warnings: string[];
}

/** The node fields every kind of item sets, as a node patch. */
export function commonFields(item: ImportItemOut) {
  return {
    title: item.title,
    body: item.body,
    aliases: item.aliases,
    tags: item.tags,
    properties: item.properties,
    folder: item.folder,
    ...(item.created_at ? { created_at: item.created_at } : {}),
  };
}

/** The node imported before from an item's (source, key): what the outcome depends on. */
export interface Previous {
  id: string;
  kind: string;
  deleted_at: string | null;
  hash: string;
  mergedHash: string | null;
  /** The whole node, read only when an applier needs its fields (a journal merge). */
  node(): Node;
}

/**
 * The node imported before from an item's (source, key). A note of a heph export imported into
 * the store it came from has no record yet, but its id names its node: that node is the one,
 * when it is of the same kind, and the import updates it (an export edited in Obsidian comes
 * back as edits, not as copies).
 */
export function previous(context: ApplyContext, item: ImportItemOut): Previous | undefined {
  const unseen = context.unseenKeys?.delete(item.key) === true;
  const record = unseen ? undefined : context.store.imports.find(context.source, item.key);
  if (!record) {
    const node = item.id
      ? context.store.nodes.get(normaliseId(item.id), { includeDeleted: true })
      : undefined;
    if (!node || node.kind !== item.kind) return undefined;
    return {
      id: node.id,
      kind: node.kind,
      deleted_at: node.deleted_at,
      hash: "",
      mergedHash: null,
      node: () => node,
    };
  }
  return {
    id: record.node_id,
    kind: record.kind,
    deleted_at: record.deleted_at,
    hash: record.hash,
    mergedHash: record.merged_hash,
    node: () => context.store.nodes.get(record.node_id, { includeDeleted: true }) as Node,
  };
}
