/**
 * Where the code is in a Markdown body, so link and tag scanners can ignore `[[x]]` or `#y`
 * written inside code (an example is not a reference).
 *
 * A line scanner, not a full CommonMark parser. It finds:
 * - fenced code blocks: ``` or ~~~, 3+ long, optional info string (a backtick fence's info
 *   string has no backticks, else the line is inline code). The fence line may be indented by
 *   any amount, which covers fences inside list items at any depth without tracking lists.
 *   It is closed by a line of the same char, at least as long, with only whitespace after, and
 *   indented at most 3 columns more than the opener (deeper lines are content). An unclosed
 *   fence runs to the end of the document.
 * - fences inside blockquotes / callouts (`> ````): the opener's `>` depth is remembered; a
 *   later line with fewer `>` markers ends the quote and with it the fence (as in CommonMark).
 * - inline code spans: a run of N backticks opens a span that closes at the next run of
 *   exactly N backticks in the same "paragraph"; with no such run the backticks are literal.
 *   A backslash-escaped backtick cannot open a span. Paragraphs are broken by blank lines,
 *   fences, ATX headings and list-item starts (so a stray backtick in one list item cannot
 *   swallow the next item).
 * Not modelled: indented code blocks, HTML blocks, tables' cell boundaries.
 *
 * Offsets are UTF-16 indices into the input string; every range is half-open [start, end).
 */

export type CodeRange = [start: number, end: number];

interface Line {
  start: number;
  /** End of the line's content, before its terminator. */
  end: number;
  text: string;
}

const FENCE_OPEN = /^([ \t]*)(`{3,}|~{3,})(.*)$/;
const FENCE_CLOSE = /^([ \t]*)(`{3,}|~{3,})[ \t]*$/;
const ATX_HEADING = /^[ \t]*#{1,6}(?:[ \t]|$)/;
const LIST_ITEM = /^[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)/;
const BLANK = /^[ \t]*$/;
const TAB_STOP = 4;

function splitLines(markdown: string): Line[] {
  const lines: Line[] = [];
  const terminator = /\r\n|\r|\n/g;
  let start = 0;
  for (let m = terminator.exec(markdown); m !== null; m = terminator.exec(markdown)) {
    lines.push({ start, end: m.index, text: markdown.slice(start, m.index) });
    start = m.index + m[0].length;
  }
  lines.push({ start, end: markdown.length, text: markdown.slice(start) });
  return lines;
}

function columns(ws: string): number {
  let col = 0;
  for (const ch of ws) col = ch === "\t" ? col + TAB_STOP - (col % TAB_STOP) : col + 1;
  return col;
}

/** Removes up to `max` blockquote markers (`>` plus one optional space); returns how many. */
function stripQuotes(text: string, max: number): { depth: number; rest: string } {
  let depth = 0;
  let rest = text;
  while (depth < max) {
    const m = /^[ \t]*> ?/.exec(rest);
    if (m === null) break;
    depth++;
    rest = rest.slice(m[0].length);
  }
  return { depth, rest };
}

interface OpenFence {
  char: string;
  length: number;
  indent: number;
  depth: number;
  start: number;
}

function openFence(line: Line): OpenFence | null {
  const { depth, rest } = stripQuotes(line.text, Number.POSITIVE_INFINITY);
  const m = FENCE_OPEN.exec(rest);
  if (m === null) return null;
  const run = m[2] ?? "";
  const char = run.charAt(0);
  if (char === "`" && (m[3] ?? "").includes("`")) return null;
  return { char, length: run.length, indent: columns(m[1] ?? ""), depth, start: line.start };
}

function closesFence(rest: string, fence: OpenFence): boolean {
  const m = FENCE_CLOSE.exec(rest);
  if (m === null) return false;
  const run = m[2] ?? "";
  return (
    run.charAt(0) === fence.char &&
    run.length >= fence.length &&
    columns(m[1] ?? "") <= fence.indent + 3
  );
}

function runEnd(markdown: string, from: number, limit: number): number {
  let i = from;
  while (i < limit && markdown.charCodeAt(i) === 96) i++;
  return i;
}

/** Inline code spans inside one paragraph, markdown[from, to). */
function inlineSpans(markdown: string, from: number, to: number, out: CodeRange[]): void {
  let i = from;
  while (i < to) {
    const ch = markdown[i];
    if (ch === "\\") {
      i += 2; // the escaped char (maybe a backtick) is literal
      continue;
    }
    if (ch !== "`") {
      i++;
      continue;
    }
    const openEnd = runEnd(markdown, i, to);
    const length = openEnd - i;
    let j = openEnd;
    let close = -1;
    while (j < to) {
      if (markdown[j] !== "`") {
        j++;
        continue;
      }
      const e = runEnd(markdown, j, to);
      if (e - j === length) {
        close = e;
        break;
      }
      j = e;
    }
    if (close < 0) {
      i = openEnd; // no matching run: these backticks are literal text
    } else {
      out.push([i, close]);
      i = close;
    }
  }
}

/** Sorted, non-overlapping ranges of `markdown` that are code (fenced blocks and code spans). */
export function codeRanges(markdown: string): CodeRange[] {
  const out: CodeRange[] = [];
  let fence: OpenFence | null = null;
  let lastFenceLineEnd = 0;
  let paragraph: { start: number; end: number } | null = null;

  const flush = () => {
    if (paragraph !== null) inlineSpans(markdown, paragraph.start, paragraph.end, out);
    paragraph = null;
  };

  for (const line of splitLines(markdown)) {
    if (fence !== null) {
      const { depth, rest } = stripQuotes(line.text, fence.depth);
      if (depth < fence.depth) {
        // The blockquote holding the fence ended, so the fence ended on the previous line.
        out.push([fence.start, lastFenceLineEnd]);
        fence = null;
      } else {
        lastFenceLineEnd = line.end;
        if (closesFence(rest, fence)) {
          out.push([fence.start, line.end]);
          fence = null;
        }
        continue;
      }
    }
    const opened = openFence(line);
    if (opened !== null) {
      flush();
      fence = opened;
      lastFenceLineEnd = line.end;
      continue;
    }
    const { rest } = stripQuotes(line.text, Number.POSITIVE_INFINITY);
    if (BLANK.test(rest)) {
      flush();
      continue;
    }
    if (ATX_HEADING.test(rest)) {
      flush();
      inlineSpans(markdown, line.start, line.end, out);
      continue;
    }
    if (LIST_ITEM.test(rest)) flush();
    if (paragraph === null) paragraph = { start: line.start, end: line.end };
    else paragraph.end = line.end;
  }
  if (fence !== null) out.push([fence.start, markdown.length]);
  flush();
  return out.sort((a, b) => a[0] - b[0]);
}

/** True when `index` is inside one of `ranges` (sorted, non-overlapping: as codeRanges returns). */
export function isInCode(ranges: readonly CodeRange[], index: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const range = ranges[mid];
    if (range === undefined) return false;
    if (index < range[0]) hi = mid - 1;
    else if (index >= range[1]) lo = mid + 1;
    else return true;
  }
  return false;
}
