import type { Database } from "bun:sqlite";
import { type Clock, nextTimestamp, toTimestamp } from "../core/clock.ts";
import { type IdFactory, idAt, normaliseId } from "../core/ids.ts";
import type { Node, NodeKind } from "../protocol/schemas.ts";
import type { ChangeTracker } from "./changes.ts";
import type { LinkStore } from "./links.ts";

/** A `nodes` row as SQLite returns it (properties still JSON text). */
export interface NodeRow {
  id: string;
  kind: NodeKind;
  title: string;
  body: string;
  properties: string;
  folder: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface NewNode {
  kind: NodeKind;
  title: string;
  body: string;
  aliases: string[];
  tags: string[];
  properties?: Record<string, unknown>;
  /** The source folder of an imported node (null or absent: none). */
  folder?: string | null;
  /** When the source says it was made (an import); the clock otherwise. */
  created_at?: string;
  /** An id to take if no node has it (an import of a heph export keeps its ids). */
  id?: string | undefined;
}

export interface NodePatch {
  title?: string | undefined;
  body?: string | undefined;
  properties?: Record<string, unknown> | undefined;
  aliases?: string[] | undefined;
  tags?: string[] | undefined;
  folder?: string | null | undefined;
  created_at?: string | undefined;
}

export type UpdateOutcome =
  | { status: "updated"; node: Node }
  | { status: "not_found" }
  | { status: "conflict"; current: Node };

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function prepare(db: Database) {
  return {
    selectNode: db.query<NodeRow, [string]>("SELECT * FROM nodes WHERE id = ?"),
    selectAliases: db.query<{ alias: string }, [string]>(
      "SELECT alias FROM node_aliases WHERE node_id = ? ORDER BY position",
    ),
    selectTags: db.query<{ tag: string }, [string]>(
      "SELECT tag FROM node_tags WHERE node_id = ? ORDER BY position",
    ),
    insertNode: db.query(
      "INSERT INTO nodes (id, kind, title, body, properties, folder, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    ),
    deleteAliases: db.query("DELETE FROM node_aliases WHERE node_id = ?"),
    insertAlias: db.query("INSERT INTO node_aliases (node_id, position, alias) VALUES (?, ?, ?)"),
    deleteTags: db.query("DELETE FROM node_tags WHERE node_id = ?"),
    insertTag: db.query("INSERT INTO node_tags (node_id, position, tag) VALUES (?, ?, ?)"),
    updateRow: db.query(
      "UPDATE nodes SET title = ?, body = ?, properties = ?, folder = ?, created_at = ?, updated_at = ? WHERE id = ?",
    ),
    tombstoneRow: db.query("UPDATE nodes SET deleted_at = ?, updated_at = ? WHERE id = ?"),
  };
}

/** Node storage: rows in `nodes`, ordered aliases and tags beside them. */
export class NodeStore {
  private readonly sql: ReturnType<typeof prepare>;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly newId: IdFactory,
    /** Hears of every node written, to announce it once the transaction commits. */
    private readonly changes: ChangeTracker,
    /** Keeps the link index in step with every body, title and alias write. */
    private readonly links?: LinkStore,
  ) {
    this.sql = prepare(db);
  }

  create(input: NewNode): Node {
    return this.changes.transaction(() => this.read(this.insert(input)) as Node);
  }

  /**
   * create without reading the node back: its id. An import makes many nodes and needs only
   * their ids. A node with a `created_at` from its source gets an id of that time.
   */
  insert(input: NewNode): string {
    return this.insertStamped(input).id;
  }

  /** insert, also returning the creation time it stored (a task copies it beside its fields). */
  insertStamped(input: NewNode): { id: string; created_at: string } {
    return this.changes.transaction(() => {
      const now = this.clock();
      const stamp = toTimestamp(now);
      const createdAt = input.created_at ?? stamp;
      const wanted = input.id === undefined ? undefined : normaliseId(input.id);
      const id =
        wanted !== undefined && !this.sql.selectNode.get(wanted)
          ? wanted
          : input.created_at === undefined
            ? this.newId(now.getTime())
            : idAt(Date.parse(createdAt));
      this.sql.insertNode.run(
        id,
        input.kind,
        input.title,
        input.body,
        JSON.stringify(input.properties ?? {}),
        input.folder ?? null,
        createdAt,
        input.created_at === undefined ? stamp : nextTimestamp(now, input.created_at),
      );
      // A new node has no aliases or tags to clear first.
      for (const [position, alias] of unique(input.aliases).entries())
        this.sql.insertAlias.run(id, position, alias);
      for (const [position, tag] of unique(input.tags).entries())
        this.sql.insertTag.run(id, position, tag);
      if (input.body !== "")
        this.links?.deriveFromBody(id, input.body, { folder: input.folder ?? null });
      this.links?.resolveTowardsNew(id, [input.title, ...input.aliases]);
      this.changes.record(id);
      return { id, created_at: createdAt };
    });
  }

  /**
   * Ids starting with `prefix` (ULIDs are upper-case), in order, at most `limit`: live nodes,
   * of one kind when given, tombstones too when asked for.
   */
  idsWithPrefix(
    prefix: string,
    limit: number,
    options: { kind?: NodeKind; includeDeleted?: boolean } = {},
  ): string[] {
    const upper = prefix.toUpperCase();
    return this.db
      .query<{ id: string }, [string, string, string | null, number, number]>(
        `SELECT id FROM nodes WHERE id >= ? AND id <= ? AND (?3 IS NULL OR kind = ?3)
           AND (?4 OR deleted_at IS NULL) ORDER BY id LIMIT ?5`,
      )
      .all(
        upper,
        `${upper}ZZZZZZZZZZZZZZZZZZZZZZZZZZ`,
        options.kind ?? null,
        options.includeDeleted ? 1 : 0,
        limit,
      )
      .map((row) => row.id);
  }

  /** A node by id; tombstoned nodes only when asked for. */
  get(id: string, options: { includeDeleted?: boolean } = {}): Node | undefined {
    const node = this.read(normaliseId(id));
    if (!node || (node.deleted_at !== null && !options.includeDeleted)) return undefined;
    return node;
  }

  /** Applies a patch; with `baseUpdatedAt`, only to the version the caller last saw. */
  update(id: string, patch: NodePatch, baseUpdatedAt?: string): UpdateOutcome {
    return this.changes.transaction((): UpdateOutcome => {
      const current = this.get(id);
      if (!current) return { status: "not_found" };
      if (baseUpdatedAt !== undefined && baseUpdatedAt !== current.updated_at) {
        return { status: "conflict", current };
      }
      const updatedAt = nextTimestamp(this.clock(), current.updated_at);
      this.sql.updateRow.run(
        patch.title ?? current.title,
        patch.body ?? current.body,
        JSON.stringify(patch.properties ?? current.properties),
        patch.folder === undefined ? current.folder : patch.folder,
        patch.created_at ?? current.created_at,
        updatedAt,
        current.id,
      );
      if (patch.aliases) this.writeAliases(current.id, patch.aliases);
      if (patch.tags) this.writeTags(current.id, patch.tags);
      if (patch.body !== undefined && patch.body !== current.body)
        this.links?.deriveFromBody(current.id, patch.body);
      const renamed = patch.title !== undefined && patch.title !== current.title;
      if (renamed || patch.aliases) this.links?.reresolveAround(current.id);
      this.changes.record(current.id);
      return { status: "updated", node: this.read(current.id) as Node };
    });
  }

  /** Tombstones a node. Deleting a tombstone again returns it unchanged. */
  delete(id: string): Node | undefined {
    return this.changes.transaction(() => {
      const current = this.get(id, { includeDeleted: true });
      if (!current) return undefined;
      if (current.deleted_at !== null) return current;
      const stamp = nextTimestamp(this.clock(), current.updated_at);
      this.sql.tombstoneRow.run(stamp, stamp, current.id);
      // Links that named it now name whatever else answers to that name, or nothing.
      this.links?.reresolveAround(current.id);
      this.changes.record(current.id);
      return this.read(current.id);
    });
  }

  private read(id: string): Node | undefined {
    const row = this.sql.selectNode.get(id);
    if (!row) return undefined;
    return {
      ...row,
      properties: JSON.parse(row.properties) as Record<string, unknown>,
      ...this.labels(id),
    };
  }

  /** A node's aliases and tags, in order. */
  labels(id: string): { aliases: string[]; tags: string[] } {
    return {
      aliases: this.sql.selectAliases.all(id).map((r) => r.alias),
      tags: this.sql.selectTags.all(id).map((r) => r.tag),
    };
  }

  /** Replaces a node's aliases (duplicates dropped, order kept). */
  writeAliases(id: string, aliases: readonly string[]) {
    this.sql.deleteAliases.run(id);
    unique(aliases).forEach((alias, position) => {
      this.sql.insertAlias.run(id, position, alias);
    });
  }

  /** Replaces a node's tags (duplicates dropped, order kept). */
  writeTags(id: string, tags: readonly string[]) {
    this.sql.deleteTags.run(id);
    unique(tags).forEach((tag, position) => {
      this.sql.insertTag.run(id, position, tag);
    });
  }
}
