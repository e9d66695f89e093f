/**
 * A task's checklist: the Markdown task items (`- [ ] text`) in its context doc (BRIEF §6).
 *
 * This is a line scanner, not a full CommonMark parser. What it models, because getting it
 * wrong would tick or untick text that is not a checklist:
 * - fenced code (``` or ~~~, 3+ long, info string allowed; closed by the same char at least as
 *   long with nothing after it; an unclosed fence runs to the end of the document);
 * - indented code: after a blank line (or the start, a fence, a heading or a rule), a line
 *   indented 4+ columns past its container (the enclosing list item's content column, else 0),
 *   continuing while lines stay that indented or blank;
 * - list nesting, tracked as a stack of content columns, so "in a list" is known per line.
 * Tabs count to the next multiple of 4 columns. Simplifications: a fence runs until its closing
 * fence even if a line dedents out of the list item it opened in; blockquotes, HTML blocks and
 * items nested on one line (`- - [ ]`) are not recognised. Line endings (LF, CRLF, CR) are kept.
 */

export interface ChecklistItem {
  /** 1-based line number in the document. */
  line: number;
  checked: boolean;
  /** The item text after the box, without surrounding whitespace. */
  text: string;
  /** The raw whitespace before the list marker. */
  indent: string;
}

interface LocatedItem extends ChecklistItem {
  /** Index into the content-lines array, and offset of the box's inner char in that line. */
  index: number;
  box: number;
}

const LIST_ITEM = /^([ \t]*)([-*+]|\d{1,9}[.)])([ \t]+|$)/;
const TASK_BOX = /^\[([ xX])\](?:[ \t]+(.*))?$/;
const FENCE_OPEN = /^([ \t]*)(`{3,}|~{3,})(.*)$/;
const FENCE_CLOSE = /^([ \t]*)(`{3,}|~{3,})[ \t]*$/;
const THEMATIC_BREAK = /^[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const ATX_HEADING = /^[ \t]*#{1,6}(?:[ \t]|$)/;
const BLANK = /^[ \t]*$/;
const TAB_STOP = 4;

/** Columns reached after `ws` when it starts at column `start` (tabs jump to the next stop). */
function columnAfter(ws: string, start: number): number {
  let col = start;
  for (const ch of ws) col = ch === "\t" ? col + TAB_STOP - (col % TAB_STOP) : col + 1;
  return col;
}

function leadingColumns(line: string): number {
  return columnAfter(/^[ \t]*/.exec(line)?.[0] ?? "", 0);
}

/** Splits into [content, separator, content, …] so rejoining restores every byte. */
function splitLines(markdown: string): string[] {
  return markdown.split(/(\r\n|\r|\n)/);
}

interface Fence {
  char: string;
  length: number;
  /** Container column the fence opened in; its closing fence may sit up to 3 columns past. */
  base: number;
}

function openFence(line: string): { char: string; length: number } | null {
  const match = FENCE_OPEN.exec(line);
  if (match === null) return null;
  const run = match[2] ?? "";
  const char = run.charAt(0);
  // ```js``` on one line is inline code, not a fence: a backtick info string has no backticks.
  if (char === "`" && (match[3] ?? "").includes("`")) return null;
  return { char, length: run.length };
}

function closesFence(line: string, fence: Fence): boolean {
  const match = FENCE_CLOSE.exec(line);
  if (match === null) return false;
  const run = match[2] ?? "";
  return (
    run.charAt(0) === fence.char &&
    run.length >= fence.length &&
    columnAfter(match[1] ?? "", 0) <= fence.base + 3
  );
}

/** Walks the lines once, returning every task item outside code with its box position. */
function scan(lines: readonly string[]): LocatedItem[] {
  const items: LocatedItem[] = [];
  const listStack: number[] = []; // content columns of the open list items, innermost last
  let fence: Fence | null = null;
  let codeBase: number | null = null; // container column of an open indented code block
  let afterBreak = true; // no open paragraph: indented code may start, dedents close items

  for (let index = 0; index < lines.length; index += 2) {
    const line = lines[index] ?? "";
    if (fence !== null) {
      if (closesFence(line, fence)) {
        fence = null;
        afterBreak = true;
      }
      continue;
    }
    if (BLANK.test(line)) {
      afterBreak = true;
      continue;
    }
    const indent = leadingColumns(line);
    if (codeBase !== null) {
      if (indent >= codeBase + 4) continue;
      codeBase = null;
    }

    const rule = THEMATIC_BREAK.test(line);
    const item = rule ? null : LIST_ITEM.exec(line);
    const fenceRun = openFence(line);
    const heading = ATX_HEADING.test(line);
    // A dedented line leaves the list items it is not indented under, unless it is lazy
    // paragraph continuation (which needs an open paragraph and a plain text line).
    if (afterBreak || rule || item !== null || fenceRun !== null || heading) {
      while (listStack.length > 0 && (listStack.at(-1) ?? 0) > indent) listStack.pop();
    }
    const base = listStack.at(-1) ?? 0;
    if (afterBreak && indent >= base + 4) {
      codeBase = base;
      continue;
    }
    // Indented 4+ past the container with a paragraph open: continuation text, not a block.
    afterBreak = false;
    if (indent > base + 3) continue;

    if (fenceRun !== null) {
      fence = { ...fenceRun, base };
      continue;
    }
    if (rule || heading) {
      afterBreak = true;
      continue;
    }
    if (item === null) continue;

    const [prefix, lead = "", marker = "", gap = ""] = item;
    const markerEnd = columnAfter(lead, 0) + marker.length;
    const gapEnd = columnAfter(gap, markerEnd);
    const rest = line.slice(prefix.length);
    // 5+ columns after the marker make the content indented code (CommonMark list item rule).
    const wide = gapEnd - markerEnd > 4;
    listStack.push(rest === "" || wide ? markerEnd + 1 : gapEnd);
    if (wide) continue;

    const box = TASK_BOX.exec(rest);
    if (box === null) continue;
    items.push({
      line: index / 2 + 1,
      checked: box[1] !== " ",
      text: (box[2] ?? "").trim(),
      indent: lead,
      index,
      box: prefix.length + 1,
    });
  }
  return items;
}

/** The task items of a Markdown document, in document order, ignoring anything inside code. */
export function checklistItems(markdown: string): ChecklistItem[] {
  return scan(splitLines(markdown)).map(({ line, checked, text, indent }) => ({
    line,
    checked,
    text,
    indent,
  }));
}

/** Unticks every checked item outside code; every other byte stays as it was. */
export function resetChecklist(markdown: string): { markdown: string; reset: number } {
  const lines = splitLines(markdown);
  let reset = 0;
  for (const item of scan(lines)) {
    if (!item.checked) continue;
    const line = lines[item.index] ?? "";
    lines[item.index] = `${line.slice(0, item.box)} ${line.slice(item.box + 1)}`;
    reset++;
  }
  return { markdown: reset === 0 ? markdown : lines.join(""), reset };
}
