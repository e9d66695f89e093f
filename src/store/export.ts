import type { Database } from "bun:sqlite";
import type { ExportLink, ExportNode } from "../protocol/import-schemas.ts";
import { SUBTASK_LINK } from "./links.ts";
import type { NodeRow } from "./nodes.ts";

interface TaskRow {
  node_id: string;
  state: "outstanding" | "done" | "dropped";
  attention: "white" | "orange" | "red" | "blue";
  do_date: string | null;
  late_on: string | null;
  recurrence: string | null;
  closed_at: string | null;
}

export interface ExportSlice {
  nodes: ExportNode[];
  links: ExportLink[];
  /** The last id of this page when more nodes follow; null on the last page. */
  next_after: string | null;
}

/** Rows of `sql` (which takes the page's ids as one JSON array), grouped by their first column. */
function grouped<R extends Record<string, unknown>>(
  db: Database,
  sql: string,
  ids: string,
  by: keyof R,
): Map<string, R[]> {
  const map = new Map<string, R[]>();
  for (const row of db.query<R, [string]>(sql).all(ids)) {
    const key = row[by] as string;
    const list = map.get(key);
    if (list) list.push(row);
    else map.set(key, [row]);
  }
  return map;
}

const IN_PAGE = "IN (SELECT value FROM json_each(?))";

/**
 * One page of the export, in id order after `after`: at most `limit` nodes, and fewer once their
 * text passes `maxBytes` (always one at least), described by describeNodes.
 */
export function exportPage(
  db: Database,
  options: { after: string | null; limit: number; includeDeleted: boolean; maxBytes: number },
): ExportSlice {
  const rows = db
    .query<NodeRow, [string, number, number]>(
      "SELECT * FROM nodes WHERE id > ? AND (? OR deleted_at IS NULL) ORDER BY id LIMIT ?",
    )
    .all(options.after ?? "", options.includeDeleted ? 1 : 0, options.limit + 1);
  let bytes = 0;
  let count = 0;
  for (const row of rows.slice(0, options.limit)) {
    bytes += row.title.length + row.body.length + row.properties.length;
    count++;
    if (bytes > options.maxBytes) break;
  }
  const page = rows.slice(0, count);
  const more = rows.length > count;
  return { ...describeNodes(db, page), next_after: more ? (page.at(-1)?.id ?? null) : null };
}

/**
 * The given rows as export nodes, with everything hanging off them — aliases, tags, task fields
 * and log, project parents, import sources — and the links they make.
 */
export function describeNodes(
  db: Database,
  page: readonly NodeRow[],
): { nodes: ExportNode[]; links: ExportLink[] } {
  const ids = JSON.stringify(page.map((row) => row.id));
  const aliases = grouped<{ node_id: string; alias: string }>(
    db,
    `SELECT node_id, alias FROM node_aliases WHERE node_id ${IN_PAGE} ORDER BY node_id, position`,
    ids,
    "node_id",
  );
  const tags = grouped<{ node_id: string; tag: string }>(
    db,
    `SELECT node_id, tag FROM node_tags WHERE node_id ${IN_PAGE} ORDER BY node_id, position`,
    ids,
    "node_id",
  );
  const tasks = grouped<TaskRow & Record<string, unknown>>(
    db,
    `SELECT node_id, state, attention, do_date, late_on, recurrence, closed_at FROM tasks WHERE node_id ${IN_PAGE}`,
    ids,
    "node_id",
  );
  const logs = grouped<{ task_id: string; at: string; kind: string; text: string }>(
    db,
    `SELECT task_id, at, kind, text FROM task_log WHERE task_id ${IN_PAGE} ORDER BY seq`,
    ids,
    "task_id",
  );
  const sources = grouped<{ node_id: string; source: string; key: string }>(
    db,
    `SELECT node_id, source, key FROM import_sources WHERE node_id ${IN_PAGE} ORDER BY source, key`,
    ids,
    "node_id",
  );
  const links = db
    .query<ExportLink, [string]>(
      `SELECT src, type, target, dst FROM links WHERE src ${IN_PAGE} ORDER BY src, type, target`,
    )
    .all(ids);
  const typed = new Map<string, string>();
  for (const link of links)
    if (link.dst !== null && link.type !== "wiki" && link.type !== "tag")
      typed.set(`${link.src} ${link.type}`, link.dst);
  const linked = (id: string, type: string) => typed.get(`${id} ${type}`) ?? null;

  const nodes = page.map((row): ExportNode => {
    const task = tasks.get(row.id)?.[0];
    return {
      id: row.id,
      kind: row.kind,
      title: row.title,
      body: row.body,
      aliases: (aliases.get(row.id) ?? []).map((r) => r.alias),
      tags: (tags.get(row.id) ?? []).map((r) => r.tag),
      properties: JSON.parse(row.properties) as Record<string, unknown>,
      folder: row.folder,
      created_at: row.created_at,
      updated_at: row.updated_at,
      deleted_at: row.deleted_at,
      sources: (sources.get(row.id) ?? []).map(({ source, key }) => ({ source, key })),
      task: task
        ? {
            state: task.state,
            attention: task.attention,
            do_date: task.do_date,
            late_on: task.late_on,
            recurrence: task.recurrence,
            project_id: linked(row.id, "in-project"),
            context_id: linked(row.id, "canonical-context"),
            parent_id: linked(row.id, SUBTASK_LINK),
            closed_at: task.closed_at,
            log: (logs.get(row.id) ?? []).map(({ at, kind, text }) => ({ at, kind, text })),
          }
        : null,
      project: row.kind === "project" ? { parent_id: linked(row.id, "parent") } : null,
    };
  });
  return { nodes, links };
}

/** A counter that moves on every write to the store (this connection is the only writer). */
export function storeChanges(db: Database): number {
  return (db.query("SELECT total_changes() AS n").get() as { n: number }).n;
}
