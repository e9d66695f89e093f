import type { Database } from "bun:sqlite";
import type { NodeKind } from "../protocol/schemas.ts";

export interface NodeSummary {
  id: string;
  kind: NodeKind;
  title: string;
}

export interface TagCount {
  tag: string;
  /** Live nodes carrying it, in their tags field or as an inline #tag in the body. */
  count: number;
}

/** `prefix` as a LIKE pattern that matches text starting with it, ignoring ASCII case. */
function startsWith(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Short lists for pickers and shell completion: titles and tags by prefix, no bodies. */
export class ListingStore {
  constructor(private readonly db: Database) {}

  /**
   * Live nodes whose title starts with `prefix` (ASCII case folded), ordered by title; of
   * `kinds` unless empty; tasks' context docs only when asked for.
   */
  titles(
    prefix: string,
    options: { kinds: readonly NodeKind[]; includeContexts: boolean; limit: number },
  ): NodeSummary[] {
    return this.db
      .query<NodeSummary, [string, string, number, number]>(
        `SELECT id, kind, title FROM nodes n
         WHERE deleted_at IS NULL AND title LIKE ?1 ESCAPE '\\'
           AND (json_array_length(?2) = 0 OR kind IN (SELECT value FROM json_each(?2)))
           AND (?3 OR NOT EXISTS (
             SELECT 1 FROM links c WHERE c.dst = n.id AND c.type = 'canonical-context'))
         ORDER BY title COLLATE NOCASE, title, id LIMIT ?4`,
      )
      .all(
        startsWith(prefix),
        JSON.stringify(options.kinds),
        options.includeContexts ? 1 : 0,
        options.limit,
      );
  }

  /** Tags starting with `prefix` (ASCII case folded), the most used first, then by name. */
  tags(prefix: string, limit: number): TagCount[] {
    return this.db
      .query<TagCount, [string, number]>(
        `WITH tagged(tag, node_id) AS (
           SELECT t.tag, t.node_id FROM node_tags t JOIN nodes n ON n.id = t.node_id
           WHERE n.deleted_at IS NULL
           UNION
           SELECT l.target, l.src FROM links l JOIN nodes n ON n.id = l.src
           WHERE l.type = 'tag' AND n.deleted_at IS NULL)
         SELECT tag, count(*) AS count FROM tagged WHERE tag LIKE ?1 ESCAPE '\\'
         GROUP BY tag ORDER BY count DESC, tag COLLATE NOCASE, tag LIMIT ?2`,
      )
      .all(startsWith(prefix), limit);
  }
}
