/**
 * `[[wiki-links]]` in a Markdown body (BRIEF §6: the body is the source of truth for `wiki`
 * links; the link index is re-derived from it on every write).
 *
 * Grammar (Obsidian's): `[[Target]]`, `[[Target|label]]`, `[[Target#Heading]]`,
 * `[[Target#^block-id]]`, any of those with a label, and `![[…]]` embeds. The target is only
 * text here (a title, a path like `Folder/Note`, a file name, or an id); resolving it is the
 * resolver's job. Rules:
 * - a link lives on one line and its inner text has no `[` or `]`;
 * - `[[#Heading]]`, `[[|label]]` and `[[]]` have no target note and are skipped;
 * - a backslash before `[[` (or before the `!` of an embed) escapes it;
 * - `\|` in the target (how Obsidian writes a label inside a table cell) counts as `|`;
 * - `[[Note#a#b]]` keeps the whole subpath `a#b` as the heading;
 * - anything inside code (see markdown-code.ts) is not a link.
 */
import { type CodeRange, codeRanges, isInCode } from "./markdown-code.ts";

export interface WikiLink {
  /** The link exactly as written, including `!` for embeds. */
  raw: string;
  /** Trimmed target note text; never empty. */
  target: string;
  heading: string | null;
  /** Block id without its `^`. */
  block: string | null;
  label: string | null;
  embed: boolean;
  /** UTF-16 offset of `raw` in the document. */
  index: number;
}

interface BracketMatch {
  start: number;
  end: number;
  inner: string;
  embed: boolean;
}

const BRACKETS = /\[\[([^[\]\r\n]*)\]\]/g;

/** An odd number of backslashes right before `index` escapes the char at `index`. */
function escaped(markdown: string, index: number): boolean {
  let count = 0;
  for (let i = index - 1; i >= 0 && markdown[i] === "\\"; i--) count++;
  return count % 2 === 1;
}

/** Every `[[…]]` outside code, targetless ones included. */
function scan(markdown: string, code: readonly CodeRange[]): BracketMatch[] {
  const found: BracketMatch[] = [];
  for (const m of markdown.matchAll(BRACKETS)) {
    const open = m.index;
    if (escaped(markdown, open) || isInCode(code, open)) continue;
    const embed = open > 0 && markdown[open - 1] === "!" && !escaped(markdown, open - 1);
    const start = embed ? open - 1 : open;
    found.push({ start, end: open + m[0].length, inner: m[1] ?? "", embed });
  }
  return found;
}

function nonEmpty(text: string): string | null {
  const trimmed = text.trim();
  return trimmed === "" ? null : trimmed;
}

function parseInner(inner: string): Omit<WikiLink, "raw" | "embed" | "index"> | null {
  const pipe = inner.indexOf("|");
  let ref = pipe < 0 ? inner : inner.slice(0, pipe);
  const label = pipe < 0 ? null : nonEmpty(inner.slice(pipe + 1));
  if (pipe >= 0 && ref.endsWith("\\")) ref = ref.slice(0, -1);
  const hash = ref.indexOf("#");
  const target = (hash < 0 ? ref : ref.slice(0, hash)).trim();
  if (target === "") return null;
  const subpath = hash < 0 ? "" : ref.slice(hash + 1).trim();
  if (subpath.startsWith("^")) {
    return { target, heading: null, block: nonEmpty(subpath.slice(1)), label };
  }
  return { target, heading: nonEmpty(subpath), block: null, label };
}

/** Links to other notes, in document order. */
export function parseWikiLinks(markdown: string): WikiLink[] {
  const links: WikiLink[] = [];
  for (const match of scan(markdown, codeRanges(markdown))) {
    const parsed = parseInner(match.inner);
    if (parsed === null) continue;
    links.push({
      raw: markdown.slice(match.start, match.end),
      ...parsed,
      embed: match.embed,
      index: match.start,
    });
  }
  return links;
}

/**
 * Ranges covered by any `[[…]]` outside code, including same-note `[[#Heading]]` links, so other
 * scanners (inline tags) can ignore text inside links. Pass precomputed code ranges to reuse them.
 */
export function wikiLinkRanges(
  markdown: string,
  code: readonly CodeRange[] = codeRanges(markdown),
): CodeRange[] {
  return scan(markdown, code).map((m): CodeRange => [m.start, m.end]);
}

/** Distinct targets in first-seen order (exact string comparison; any case folding is the resolver's call). */
export function uniqueTargets(links: readonly WikiLink[]): string[] {
  return [...new Set(links.map((link) => link.target))];
}
