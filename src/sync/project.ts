import type { Database } from "bun:sqlite";
import type { Clock } from "../core/clock.ts";
import { toTimestamp } from "../core/clock.ts";
import type { NodeRow } from "../store/nodes.ts";
import type { Store } from "../store/store.ts";
import { missingLogItems, sameValue } from "./node-doc.ts";
import {
  type LogItem,
  linkKey,
  type NodeState,
  SINGLE_LINK_TYPES,
  splitLinkKey,
} from "./node-state.ts";

/** Kinds whose title is unique among live nodes (project names, whatever their case; journal dates). */
function clashingNode(db: Database, state: NodeState, title: string): NodeRow | null {
  if (state.deleted_at !== null) return null;
  if (state.kind === "project")
    return db
      .query<NodeRow, [string, string]>(
        "SELECT * FROM nodes WHERE kind = 'project' AND deleted_at IS NULL AND lower(title) = lower(?) AND id <> ?",
      )
      .get(title, state.id);
  if (state.kind === "journal")
    return db
      .query<NodeRow, [string, string]>(
        "SELECT * FROM nodes WHERE kind = 'journal' AND deleted_at IS NULL AND title = ? AND id <> ?",
      )
      .get(title, state.id);
  return null;
}

/** The name a duplicate takes: its own, marked with the end of its id (the same on every replica). */
export function duplicateTitle(title: string, id: string): string {
  return `${title} (${id.slice(-6)})`;
}

/**
 * Writes node states from the engine into the query tables: rows first (so every link can find
 * its target), then links. Each node written is recorded, so events and sync capture hear of it.
 * Two live projects (or journals) that merged under one name: the one with the larger id is
 * renamed by duplicateTitle, the same way on every replica; returns the nodes renamed so.
 */
export function projectStates(store: Store, clock: Clock, states: readonly NodeState[]): string[] {
  const renamed: string[] = [];
  for (const state of states) projectRow(store, state, renamed);
  for (const state of states) projectLinks(store.db, clock, state);
  return renamed;
}

