import type { Database } from "bun:sqlite";
import type { NodeKind } from "../protocol/schemas.ts";
import { SearchStore } from "./search.ts";

export interface Completion {
  id: string;
  kind: NodeKind;
  title: string;
  alias: string | null;
  match: "title" | "alias" | "search";
}

/**
 * Past every string that starts with the prefix: NOCASE compares UTF-8 bytes after folding
 * ASCII, and no character sorts after U+10FFFF.
 */
const PAST_PREFIX = "\u{10FFFF}";

// ?1 prefix, ?2 prefix + PAST_PREFIX, ?3 JSON array of kinds or NULL, ?4 limit. Both walk the
// NOCASE indexes of schema 5 (nodes_title_nocase, node_aliases_nocase) in order, so a short
// prefix on a big store reads `limit` index entries, never every match.
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

/** Shorter queries get title and alias prefix matches only, no full-text search. */
const MIN_SEARCH_CHARS = 3;

type Row = { id: string; kind: NodeKind; title: string };
type Params = [string, string, string | null, number];

/** `[[` completion: titles and aliases by prefix first (what link resolution matches), then search. */
export class CompletionStore {
  private readonly titles;
  private readonly aliases;
  private readonly search: SearchStore;

  constructor(db: Database) {
    this.titles = db.query<Row, Params>(TITLES_SQL);
    this.aliases = db.query<Row & { alias: string }, Params>(ALIASES_SQL);
    this.search = new SearchStore(db);
  }

  complete(query: string, kinds: NodeKind[] | undefined, limit: number): Completion[] {
    const prefix = query.trim();
    const params: Params = [
      prefix,
      `${prefix}${PAST_PREFIX}`,
      kinds?.length ? JSON.stringify(kinds) : null,
      limit,
    ];
    const byPrefix: Completion[] = [
      ...this.titles
        .all(...params)
        .map((row) => ({ ...row, alias: null, match: "title" as const })),
      ...this.aliases
        .all(...params)
        .map(({ alias, ...row }) => ({ ...row, alias, match: "alias" as const })),
    ];
    const text = (c: Completion) => (c.alias ?? c.title).toLowerCase();
    byPrefix.sort((a, b) => (text(a) < text(b) ? -1 : text(a) > text(b) ? 1 : 0));
    const found = byPrefix.slice(0, limit);
    // One or two letters as a prefix match most of the index: slow, and noise in a list of
    // links to pick from; the title and alias prefixes are the useful answer there.
    if (found.length >= limit || prefix.length < MIN_SEARCH_CHARS) return found;
    // A word inside a title ("garden" for "Vegetable garden"): full-text search, best first.
    const seen = new Set(found.map((c) => c.id));
    for (const hit of this.search.search({ query: prefix, kinds, limit })) {
      if (found.length >= limit) break;
      if (seen.has(hit.id)) continue;
      seen.add(hit.id);
      found.push({ id: hit.id, kind: hit.kind, title: hit.title, alias: null, match: "search" });
    }
    return found;
  }
}
