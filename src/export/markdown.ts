/**
 * A heph store as an Obsidian vault (`heph export markdown`). Pure: the export document's nodes
 * and links in, the files to write out. Decisions (docs/reference/export-format.md):
 * - one `.md` per live node, in the folder it was imported from, else a folder for its kind
 *   (Docs, Tasks, Projects, Journal); a task's context doc sits in Tasks/Context;
 * - the file is named after the title, with the characters Obsidian refuses in file names
 *   (`* " \ / < > : | ? # ^ [ ]`) replaced by `-`; a name taken twice in one folder (ignoring
 *   case, as macOS and Windows do) gets " (2)", " (3)"…; journals are daily notes `YYYY-MM-DD`;
 * - frontmatter: title, aliases, tags, task fields, the node's other properties, and the `heph:`
 *   block (heph-block.ts) with what a vault cannot say by itself;
 * - a `[[link]]` Obsidian would not resolve to the node heph resolves it to (an id, an alias, a
 *   title whose file name had to change, a name two files share) is written with the file's
 *   path, `[[Tasks/Pay rent|01J…]]`, and the pair is kept in the heph block so an import puts
 *   the heph form back;
 * - typed links of free-text types (links.add) go in the heph block by id; the import adds
 *   them once every node has landed.
 */
import { renderFrontmatter } from "../core/frontmatter.ts";
import { parseWikiLinks, type WikiLink } from "../core/wikilinks.ts";
import type { ExportLink, ExportNode } from "../protocol/import-schemas.ts";
import { DERIVED_LINK_TYPES, MANAGED_LINK_TYPES, SUBTASK_LINK } from "../store/links.ts";
import {
  HEPH_BLOCK_KEY,
  type HephBlock,
  type HephLogKind,
  JOURNAL_FOLDER,
  KIND_FOLDERS,
} from "./heph-block.ts";

export interface VaultFile {
  /** Vault-relative, "/"-separated, ending in .md. */
  path: string;
  text: string;
}

export interface MarkdownVault {
  files: VaultFile[];
  /** What `.obsidian/daily-notes.json` says: where the journals are and how they are named. */
  dailyNotes: { folder: string; format: string };
}

// Control characters too (built from code points: a literal range in a regex trips the linter).
const FORBIDDEN = new RegExp(
  `[\\\\/:*?"<>|#^[\\]${String.fromCharCode(0)}-${String.fromCharCode(31)}${String.fromCharCode(127)}]`,
  "g",
);
const MAX_NAME = 180;

/** A title as a file name (without .md) that Obsidian and every desktop file system accept. */
export function fileNameOf(title: string): string {
  let name = title.replace(FORBIDDEN, "-").replace(/\s+/g, " ").trim();
  // A leading dot hides the file; trailing dots and spaces are dropped by Windows.
  name = name.replace(/^\.+/, "-").replace(/[. ]+$/, "");
  if (name.length > MAX_NAME) name = name.slice(0, MAX_NAME).replace(/[\ud800-\udbff]$/, "");
  return name === "" ? "Untitled" : name;
}

const stem = (path: string) => path.replace(/\.md$/i, "");
const baseName = (path: string) => stem(path).split("/").pop() ?? "";

/** Where each node's file goes, unique ignoring case. */
function placeFiles(nodes: readonly ExportNode[], contextOf: Map<string, string>) {
  const taken = new Set<string>();
  const paths = new Map<string, string>();
  const journalFolders = new Map<string, number>();
  for (const node of nodes)
    if (node.kind === "journal" && node.folder !== null)
      journalFolders.set(node.folder, (journalFolders.get(node.folder) ?? 0) + 1);
  // The folder most imported journals came from, or Journal: where daily notes are looked for.
  const journalFolder =
    [...journalFolders].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ??
    JOURNAL_FOLDER;
  for (const node of nodes) {
    const folder =
      node.folder ??
      (node.kind === "journal"
        ? journalFolder
        : contextOf.has(node.id)
          ? `${KIND_FOLDERS.task}/Context`
          : KIND_FOLDERS[node.kind]);
    const name = fileNameOf(node.title);
    const prefix = folder === "" ? "" : `${folder}/`;
    let path = `${prefix}${name}.md`;
    for (let n = 2; taken.has(path.toLowerCase()); n++) path = `${prefix}${name} (${n}).md`;
    taken.add(path.toLowerCase());
    paths.set(node.id, path);
  }
  return { paths, journalFolder };
}

