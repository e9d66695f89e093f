import type { Database } from "bun:sqlite";
import { type Clock, toTimestamp } from "../core/clock.ts";
import { parseInlineTags } from "../core/inline-tags.ts";
import { parseWikiLinks, uniqueTargets } from "../core/wikilinks.ts";

/** Link types the daemon derives from bodies or manages itself; links.add refuses them. */
export const DERIVED_LINK_TYPES = ["wiki", "tag"] as const;
export const MANAGED_LINK_TYPES = ["in-project", "parent", "canonical-context", "log-of"] as const;
/** From a sub-task to its parent task (imports make it); `parent` is the project tree's. */
export const SUBTASK_LINK = "subtask-of";

export interface LinkView {
  src: string;
  src_title: string;
  src_kind: string;
  type: string;
  target: string;
  dst: string | null;
  dst_title: string | null;
  dst_kind: string | null;
}

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/i;

/** The name a target ends in, for finding links a new node may resolve: Folder/Note.md → note. */
export function targetKey(target: string): string {
  return (target.trim().split("/").pop() ?? "").replace(/\.md$/i, "").toLowerCase();
}

/** A node a name may mean: by an alias or its title, exactly or ignoring ASCII case. */
interface Candidate {
  id: string;
  folder: string | null;
  created_at: string;
  alias: number;
  exact: number;
}

/** Both NOCASE indexes, one query: names rarely have more than a row or two. */
const CANDIDATES = `
  SELECT n.id, n.folder, n.created_at, 1 AS alias, a.alias = ?1 AS exact
    FROM node_aliases a JOIN nodes n ON n.id = a.node_id
    WHERE a.alias = ?1 COLLATE NOCASE AND n.deleted_at IS NULL
  UNION ALL
  SELECT id, folder, created_at, 0, title = ?1 FROM nodes
    WHERE title = ?1 COLLATE NOCASE AND deleted_at IS NULL`;

/** A wiki link to resolve again, with the folder of the node it is written in. */
interface AffectedLink {
  src: string;
  target: string;
  folder: string | null;
}

/**
 * The order among candidates for one name, best first: an exact alias, an exact title, an
 * alias, a title; within one, the linking note's folder, then the shallowest, the oldest, the
 * smallest id — a total order, the same on every run.
 */