function projectRow(store: Store, state: NodeState, renamed: string[]) {
  const { db } = store;
  let title = state.title;
  const clash = clashingNode(db, state, title);
  if (clash) {
    if (clash.id > state.id) {
      db.query("UPDATE nodes SET title = ? WHERE id = ?").run(
        duplicateTitle(clash.title, clash.id),
        clash.id,
      );
      store.links.reresolveAround(clash.id);
      store.changes.record(clash.id);
      renamed.push(clash.id);
    } else {
      title = duplicateTitle(title, state.id);
      renamed.push(state.id);
    }
  }
  const current = db.query<NodeRow, [string]>("SELECT * FROM nodes WHERE id = ?").get(state.id);
  const properties = JSON.stringify(state.properties);
  if (!current) {
    db.query(
      `INSERT INTO nodes (id, kind, title, body, properties, folder, created_at, updated_at, deleted_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      state.id,
      state.kind,
      title,
      state.body,
      properties,
      state.folder,
      state.created_at,
      state.updated_at,
      state.deleted_at,
    );
    store.nodes.writeAliases(state.id, state.aliases);
    store.nodes.writeTags(state.id, state.tags);
    if (state.body !== "") store.links.deriveFromBody(state.id, state.body);
    store.links.resolveTowardsNew(state.id, [title, ...state.aliases]);
  } else {
    // Only the columns that changed: a body left alone is not re-indexed for search.
    const wanted: Record<string, string | null> = {
      title,
      body: state.body,
      properties,
      folder: state.folder,
      created_at: state.created_at,
      updated_at: state.updated_at,
      deleted_at: state.deleted_at,
    };
    const changed = Object.entries(wanted).filter(
      ([column, value]) => (current as unknown as Record<string, unknown>)[column] !== value,
    );
    if (changed.length > 0)
      db.query(
        `UPDATE nodes SET ${changed.map(([column]) => `${column} = ?`).join(", ")} WHERE id = ?`,
      ).run(...changed.map(([, value]) => value), state.id);
    const labels = store.nodes.labels(state.id);
    const aliasesChanged = !sameValue(labels.aliases, state.aliases);
    if (aliasesChanged) store.nodes.writeAliases(state.id, state.aliases);
    if (!sameValue(labels.tags, state.tags)) store.nodes.writeTags(state.id, state.tags);
    if (current.body !== state.body) store.links.deriveFromBody(state.id, state.body);
    if (current.title !== title || aliasesChanged || current.deleted_at !== state.deleted_at)
      store.links.reresolveAround(state.id);
  }
  if (state.task) projectTask(db, state.id, state.task, state.deleted_at !== null);
  store.changes.record(state.id);
}

function projectTask(
  db: Database,
  id: string,
  task: NonNullable<NodeState["task"]>,
  deleted: boolean,
) {
  const exists = db.query("SELECT 1 FROM tasks WHERE node_id = ?").get(id);
  const fields = [
    task.state,
    task.attention,
    task.do_date,
    task.late_on,
    task.recurrence,
    task.closed_at,
  ];
  if (exists) {
    db.query(
      `UPDATE tasks SET state = ?1, attention = ?2, do_date = ?3, late_on = ?4, recurrence = ?5,
         closed_at = ?6 WHERE node_id = ?7
         AND (state, attention, do_date, late_on, recurrence, closed_at) IS NOT (?1, ?2, ?3, ?4, ?5, ?6)`,
    ).run(...fields, id);
  } else {
    db.query(
      `INSERT INTO tasks (node_id, created_at, state, attention, do_date, late_on, recurrence, closed_at, deleted)
       VALUES (?, (SELECT created_at FROM nodes WHERE id = ?), ?, ?, ?, ?, ?, ?, ?)`,
    ).run(id, id, ...fields, deleted ? 1 : 0);
  }
  const have = db
    .query<LogItem, [string]>("SELECT at, kind, text FROM task_log WHERE task_id = ? ORDER BY seq")
    .all(id);
  const append = db.query("INSERT INTO task_log (task_id, at, kind, text) VALUES (?, ?, ?, ?)");
  // Entries from two devices are appended in the engine's order; `log` lists order by time.
  for (const item of missingLogItems(have, task.log)) append.run(id, item.at, item.kind, item.text);
}

function projectLinks(db: Database, clock: Clock, state: NodeState) {
  const now = toTimestamp(clock());
  const exists = db.query<{ id: string }, [string]>("SELECT id FROM nodes WHERE id = ?");
  const insert = db.query(
    "INSERT OR REPLACE INTO links (src, type, target, dst, created_at) VALUES (?, ?, ?, ?, ?)",
  );
  const remove = db.query("DELETE FROM links WHERE src = ? AND type = ? AND target = ?");
  const current = db
    .query<{ type: string; target: string }, [string]>(
      "SELECT type, target FROM links WHERE src = ? AND type NOT IN ('wiki', 'tag')",
    )
    .all(state.id);
  const wanted = new Set(state.links);
  for (const type of SINGLE_LINK_TYPES) {
    const target = state.single[type];
    if (target !== null) wanted.add(linkKey(type, target));
  }
  for (const link of current) {
    const key = linkKey(link.type, link.target);
    if (wanted.has(key)) wanted.delete(key);
    else remove.run(state.id, link.type, link.target);
  }
  for (const key of wanted) {
    const { type, target } = splitLinkKey(key);
    // A target not here yet is linked when it arrives (below, as that node is written).
    insert.run(state.id, type, target, exists.get(target) ? target : null, now);
  }
  db.query(
    "UPDATE links SET dst = target WHERE dst IS NULL AND target = ? AND type NOT IN ('wiki', 'tag')",
  ).run(state.id);
}
