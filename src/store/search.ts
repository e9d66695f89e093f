import type { Database } from "bun:sqlite";
import { toFtsQuery } from "../core/search-query.ts";
import type { NodeKind } from "../protocol/schemas.ts";

/**
 * One search result.
 *
 * `snippet` is a short excerpt of the body around the best match, whitespace collapsed, with
 * each matched token wrapped in `[` and `]` and `…` where text was cut: "the [garden] needs…".
 * A client may render the brackets as highlighting; body text can hold brackets of its own
 * (`[[links]]`), so they are a display hint, not an exact format. When only the title matched,
 * the snippet is the start of the body, unmarked, or the title if the body is empty.
 *
 * `score` is higher-is-better (the negated BM25 rank, title weighted 10× the body); it compares
 * hits of one query, not of different queries.
 */
export interface SearchHit {
  id: string;
  kind: NodeKind;
  title: string;
  snippet: string;
  score: number;
}

export interface SearchParams {
  /** What the user typed; see toFtsQuery (src/core/search-query.ts) for how it is read. */
  query: string;
  /** Only these kinds; omitted or empty: every kind. */
  kinds?: NodeKind[] | undefined;
  limit: number;
}

interface HitRow {
  id: string;
  kind: NodeKind;
  title: string;
  snippet: string | null;
  body_head: string;
  /** The whole body, only when it is too long for snippet(). */
  long_body: string | null;
  score: number;
}

/** Marks snippet() puts around matches; control characters, so a match is told from body text. */
const OPEN = "\u0002";
const CLOSE = "\u0003";
const BODY_HEAD_CHARS = 80;
const SNIPPET_TOKENS = 12;
/**
 * FTS5's snippet() grows quadratically with a long body full of matches (seconds at 1 MiB, the
 * daemon frozen meanwhile); above this size the excerpt is cut in one linear pass instead.
 */
const SNIPPET_MAX_CHARS = 65_536;

// Parameters: ?1 the FTS5 expression from toFtsQuery, ?2 a JSON array of kinds or NULL, ?3 the
// limit. `rank MATCH` picks the ranking function for this query (title 10×, body 1×) and
// `ORDER BY rank ... LIMIT` lets FTS5 return the best rows first, so snippets are only made
// for the rows returned. The join to nodes guards against a stale index row for a tombstone.
const SEARCH_SQL = `
  SELECT n.id, n.kind, n.title,
    CASE WHEN length(n.body) <= ${SNIPPET_MAX_CHARS}
      THEN snippet(nodes_fts, 1, char(2), char(3), '…', ${SNIPPET_TOKENS}) END AS snippet,
    substr(n.body, 1, ${BODY_HEAD_CHARS * 3}) AS body_head,
    CASE WHEN length(n.body) > ${SNIPPET_MAX_CHARS} THEN n.body END AS long_body,
    -rank AS score
  FROM nodes_fts
  JOIN nodes n ON n.rowid = nodes_fts.rowid
  WHERE nodes_fts MATCH ?1
    AND rank MATCH 'bm25(10.0, 1.0)'
    AND n.deleted_at IS NULL
    AND (?2 IS NULL OR n.kind IN (SELECT value FROM json_each(?2)))
  ORDER BY rank
  LIMIT ?3`;

function collapse(text: string): string {
  return text.replace(/\s+/gu, " ").trim();
}

/** The start of `text`, at most `max` characters, cut at a word boundary where one is near. */
function head(text: string, max: number): string {
  const flat = collapse(text);
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(" ");
  return `${(space >= max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** Lower-cased, accents removed: close to what the unicode61 tokenizer compares. */
function fold(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

/** One linear pass for a long body: the words around the first place a query word occurs. */
function longSnippet(body: string, query: string): string | null {
  const words = query
    .split(/\s+/)
    .filter((word) => word !== "" && !word.startsWith("-"))
    .map((word) => fold(word.replace(/[^\p{L}\p{N}]+/gu, "")))
    .filter(Boolean);
  const folded = fold(body);
  // NFD folding may change lengths; only use it when it did not, else search as written.
  const haystack = folded.length === body.length ? folded : body.toLowerCase();
  let at = -1;
  let length = 0;
  for (const word of words) {
    const index = haystack.indexOf(word);
    if (index !== -1 && (at === -1 || index < at)) {
      at = index;
      length = word.length;
    }
  }
  if (at === -1) return null;
  const start = Math.max(0, at - 60);
  const end = Math.min(body.length, at + length + 60);
  return collapse(
    `${start > 0 ? "…" : ""}${body.slice(start, at)}[${body.slice(at, at + length)}]${body.slice(at + length, end)}${end < body.length ? "…" : ""}`,
  );
}

function snippetOf(row: HitRow, query: string): string {
  if (row.long_body !== null) {
    return longSnippet(row.long_body, query) ?? (head(row.body_head, BODY_HEAD_CHARS) || row.title);
  }
  if (row.snippet?.includes(OPEN)) {
    return collapse(row.snippet.replaceAll(OPEN, "[").replaceAll(CLOSE, "]"));
  }
  return head(row.body_head, BODY_HEAD_CHARS) || row.title;
}

/** Full-text search over the titles and bodies of live nodes (the nodes_fts index). */
export class SearchStore {
  private readonly query;

  constructor(db: Database) {
    this.query = db.query<HitRow, [string, string | null, number]>(SEARCH_SQL);
  }

  /** The best `limit` hits for what the user typed, best first; [] when nothing is searchable. */
  search(params: SearchParams): SearchHit[] {
    if (!Number.isInteger(params.limit) || params.limit < 1) {
      throw new RangeError(`limit must be a positive integer, not ${params.limit}`);
    }
    const match = toFtsQuery(params.query);
    if (match === null) return [];
    const kinds = params.kinds?.length ? JSON.stringify(params.kinds) : null;
    return this.query.all(match, kinds, params.limit).map((row) => ({
      id: row.id,
      kind: row.kind,
      title: row.title,
      snippet: snippetOf(row, params.query),
      score: row.score,
    }));
  }
}
