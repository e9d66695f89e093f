import { createHash } from "node:crypto";
import * as Y from "yjs";
import {
  emptySingle,
  type LogItem,
  type NodeState,
  SINGLE_LINK_TYPES,
  type SingleLinkType,
} from "./node-state.ts";

/**
 * One node as a Yjs document:
 * - `f`, a map of scalars (last writer wins, the same winner on every replica);
 * - `body`, a text, so edits to different parts of one body both survive;
 * - `log`, an array, so log entries written on two devices are both kept;
 * - `links`, a map used as a set of the node's free typed links.
 */
export const FIELD_MAP = "f";

/** How a delete is kept: when, by which engine client, and what that client had seen. */
export interface Deletion {
  at: string;
  by: number;
  seen: Record<string, number>;
}

/**
 * Each client keeps its delete in a field of its own, `deleted:<client>`, so deletes made at
 * once on two devices are all kept (one field for all would keep one, perhaps the one that had
 * seen least). `deleted` is where an earlier version kept the last delete; still read.
 */
function isDeletionKey(key: string): boolean {
  return key === "deleted" || key.startsWith("deleted:");
}

/**
 * The delete in effect (the latest that no unseen edit overruled), and the overruled ones, latest
 * first. A pure function of the document, so every replica with the same updates agrees.
 */
function readDeletions(doc: Y.Doc): {
  effective: Deletion | null;
  overruled: Deletion[];
  /** The fields of the deletes in effect. */
  effectiveKeys: string[];
} {
  const found: Array<{ key: string; deletion: Deletion; overruled: boolean }> = [];
  for (const [key, value] of doc.getMap<unknown>(FIELD_MAP).entries()) {
    if (!isDeletionKey(key) || !value) continue;
    const deletion = value as Deletion;
    found.push({ key, deletion, overruled: editedSinceDeletion(doc, deletion) });
  }
  // Latest first: by time, then by client, the same order everywhere.
  found.sort((x, y) =>
    x.deletion.at !== y.deletion.at
      ? x.deletion.at < y.deletion.at
        ? 1
        : -1
      : y.deletion.by - x.deletion.by,
  );
  const effective = found.filter((entry) => !entry.overruled);
  return {
    effective: effective[0]?.deletion ?? null,
    overruled: found.filter((entry) => entry.overruled).map((entry) => entry.deletion),
    effectiveKeys: effective.map((entry) => entry.key),
  };
}

const TASK_FIELDS = [
  "state",
  "attention",
  "do_date",
  "late_on",
  "recurrence",
  "closed_at",
] as const;

/** Scalar keys of `f` and the value each takes from a state. */
function scalars(state: NodeState): Array<[string, unknown]> {
  const entries: Array<[string, unknown]> = [
    ["kind", state.kind],
    ["title", state.title],
    ["aliases", state.aliases],
    ["tags", state.tags],
    ["properties", state.properties],
    ["folder", state.folder],
    ["created_at", state.created_at],
    ["updated_at", state.updated_at],
    ["is_task", state.task !== null],
  ];
  for (const key of TASK_FIELDS) entries.push([key, state.task ? state.task[key] : null]);
  for (const type of SINGLE_LINK_TYPES) entries.push([`link:${type}`, state.single[type]]);
  return entries;
}

export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** The document's state vector as a plain object (client id → next clock). */
export function stateVectorObject(doc: Y.Doc): Record<string, number> {
  const vector: Record<string, number> = {};
  for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(doc)))
    vector[String(client)] = clock;
  return vector;
}

/**
 * The engine client id of a node's first version: the same on every replica that makes the
 * same node from the same state (two stores that imported one export), so their first
 * versions are one history rather than two copies of the text.
 */
export function genesisClientId(state: NodeState): number {
  const digest = createHash("sha256").update(JSON.stringify(state)).digest();
  // Never 0: a clear "unset" value in logs.
  return digest.readUInt32BE(0) || 1;
}

