import type { Database } from "bun:sqlite";
import type { ExportNode } from "../protocol/import-schemas.ts";
import { describeNodes } from "../store/export.ts";
import { DERIVED_LINK_TYPES, SUBTASK_LINK } from "../store/links.ts";
import type { NodeRow } from "../store/nodes.ts";

/**
 * Link types a node has at most one of: each is a scalar of the node (last writer wins), so a
 * task moved to two projects on two devices ends in one of them, never both.
 */
export const SINGLE_LINK_TYPES = [
  "in-project",
  "parent",
  "canonical-context",
  SUBTASK_LINK,
] as const;
export type SingleLinkType = (typeof SINGLE_LINK_TYPES)[number];

export interface LogItem {
  at: string;
  kind: string;
  text: string;
}

/**
 * What sync carries of a node: every field a user wrote. Wiki and tag links are not in it
 * (each replica derives them from the body); import bookkeeping stays with the store it was
 * made in.
 */
export interface NodeState {
  id: string;
  kind: ExportNode["kind"];
  title: string;
  body: string;
  aliases: string[];
  tags: string[];
  properties: Record<string, unknown>;
  folder: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  task: {
    state: string;
    attention: string;
    do_date: string | null;
    late_on: string | null;
    recurrence: string | null;
    closed_at: string | null;
    log: LogItem[];
  } | null;
  /** The target id of each single-valued link, or null. */
  single: Record<SingleLinkType, string | null>;
  /** The node's other typed links, as `type` NUL `target`, sorted. */
  links: string[];
}

const DERIVED = new Set<string>(DERIVED_LINK_TYPES);
const SINGLE = new Set<string>(SINGLE_LINK_TYPES);

export function linkKey(type: string, target: string): string {
  return `${type}\u0000${target}`;
}

export function splitLinkKey(key: string): { type: string; target: string } {
  const at = key.indexOf("\u0000");
  return { type: key.slice(0, at), target: key.slice(at + 1) };
}

export function emptySingle(): Record<SingleLinkType, string | null> {
  return { "in-project": null, parent: null, "canonical-context": null, [SUBTASK_LINK]: null };
}

/** The sync state of each node among `ids` that has a row (tombstones included). */
export function readNodeStates(db: Database, ids: readonly string[]): Map<string, NodeState> {
  const states = new Map<string, NodeState>();
  if (ids.length === 0) return states;
  const rows = db
    .query<NodeRow, [string]>("SELECT * FROM nodes WHERE id IN (SELECT value FROM json_each(?))")
    .all(JSON.stringify(ids));
  const { nodes, links } = describeNodes(db, rows);
  const single = new Map<string, Record<SingleLinkType, string | null>>();
  const typed = new Map<string, string[]>();
  for (const link of links) {
    if (DERIVED.has(link.type)) continue;
    if (SINGLE.has(link.type)) {
      const own = single.get(link.src) ?? emptySingle();
      own[link.type as SingleLinkType] = link.target;
      single.set(link.src, own);
    } else {
      const own = typed.get(link.src) ?? [];
      own.push(linkKey(link.type, link.target));
      typed.set(link.src, own);
    }
  }
  for (const node of nodes) {
    states.set(node.id, {
      id: node.id,
      kind: node.kind,
      title: node.title,
      body: node.body,
      aliases: node.aliases,
      tags: node.tags,
      properties: node.properties,
      folder: node.folder,
      created_at: node.created_at,
      updated_at: node.updated_at,
      deleted_at: node.deleted_at,
      task: node.task
        ? {
            state: node.task.state,
            attention: node.task.attention,
            do_date: node.task.do_date,
            late_on: node.task.late_on,
            recurrence: node.task.recurrence,
            closed_at: node.task.closed_at,
            log: node.task.log.map(({ at, kind, text }) => ({ at, kind, text })),
          }
        : null,
      single: single.get(node.id) ?? emptySingle(),
      links: (typed.get(node.id) ?? []).sort(),
    });
  }
  return states;
}
