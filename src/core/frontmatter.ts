/**
 * YAML frontmatter as a projection of a node's structured fields: rendered from them when a
 * note is written out, parsed back (and validated) when the user edits it.
 *
 * Decisions:
 * - Rendering uses a fixed key order (title, aliases, tags, then task fields, then any other
 *   `properties` in the caller's order) so output is stable. `aliases: []` and `tags: []` are
 *   always written, so the user sees where to type; null task fields are omitted, not `null`.
 * - Parsing uses the YAML 1.2 core schema, which has no timestamp type: `do_date: 2026-12-24`
 *   stays the string "2026-12-24" (dates are calendar strings everywhere in heph).
 * - A block opens on the very first line (`---`, after an optional BOM) and closes at the next
 *   line that is `---` or `...` (trailing spaces/tabs allowed). Without a closing line there is
 *   no frontmatter: the `---` is an ordinary thematic break, as in Obsidian.
 * - Reading follows Obsidian: `aliases` / `tags` may be a list, a single string, or empty; a
 *   string is split on commas (tags also on whitespace, since a tag cannot contain a space);
 *   a leading `#` on a tag is dropped. Keys are matched exactly (`Tags` is an unknown key).
 *   Unknown keys are returned in `extra` untouched: what to do with them is the caller's call.
 */
import { parseDocument, stringify } from "yaml";
import { z } from "zod";
import { HephError } from "../errors.ts";

export class FrontmatterError extends HephError {
  override name = "FrontmatterError";
}

export interface TaskFrontmatter {
  state: string;
  attention: string;
  do_date: string | null;
  late_on: string | null;
  recurrence: string | null;
  project: string | null;
}

export interface FrontmatterFields {
  title: string;
  aliases: string[];
  tags: string[];
  task?: TaskFrontmatter;
  /** Other user keys (what readFrontmatterFields returned as `extra`), written after ours. */
  properties?: Record<string, unknown>;
}

/** What a user's frontmatter says: only the keys present, task fields flattened. */
export interface FrontmatterRead {
  title?: string;
  aliases?: string[];
  tags?: string[];
  state?: string | null;
  attention?: string | null;
  do_date?: string | null;
  late_on?: string | null;
  recurrence?: string | null;
  project?: string | null;
  extra: Record<string, unknown>;
}

const TASK_KEYS = ["state", "attention", "do_date", "late_on", "recurrence", "project"] as const;

export function renderFrontmatter(fields: FrontmatterFields): string {
  // A Map, not an object: a user property named `__proto__` must stay a plain key.
  const data = new Map<string, unknown>([
    ["title", fields.title],
    ["aliases", fields.aliases],
    ["tags", fields.tags],
  ]);
  if (fields.task !== undefined) {
    for (const key of TASK_KEYS) {
      const value = fields.task[key];
      if (value !== null) data.set(key, value);
    }
  }
  for (const [key, value] of Object.entries(fields.properties ?? {})) {
    // Our keys are authoritative: a property can never shadow the structured fields. A node
    // that is no task has no task fields, so a property of that name (an Obsidian note's
    // `project:`) is the user's own and is written.
    const ours = isKnown(key) && (fields.task !== undefined || !isTaskKey(key));
    if (!ours) data.set(key, value);
  }
  // lineWidth 0: never fold a long title over several lines.
  return `---\n${stringify(data, { lineWidth: 0 })}---\n`;
}

const OPEN = /^---[ \t]*(?:\r\n|\r|\n)/;
const CLOSE = /^(?:---|\.\.\.)[ \t]*$/;
const BREAK = /\r\n|\r|\n/g;

/** 1-based document line and column of `offset` into the YAML, which starts on line 2. */
function position(yaml: string, offset: number): { line: number; column: number } {
  let line = 2;
  let lineStart = 0;
  for (const m of yaml.matchAll(BREAK)) {
    if (m.index >= offset) break;
    line++;
    lineStart = m.index + m[0].length;
  }
  return { line, column: offset - lineStart + 1 };
}

function kindOf(value: unknown): string {
  if (value === null || value === undefined) return "an empty value";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `the text ${JSON.stringify(value)}`;
  if (typeof value === "boolean") return `the boolean ${value}`;
  return `the ${typeof value} ${String(value)}`;
}