/** Replaces the text with `next` by the smallest middle edit, so concurrent edits elsewhere survive. */
function editText(text: Y.Text, next: string) {
  const current = text.toString();
  if (current === next) return;
  let start = 0;
  const shortest = Math.min(current.length, next.length);
  while (start < shortest && current.charCodeAt(start) === next.charCodeAt(start)) start++;
  let end = 0;
  while (
    end < shortest - start &&
    current.charCodeAt(current.length - 1 - end) === next.charCodeAt(next.length - 1 - end)
  )
    end++;
  // Never split a surrogate pair between the kept and the edited part.
  if (start > 0 && isHighSurrogate(current.charCodeAt(start - 1))) start--;
  if (end > 0 && isLowSurrogate(current.charCodeAt(current.length - end))) end--;
  const removed = current.length - start - end;
  if (removed > 0) text.delete(start, removed);
  const inserted = next.slice(start, next.length - end);
  if (inserted.length > 0) text.insert(start, inserted);
}

function isHighSurrogate(code: number) {
  return code >= 0xd800 && code <= 0xdbff;
}
function isLowSurrogate(code: number) {
  return code >= 0xdc00 && code <= 0xdfff;
}

function logKey(item: LogItem): string {
  return `${item.at}\u0000${item.kind}\u0000${item.text}`;
}

/** Entries of `wanted` not yet among `have`, counting repeats. */
export function missingLogItems(have: readonly LogItem[], wanted: readonly LogItem[]): LogItem[] {
  const counts = new Map<string, number>();
  for (const item of have) counts.set(logKey(item), (counts.get(logKey(item)) ?? 0) + 1);
  const missing: LogItem[] = [];
  for (const item of wanted) {
    const key = logKey(item);
    const left = counts.get(key) ?? 0;
    if (left > 0) counts.set(key, left - 1);
    else missing.push(item);
  }
  return missing;
}

/**
 * Writes what differs between the document and `state` into the document, as one transaction
 * of `origin`. Whether anything changed is the engine's update event (a caller listens with
 * collectUpdates): a pure deletion moves no state vector.
 */
export function writeStateToDoc(doc: Y.Doc, state: NodeState, origin: unknown) {
  const fields = doc.getMap<unknown>(FIELD_MAP);
  const body = doc.getText("body");
  const log = doc.getArray<LogItem>("log");
  const links = doc.getMap<boolean>("links");
  const seen = stateVectorObject(doc);
  // A live node clears only the deletes in effect: one an unseen edit overruled already reads
  // as live, and clearing it would be a write that a later delete (made after seeing the edit)
  // had not seen either.
  const { effective, effectiveKeys } = readDeletions(doc);
  doc.transact(() => {
    for (const [key, value] of scalars(state)) {
      if (!fields.has(key) || !sameValue(fields.get(key), value)) fields.set(key, value ?? null);
    }
    if (state.deleted_at === null) {
      if (!fields.has("deleted")) fields.set("deleted", null);
      for (const key of effectiveKeys) fields.set(key, null);
    } else if (!effective || effective.at !== state.deleted_at) {
      const deletion: Deletion = { at: state.deleted_at, by: doc.clientID, seen };
      fields.set(`deleted:${doc.clientID}`, deletion);
    }
    editText(body, state.body);
    if (state.task) {
      const missing = missingLogItems(log.toArray(), state.task.log);
      if (missing.length > 0) log.push(missing);
    }
    const wanted = new Set(state.links);
    for (const key of [...links.keys()]) if (!wanted.has(key)) links.delete(key);
    for (const key of wanted) if (!links.has(key)) links.set(key, true);
  }, origin);
}

/**
 * Whether a client other than the deleter wrote to the node after what the deleter had seen:
 * an edit the delete did not see, which the delete must not beat. Another client's delete is
 * no edit (two devices deleting one node at once must not bring it back): neither its delete
 * field nor what else its delete's transaction wrote (the updated time). A pure function of
 * the document, so every replica with the same updates agrees.
 */
