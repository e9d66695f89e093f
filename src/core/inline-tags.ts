/**
 * Inline `#tags` in a Markdown body, Obsidian-style (nested tags like `#area/home` included).
 *
 * A tag is `#` then a name of Unicode letters (and combining marks), digits, `_`, `-` and `/`,
 * with at least one non-digit (`#123` is an issue number, not a tag). The `#` must start the
 * text or follow whitespace or `(`; that one rule already rules out `C#`, `a#b`, `p#frag` in
 * URLs, `&#123;` entities, `\#escaped` and the second `#` of `## Heading` (a heading's `# `
 * is followed by a space, so it has no name). Also not tags:
 * - anything inside code (markdown-code.ts) or inside a `[[wiki link]]` (`[[Note#Heading]]`,
 *   `[[Note|see #x]]`);
 * - anything inside a bare URL (`https://…`, `www.…`), e.g. `https://x.org/a(#b)`;
 * - a Markdown link destination that is a same-page anchor: `[text](#anchor)`.
 * Trailing `/`s are dropped (`#area/` is `area`). Names keep the case they were written in and
 * are deduplicated exactly; matching tags elsewhere may fold case (Obsidian treats `#Tag` and
 * `#tag` as one tag), which is the caller's choice.
 */
import { type CodeRange, codeRanges, isInCode } from "./markdown-code.ts";
import { wikiLinkRanges } from "./wikilinks.ts";

const TAG = /#([\p{L}\p{M}\p{N}_\-/]+)/gu;
const BARE_URL = /(?:\b[a-z][a-z0-9+.-]*:\/\/|\bwww\.)[^\s<>]*/giu;
const NON_DIGIT = /[^\p{N}]/u;
const WHITESPACE = /\s/u;

function urlRanges(markdown: string): CodeRange[] {
  return [...markdown.matchAll(BARE_URL)].map((m): CodeRange => [m.index, m.index + m[0].length]);
}

function startsTag(markdown: string, hash: number): boolean {
  if (hash === 0) return true;
  const before = markdown.charAt(hash - 1);
  if (before === "(") return markdown.charAt(hash - 2) !== "]"; // `[text](#anchor)` is a link
  return WHITESPACE.test(before);
}

/** Distinct tag names (without `#`) in first-seen order. */
export function parseInlineTags(markdown: string): string[] {
  const code = codeRanges(markdown);
  const excluded = [wikiLinkRanges(markdown, code), urlRanges(markdown), code];
  const tags = new Set<string>();
  for (const m of markdown.matchAll(TAG)) {
    const hash = m.index;
    if (!startsTag(markdown, hash)) continue;
    if (excluded.some((ranges) => isInCode(ranges, hash))) continue;
    const name = (m[1] ?? "").replace(/\/+$/, "");
    if (name === "" || !NON_DIGIT.test(name)) continue;
    tags.add(name);
  }
  return [...tags];
}
