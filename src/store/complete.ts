import type { Database } from "bun:sqlite";
import type { NodeKind } from "../protocol/schemas.ts";

export interface Completion {
  id: string;
  kind: NodeKind;
  title: string;
  alias: string | null;
  match: "title" | "alias" | "contains";
}

/**
 * Past every string that starts with the prefix: NOCASE compares UTF-8 bytes after folding
 * ASCII, and no character sorts after U+10FFFF.
 */
const PAST_PREFIX = "\u{10FFFF}";

// Parameters: ?1 the prefix, ?2 the prefix + PAST_PREFIX, ?3 a JSON array of kinds or NULL,
// ?4 the limit. Both walk the NOCASE indexes of schema 5 (nodes_title_nocase,
// node_aliases_nocase) in order, so a short prefix on a big store reads `limit` index entries,
// never every match.
const TITLES_SQL = `
  SELECT id, kind, title FROM nodes
  WHERE title COLLATE NOCASE >= ?1 AND title COLLATE NOCASE < ?2 AND deleted_at IS NULL
    AND (?3 IS NULL OR kind IN (SELECT value FROM json_each(?3)))
  ORDER BY title COLLATE NOCASE, id LIMIT ?4`;

const ALIASES_SQL = `
  SELECT n.id, n.kind, n.title, a.alias FROM node_aliases a JOIN nodes n ON n.id = a.node_id
  WHERE a.alias COLLATE NOCASE >= ?1 AND a.alias COLLATE NOCASE < ?2 AND n.deleted_at IS NULL
    AND (?3 IS NULL OR n.kind IN (SELECT value FROM json_each(?3)))
  ORDER BY a.alias COLLATE NOCASE, n.id LIMIT ?4`;

// ?1 a LIKE pattern %…% (ASCII case folded, as LIKE does), ?2 kinds or NULL, ?3 the limit.
// A scan of the same indexes (they cover the text), stopped at `limit` hits: bounded by the
// index size, about 10 ms for 100,000 titles when nothing matches (docs/benchmarks.md).
const TITLES_CONTAINING_SQL = `
  SELECT id, kind, title FROM nodes
  WHERE title LIKE ?1 ESCAPE '\\' AND deleted_at IS NULL
    AND (?2 IS NULL OR kind IN (SELECT value FROM json_each(?2)))
  LIMIT ?3`;

// CROSS JOIN keeps the aliases outside: left to itself the planner walks every node and looks
// up its aliases, 100,000 lookups where there may be a handful of aliases.
const ALIASES_CONTAINING_SQL = `
  SELECT n.id, n.kind, n.title, a.alias FROM node_aliases a CROSS JOIN nodes n ON n.id = a.node_id
  WHERE a.alias LIKE ?1 ESCAPE '\\' AND n.deleted_at IS NULL
    AND (?2 IS NULL OR n.kind IN (SELECT value FROM json_each(?2)))
  LIMIT ?3`;

type Row = { id: string; kind: NodeKind; title: string };
type AliasRow = Row & { alias: string };
type PrefixParams = [string, string, string | null, number];
type LikeParams = [string, string | null, number];

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
const textOf = (c: Completion) => (c.alias ?? c.title).toLowerCase();
const byText = (a: Completion, b: Completion) =>
  textOf(a) < textOf(b) ? -1 : textOf(a) > textOf(b) ? 1 : 0;

/**
 * `[[` completion: titles and aliases that start with what was typed (what link resolution
 * matches), then titles and aliases that contain it ("garden" for "Vegetable garden").
 * Full-text search is not used: it does not index aliases, it matches body text, and on a short
 * prefix after a common word ("the g") it reads most of the index (30–90 ms at 100,000 docs).
 */
export class CompletionStore {
  private readonly titles;
  private readonly aliases;
  private readonly titlesContaining;
  private readonly aliasesContaining;

  constructor(db: Database) {
    this.titles = db.query<Row, PrefixParams>(TITLES_SQL);
    this.aliases = db.query<AliasRow, PrefixParams>(ALIASES_SQL);
    this.titlesContaining = db.query<Row, LikeParams>(TITLES_CONTAINING_SQL);
    this.aliasesContaining = db.query<AliasRow, LikeParams>(ALIASES_CONTAINING_SQL);
  }

  complete(query: string, kinds: NodeKind[] | undefined, limit: number): Completion[] {
    const text = query.trim();
    const kindList = kinds?.length ? JSON.stringify(kinds) : null;
    const prefix: PrefixParams = [text, `${text}${PAST_PREFIX}`, kindList, limit];
    const found: Completion[] = [
      ...this.titles
        .all(...prefix)
        .map((row) => ({ ...row, alias: null, match: "title" as const })),
      ...this.aliases
        .all(...prefix)
        .map(({ alias, ...row }) => ({ ...row, alias, match: "alias" as const })),
    ]
      .sort(byText)
      .slice(0, limit);
    if (found.length >= limit || text === "") return found;
    const seen = new Set(found.map((c) => `${c.id}\u0000${c.alias ?? ""}`));
    const like: LikeParams = [likePattern(text), kindList, limit];
    const containing: Completion[] = [
      ...this.titlesContaining
        .all(...like)
        .map((row) => ({ ...row, alias: null, match: "contains" as const })),
      ...this.aliasesContaining
        .all(...like)
        .map(({ alias, ...row }) => ({ ...row, alias, match: "contains" as const })),
    ].sort(byText);
    for (const candidate of containing) {
      if (found.length >= limit) break;
      const key = `${candidate.id}\u0000${candidate.alias ?? ""}`;
      if (seen.has(key)) continue;
      seen.add(key);
      found.push(candidate);
    }
    return found;
  }
}