export function editedSinceDeletion(doc: Y.Doc, deletion: Deletion): boolean {
  const fields = doc.getMap<unknown>(FIELD_MAP);
  for (const [client, structs] of doc.store.clients) {
    if (client === deletion.by) continue;
    const seen = deletion.seen[String(client)] ?? 0;
    const last = structs.at(-1);
    if (!last || last.id.clock + last.length <= seen) continue;
    const own = deleteTransaction(doc, client);
    for (let index = Y.findIndexSS(structs, seen); index < structs.length; index++) {
      const struct = structs[index] as Y.Item | Y.GC;
      const key = struct instanceof Y.Item && struct.parent === fields ? struct.parentSub : null;
      if (key !== null && isDeletionKey(key)) continue;
      const from = Math.max(struct.id.clock, seen);
      if (own && from >= own.from && struct.id.clock + struct.length <= own.to) continue;
      return true;
    }
  }
  return false;
}

/**
 * The clocks `client` wrote in the transaction of its delete in effect: from what it had of
 * its own writes then, to its delete field.
 */
function deleteTransaction(doc: Y.Doc, client: number): { from: number; to: number } | null {
  const fields = doc.getMap<unknown>(FIELD_MAP) as Y.Map<unknown> & { _map: Map<string, Y.Item> };
  const key = `deleted:${client}`;
  const item = fields._map.get(key);
  const deletion = fields.get(key) as Deletion | null | undefined;
  if (!item || item.deleted || !deletion) return null;
  return { from: deletion.seen[String(client)] ?? 0, to: item.id.clock + item.length };
}

export interface DocReading {
  state: NodeState;
  /**
   * Deleted on one device but edited on another that had not seen the delete: kept. The latest
   * such delete (a node kept through several deletes is one question to its user).
   */
  deletionOverruled: Deletion | null;
}

/** The node as the document holds it now. */
export function readStateFromDoc(doc: Y.Doc, id: string): DocReading {
  const fields = doc.getMap<unknown>(FIELD_MAP);
  const text = (key: string) => fields.get(key) as string;
  const maybe = (key: string) => (fields.get(key) ?? null) as string | null;
  const { effective, overruled } = readDeletions(doc);
  const single = emptySingle();
  for (const type of SINGLE_LINK_TYPES) single[type as SingleLinkType] = maybe(`link:${type}`);
  const state: NodeState = {
    id,
    kind: fields.get("kind") as NodeState["kind"],
    title: text("title"),
    body: doc.getText("body").toString(),
    aliases: (fields.get("aliases") ?? []) as string[],
    tags: (fields.get("tags") ?? []) as string[],
    properties: (fields.get("properties") ?? {}) as Record<string, unknown>,
    folder: maybe("folder"),
    created_at: text("created_at"),
    updated_at: text("updated_at"),
    deleted_at: effective ? effective.at : null,
    task: fields.get("is_task")
      ? {
          state: text("state"),
          attention: text("attention"),
          do_date: maybe("do_date"),
          late_on: maybe("late_on"),
          recurrence: maybe("recurrence"),
          closed_at: maybe("closed_at"),
          log: doc.getArray<LogItem>("log").toArray(),
        }
      : null,
    single,
    links: [...doc.getMap<boolean>("links").keys()].sort(),
  };
  return { state, deletionOverruled: effective ? null : (overruled[0] ?? null) };
}

/** A document from its stored state (or a new one), writing as `clientId` from now on. */
export function loadDoc(stored: Uint8Array | null, clientId: number): Y.Doc {
  // Deleted content is kept (gc off): undo restores it, and a conflict can show the lost value.
  // A fixed guid: a random one costs a uuid per load, and node documents are never subdocuments.
  const doc = new Y.Doc({ gc: false, guid: "heph-node" });
  if (stored) Y.applyUpdate(doc, stored);
  doc.clientID = clientId;
  return doc;
}