function parseYaml(yaml: string): Record<string, unknown> {
  const doc = parseDocument(yaml, { schema: "core", prettyErrors: false });
  const error = doc.errors[0];
  if (error !== undefined) {
    const { line, column } = position(yaml, error.pos[0]);
    // An error found only when the YAML ran out (an unclosed `[`) sits on the closing line.
    const where =
      error.pos[0] >= yaml.length
        ? `line ${line} (where the frontmatter ends)`
        : `line ${line}, column ${column}`;
    throw new FrontmatterError(`Invalid YAML in frontmatter at ${where}: ${error.message}`);
  }
  let value: unknown;
  try {
    value = doc.toJS();
  } catch (cause) {
    // e.g. too many alias expansions (a "billion laughs" document).
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new FrontmatterError(`Invalid YAML in frontmatter: ${reason}`);
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new FrontmatterError(
      `Frontmatter must be a mapping of keys to values (like "title: My note"), but it is ${kindOf(value)}`,
    );
  }
  return value as Record<string, unknown>;
}

/** Separates a leading frontmatter block from the body; the body's bytes are kept exactly. */
export function splitFrontmatter(text: string): {
  data: Record<string, unknown> | null;
  body: string;
} {
  const start = text.startsWith("\uFEFF") ? 1 : 0;
  const open = OPEN.exec(text.slice(start));
  if (open === null) return { data: null, body: text };
  const yamlStart = start + open[0].length;
  const breaks = /\r\n|\r|\n/g;
  let lineStart = yamlStart;
  for (;;) {
    breaks.lastIndex = lineStart;
    const brk = breaks.exec(text);
    const lineEnd = brk === null ? text.length : brk.index;
    if (CLOSE.test(text.slice(lineStart, lineEnd))) {
      const data = parseYaml(text.slice(yamlStart, lineStart));
      return { data, body: text.slice(brk === null ? text.length : lineEnd + brk[0].length) };
    }
    if (brk === null) break;
    lineStart = lineEnd + brk[0].length;
  }
  return { data: null, body: text };
}

/** A list field as items: empty is none, and a single text is split like Obsidian does. */
function listItems(value: string | string[] | null, isTag: boolean): string[] {
  const items =
    value === null ? [] : typeof value === "string" ? value.split(isTag ? /[,\s]+/ : ",") : value;
  return items
    .map((item) => (isTag ? item.trim().replace(/^#/, "") : item.trim()))
    .filter((item) => item !== "");
}

const listOf = (isTag: boolean) =>
  z.union([z.null(), z.string(), z.array(z.string())]).transform((v) => listItems(v, isTag));

const optionalText = z.string().nullable();

const KNOWN = {
  title: z.string(),
  aliases: listOf(false),
  tags: listOf(true),
  state: optionalText,
  attention: optionalText,
  do_date: optionalText,
  late_on: optionalText,
  recurrence: optionalText,
  project: optionalText,
} as const;

type KnownKey = keyof typeof KNOWN;

const EXPECTED: Record<KnownKey, string> = {
  title: "text",
  aliases: "a list of text (or one text)",
  tags: "a list of tags (or one text)",
  state: "text or empty",
  attention: "text or empty",
  do_date: "a date like 2026-12-24, or empty",
  late_on: "a date like 2026-12-24, or empty",
  recurrence: "an RRULE text, or empty",
  project: "text or empty",
};

const isKnown = (key: string): key is KnownKey => Object.hasOwn(KNOWN, key);
const isTaskKey = (key: string) => (TASK_KEYS as readonly string[]).includes(key);

function typeError(key: KnownKey, value: unknown): FrontmatterError {
  if (Array.isArray(value) && key !== "aliases" && key !== "tags") {
    return new FrontmatterError(`Frontmatter "${key}" must be ${EXPECTED[key]}, not a list`);
  }
  if (Array.isArray(value)) {
    const bad = value.findIndex((item) => typeof item !== "string");
    const item: unknown = value[bad];
    return new FrontmatterError(
      `Frontmatter "${key}" item ${bad + 1} must be text, but it is ${kindOf(item)}`,
    );
  }
  const hint = typeof value === "number" || typeof value === "boolean" ? ` (quote it)` : "";
  return new FrontmatterError(
    `Frontmatter "${key}" must be ${EXPECTED[key]}, but it is ${kindOf(value)}${hint}`,
  );
}

/** Validates the known keys of parsed frontmatter; unknown keys are passed through in `extra`. */
export function readFrontmatterFields(data: Record<string, unknown>): FrontmatterRead {
  const read: Record<string, unknown> = {};
  const extra: Array<[string, unknown]> = [];
  for (const [key, value] of Object.entries(data)) {
    if (!isKnown(key)) {
      extra.push([key, value]);
      continue;
    }
    const parsed = KNOWN[key].safeParse(value);
    if (!parsed.success) throw typeError(key, value);
    read[key] = parsed.data;
  }
  // fromEntries defines own properties, so a `__proto__` key stays plain data.
  return { ...(read as Omit<FrontmatterRead, "extra">), extra: Object.fromEntries(extra) };
}