function byNearness(fromFolder: string | null) {
  const key = (c: Candidate) => [
    (c.exact ? 0 : 2) + (c.alias ? 0 : 1),
    c.folder === fromFolder ? 0 : 1,
    c.folder?.length ?? 0,
  ];
  return (a: Candidate, b: Candidate): number => {
    const [ka, kb] = [key(a), key(b)];
    for (let i = 0; i < ka.length; i++) {
      const difference = (ka[i] as number) - (kb[i] as number);
      if (difference !== 0) return difference;
    }
    if (a.created_at !== b.created_at) return a.created_at < b.created_at ? -1 : 1;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
}

const VIEW = `
  SELECT l.src, s.title AS src_title, s.kind AS src_kind, l.type, l.target, l.dst,
         d.title AS dst_title, d.kind AS dst_kind
  FROM links l JOIN nodes s ON s.id = l.src LEFT JOIN nodes d ON d.id = l.dst`;

/**
 * The link index. `wiki` and `tag` links are derived from a node's body on every body write,
 * in the same transaction; the body is the source of truth. Resolution is exact: an id, then an
 * alias, then a title — same case first, then ignoring ASCII case.
 */
export class LinkStore {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  private live(sql: string) {
    return this.db.query<{ id: string }, [string]>(sql);
  }

  /**
   * The node a link target names, or null while nothing does. `fromFolder` is the source
   * folder of the node the link is written in: as in Obsidian, a name several imported notes
   * share resolves to the one in the same folder, else the one nearest the top.
   */
  resolve(target: string, fromFolder: string | null = null): string | null {
    const text = target.trim();
    if (text === "") return null;
    if (ULID.test(text)) {
      const byId = this.live("SELECT id FROM nodes WHERE id = ? AND deleted_at IS NULL").get(
        text.toUpperCase(),
      );
      if (byId) return byId.id;
    }
    if (text.includes("/")) {
      const byPath = this.resolvePath(text);
      if (byPath) return byPath;
    }
    // Obsidian also writes [[Folder/Note]] and [[Note.md]]: the note's own name is the last part.
    const names = [text];
    const base = text.includes("/") ? (text.split("/").pop() ?? "") : text;
    for (const name of [base, base.replace(/\.md$/i, "")])
      if (name && !names.includes(name)) names.push(name);
    for (const name of names) {
      const found = this.bestCandidate(name, fromFolder);
      if (found) return found;
    }
    return null;
  }

  /**
   * The node `name` names: every title and alias equal to it ignoring case, in one query, then
   * the first by byNearness.
   */
  private bestCandidate(name: string, fromFolder: string | null): string | null {
    const rows = this.db.query<Candidate, [string]>(CANDIDATES).all(name);
    return rows.sort(byNearness(fromFolder))[0]?.id ?? null;
  }

  /**
   * `[[Folder/Note]]` as Obsidian reads it: a note named Note (title or alias, any case) whose
   * folder is Folder or ends in /Folder; the shallowest such folder wins.
   */
  private resolvePath(text: string): string | null {
    const parts = text.replace(/^\/+/, "").split("/");
    const name = (parts.pop() ?? "").replace(/\.md$/i, "").trim();
    const folder = parts.join("/");
    if (name === "" || folder === "") return null;
    // Two lookups on the NOCASE indexes of titles and aliases (one OR-ed query scanned nodes).
    return (
      this.db
        .query<{ id: string }, [string, string]>(
          `SELECT id FROM (
             SELECT id, folder, created_at FROM nodes
               WHERE title = ?1 COLLATE NOCASE AND deleted_at IS NULL AND folder IS NOT NULL
             UNION
             SELECT n.id, n.folder, n.created_at FROM node_aliases a JOIN nodes n ON n.id = a.node_id
               WHERE a.alias = ?1 COLLATE NOCASE AND n.deleted_at IS NULL AND n.folder IS NOT NULL)
           WHERE folder = ?2 COLLATE NOCASE OR substr(folder, -length(?2) - 1) = '/' || ?2 COLLATE NOCASE
           ORDER BY length(folder), created_at, id LIMIT 1`,
        )
        .get(name, folder)?.id ?? null
    );
  }

  private folderOf(id: string): string | null {
    return (
      this.db
        .query<{ folder: string | null }, [string]>("SELECT folder FROM nodes WHERE id = ?")
        .get(id)?.folder ?? null
    );
  }

  /**
   * Re-derives `src`'s wiki and tag links from its body: added ones appear, removed ones go. A
   * node just made (`fresh`, with its folder) has none to remove and its folder is known.
   */
  deriveFromBody(src: string, body: string, fresh?: { folder: string | null }) {
    const now = toTimestamp(this.clock());
    if (!fresh)
      this.db.query("DELETE FROM links WHERE src = ? AND type IN ('wiki', 'tag')").run(src);
    const insert = this.db.query(
      "INSERT OR IGNORE INTO links (src, type, target, target_key, dst, created_at) VALUES (?, ?, ?, ?, ?, ?)",
    );
    const targets = uniqueTargets(parseWikiLinks(body));
    const folder = fresh ? fresh.folder : targets.length > 0 ? this.folderOf(src) : null;
    for (const target of targets) {
      insert.run(src, "wiki", target, targetKey(target), this.resolve(target, folder), now);
    }
    for (const tag of parseInlineTags(body)) insert.run(src, "tag", tag, null, null, now);
  }

  /**
   * After a node appears, is renamed, gains or loses aliases, or is deleted: links that pointed
   * at it, and unresolved links that may now name it, are resolved again.
   */
  reresolveAround(nodeId: string) {
    const keys = [
      nodeId,
      ...this.db
        .query<{ name: string }, [string, string]>(
          "SELECT title AS name FROM nodes WHERE id = ? UNION SELECT alias AS name FROM node_aliases WHERE node_id = ?",
        )
        .all(nodeId, nodeId)
        .map((row) => row.name),
    ].map(targetKey);
    // Links that pointed at it, and links naming it — resolved or not, since a new exact match
    // beats an earlier case-folded one. Both halves use an index (links_dst, links_target_key);
    // the unary + keeps the planner off the type index, which would read every wiki link.
    this.resolveAgain(
      this.db
        .query<AffectedLink, [string, string]>(
          `SELECT a.src, a.target, n.folder FROM (
             SELECT src, target FROM links WHERE type = 'wiki' AND dst = ?
             UNION SELECT src, target FROM links WHERE +type = 'wiki'
               AND target_key IN (SELECT value FROM json_each(?))
           ) a JOIN nodes n ON n.id = a.src`,
        )
        .all(nodeId, JSON.stringify(keys)),
    );
  }

  /**
   * reresolveAround for a node just created: nothing can point at it yet, so only links naming
   * it (its id, title or aliases) are looked at — one index lookup, as imports make many nodes.
   */
  resolveTowardsNew(nodeId: string, names: readonly string[]) {
    const keys = [...new Set([nodeId, ...names].map(targetKey))];
    this.resolveAgain(
      this.db
        .query<AffectedLink, [string]>(
          `SELECT l.src, l.target, n.folder FROM links l JOIN nodes n ON n.id = l.src
           WHERE l.target_key IN (SELECT value FROM json_each(?)) AND +l.type = 'wiki'`,
        )
        .all(JSON.stringify(keys)),
    );
  }

  /** Resolves each wiki link again, from the folder of the node it is written in. */
  private resolveAgain(links: readonly AffectedLink[]) {
    if (links.length === 0) return;
    const update = this.db.query(
      "UPDATE links SET dst = ? WHERE src = ? AND type = 'wiki' AND target = ?",
    );
    for (const link of links)
      update.run(this.resolve(link.target, link.folder), link.src, link.target);
  }

  /** Typed links to a deleted node are hidden; wiki links to it were already re-resolved. */
  out(id: string): LinkView[] {
    return this.db
      .query<LinkView, [string]>(
        `${VIEW} WHERE l.src = ? AND (l.dst IS NULL OR d.deleted_at IS NULL) ORDER BY l.type, l.target`,
      )
      .all(id);
  }

  /** Derives links for every live node: for bodies written before links were derived. */
  deriveAll() {
    const rows = this.db
      .query<{ id: string; body: string }, []>(
        "SELECT id, body FROM nodes WHERE deleted_at IS NULL",
      )
      .all();
    for (const row of rows) this.deriveFromBody(row.id, row.body);
  }

  back(id: string): LinkView[] {
    return this.db
      .query<LinkView, [string]>(
        `${VIEW} WHERE l.dst = ? AND s.deleted_at IS NULL ORDER BY s.title, l.type`,
      )
      .all(id);
  }

  /** Targets nothing resolves to yet, with the nodes that name them. */
  unresolved(): Array<{ target: string; sources: Array<{ id: string; title: string }> }> {
    const rows = this.db
      .query<{ target: string; id: string; title: string }, []>(
        `SELECT l.target, s.id, s.title FROM links l JOIN nodes s ON s.id = l.src
         WHERE l.type = 'wiki' AND l.dst IS NULL AND s.deleted_at IS NULL ORDER BY l.target, s.title`,
      )
      .all();
    const grouped = new Map<string, Array<{ id: string; title: string }>>();
    for (const row of rows)
      grouped.set(row.target, [
        ...(grouped.get(row.target) ?? []),
        { id: row.id, title: row.title },
      ]);
    return [...grouped].map(([target, sources]) => ({ target, sources }));
  }

  /** A link of a free-text type between two existing nodes (never a derived or managed type). */
  add(src: string, type: string, dst: string) {
    this.db
      .query(
        "INSERT OR IGNORE INTO links (src, type, target, dst, created_at) VALUES (?, ?, ?, ?, ?)",
      )
      .run(src, type, dst, dst, toTimestamp(this.clock()));
  }
}
