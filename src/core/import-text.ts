/**
 * Text edits an import makes to bodies it does not own: linking a checklist line to the task made
 * from it, and merging an imported daily note into a journal that already has text. Pure.
 */

export type LineLink = { outcome: "linked"; body: string } | { outcome: "already" | "missing" };

/** `- [ ] `, `* [x] `, `1. [/] `: a checklist item's marker and box, indentation included. */
const CHECKBOX = /^\s*(?:[-*+]|\d+[.)])\s+\[.\]\s+/;

/**
 * Links the first line reading exactly `text` (trailing spaces aside) to the task: `[[id]]`
 * goes right after a checklist item's box (the Obsidian Tasks plugin reads its emoji fields
 * only at the end of a line, so the end must stay theirs), or at the end of any other line. A
 * line that reads `text` once its link to this task is taken out counts as done already, so
 * applying twice changes nothing.
 */
export function linkChecklistLine(body: string, text: string, taskId: string): LineLink {
  const link = `[[${taskId}]]`;
  const wanted = text.trimEnd();
  const lines = body.split("\n");
  const bare = (line: string) => line.replace(/\r$/, "").trimEnd();
  for (const line of lines) {
    if (
      line.includes(link) &&
      bare(line.replace(`${link} `, "").replace(` ${link}`, "").replace(link, "")) === wanted
    )
      return { outcome: "already" };
  }
  const index = lines.findIndex((line) => bare(line) === wanted);
  if (index === -1) return { outcome: "missing" };
  const line = bare(lines[index] as string);
  const cr = (lines[index] as string).endsWith("\r") ? "\r" : "";
  const box = CHECKBOX.exec(line)?.[0].length;
  lines[index] =
    box === undefined || box === line.length
      ? `${line} ${link}${cr}`
      : `${line.slice(0, box)}${link} ${line.slice(box)}${cr}`;
  return { outcome: "linked", body: lines.join("\n") };
}

const SEPARATOR = "---\n";

/** The comment that starts an imported section; it names where the section came from. */
export function sectionMarker(source: string, key: string): string {
  // "--" cannot appear inside an HTML comment; a key is a path, so this only guards odd ones.
  return `<!-- imported from ${source}: ${key.replaceAll("--", "- -")} -->`;
}

/** An imported body as a section of a journal that had text of its own. */
export function importedSection(source: string, key: string, body: string): string {
  const text = body === "" || body.endsWith("\n") ? body : `${body}\n`;
  return `${SEPARATOR}${sectionMarker(source, key)}\n${text}`;
}

/** `existing` with `section` after it, a blank line between: nothing of either is lost. */
export function appendSection(existing: string, section: string): string {
  const end = existing.endsWith("\n") ? existing : `${existing}\n`;
  return `${end}\n${section}`;
}

/**
 * Where the section imported from (source, key) sits in `body`: from its separator to the next
 * imported section or the end. undefined when it is not there (edited away).
 */
export function findSection(
  body: string,
  source: string,
  key: string,
): { start: number; end: number } | undefined {
  const marker = `${SEPARATOR}${sectionMarker(source, key)}\n`;
  const start = body.lastIndexOf(marker);
  if (start === -1) return undefined;
  const next = body.indexOf(`\n${SEPARATOR}<!-- imported from `, start + marker.length - 1);
  return { start, end: next === -1 ? body.length : next };
}