/** How many files share each base name (ignoring case): Obsidian resolves a bare name only if one. */
function baseNameCounts(paths: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const path of paths) {
    const key = baseName(path).toLowerCase();
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Would Obsidian take `target` to the file at `path`? */
function obsidianFinds(target: string, path: string, counts: Map<string, number>): boolean {
  const wanted = stem(target).toLowerCase();
  const file = stem(path).toLowerCase();
  if (wanted.includes("/")) return file === wanted || file.endsWith(`/${wanted}`);
  return baseName(path).toLowerCase() === wanted && counts.get(wanted) === 1;
}

function writeLink(link: WikiLink, path: string): string {
  const sub =
    link.block !== null ? `#^${link.block}` : link.heading !== null ? `#${link.heading}` : "";
  return `${link.embed ? "!" : ""}[[${stem(path)}${sub}|${link.label ?? link.target}]]`;
}

/** The body with links Obsidian would miss written by path, and the pairs [written, heph's]. */
function rewriteLinks(
  node: ExportNode,
  dstOf: Map<string, string | null>,
  paths: Map<string, string>,
  counts: Map<string, number>,
): { body: string; pairs: Array<[string, string]> } {
  const pairs = new Map<string, string>();
  let body = node.body;
  // From the end, so earlier offsets stay valid.
  for (const link of parseWikiLinks(node.body).reverse()) {
    const dst = dstOf.get(`${node.id}\n${link.target}`);
    const path = dst ? paths.get(dst) : undefined;
    // A `\|` label is a table cell's: left as written rather than risk breaking the table.
    if (!path || link.raw.includes("\\|") || obsidianFinds(link.target, path, counts)) continue;
    const written = writeLink(link, path);
    if (written.includes("\n")) continue;
    pairs.set(written, link.raw);
    body = `${body.slice(0, link.index)}${written}${body.slice(link.index + link.raw.length)}`;
  }
  return { body, pairs: [...pairs] };
}

export function buildVault(
  nodes: readonly ExportNode[],
  links: readonly ExportLink[],
): MarkdownVault {
  const live = nodes.filter((node) => node.deleted_at === null);
  const contextOf = new Map<string, string>();
  for (const node of live) if (node.task?.context_id) contextOf.set(node.task.context_id, node.id);
  const { paths, journalFolder } = placeFiles(live, contextOf);
  const counts = baseNameCounts(paths.values());
  const dstOf = new Map<string, string | null>();
  for (const link of links)
    if (link.type === "wiki") dstOf.set(`${link.src}\n${link.target}`, link.dst);
  const titles = new Map(live.map((node) => [node.id, node.title]));
  const ownTypes = new Set<string>([...DERIVED_LINK_TYPES, ...MANAGED_LINK_TYPES, SUBTASK_LINK]);
  const typed = new Map<string, Array<{ type: string; dst: string }>>();
  for (const link of links) {
    if (ownTypes.has(link.type) || link.dst === null || !titles.has(link.dst)) continue;
    typed.set(link.src, [...(typed.get(link.src) ?? []), { type: link.type, dst: link.dst }]);
  }

  const files = live.map((node): VaultFile => {
    const { body, pairs } = rewriteLinks(node, dstOf, paths, counts);
    const block: HephBlock = {
      id: node.id,
      kind: node.kind,
      created_at: node.created_at,
      updated_at: node.updated_at,
      folder: node.folder,
      ...(node.kind === "journal" ? { date: node.title } : {}),
      ...(contextOf.has(node.id) ? { context_of: contextOf.get(node.id) } : {}),
      ...(node.project ? { parent: node.project.parent_id } : {}),
      ...(node.task
        ? {
            context: node.task.context_id,
            parent: node.task.parent_id,
            project_id: node.task.project_id,
            closed_at: node.task.closed_at,
            log: node.task.log.map(({ at, kind, text }) => ({
              at,
              kind: kind as HephLogKind,
              text,
            })),
          }
        : {}),
      ...(typed.has(node.id) ? { links: typed.get(node.id) } : {}),
      ...(node.sources.length > 0 ? { sources: node.sources } : {}),
      ...(pairs.length > 0 ? { rewritten_links: pairs } : {}),
    };
    const task = node.task;
    const frontmatter = renderFrontmatter({
      title: node.title,
      aliases: node.aliases,
      tags: node.tags,
      ...(task
        ? {
            task: {
              state: task.state,
              attention: task.attention,
              do_date: task.do_date,
              late_on: task.late_on,
              recurrence: task.recurrence,
              project: task.project_id ? (titles.get(task.project_id) ?? null) : null,
            },
          }
        : {}),
      properties: { ...node.properties, [HEPH_BLOCK_KEY]: withoutUndefined(block) },
    });
    return { path: paths.get(node.id) as string, text: `${frontmatter}${body}` };
  });
  return { files, dailyNotes: { folder: journalFolder, format: "YYYY-MM-DD" } };
}

/** YAML has no undefined: keys without a value are left out. */
function withoutUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
