/**
 * `heph import obsidian <vault>`: every note of a vault as import items. Notes become docs,
 * daily notes journals, and the notes of a heph Markdown export (their `heph:` block) the
 * nodes they were: tasks with their log and context doc, projects in their tree, ids kept.
 * Links stay in the text as written; the daemon resolves them as Obsidian does (by file name
 * or path, ignoring case, same folder first). Attachments are counted, not stored.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { LocalDate } from "../../core/task-types.ts";
import { parseWikiLinks } from "../../core/wikilinks.ts";
import type { HephBlock } from "../../export/heph-block.ts";
import { type ImportItem, MAX_IMPORT_BODY_BYTES } from "../../protocol/import-schemas.ts";
import { withHash } from "../hash.ts";
import { decodeUtf8 } from "../input.ts";
import type { ImporterOutput, RecordNote, RecordProblem } from "../run.ts";
import { dailyNoteDate, isoDateFileName } from "./daily-notes.ts";
import { type ReadNote, readNote } from "./read-note.ts";
import { middayUtc, tasksOfNote } from "./tasks.ts";
import { listVault, readVaultSettings } from "./vault.ts";

export interface AttachmentReport {
  /** Files in the vault that are not notes (images, PDFs…). */
  files: number;
  /** Links and embeds from notes to them (`![[image.png]]`, `[[doc.pdf]]`, `![](img.png)`). */
  links: number;
  /** Of those, links to a file the vault does not have. */
  missing: number;
}

export interface ObsidianOutput extends ImporterOutput {
  attachments: AttachmentReport;
}

const MARKDOWN_LINK = /!?\[[^\]\n]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g;
const HAS_EXTENSION = /\.([a-z0-9]{1,8})$/i;

/** Targets of links to files that are not notes, in one note's body. */
function attachmentTargets(body: string): string[] {
  const targets: string[] = [];
  for (const link of parseWikiLinks(body)) {
    const ext = HAS_EXTENSION.exec(link.target)?.[1]?.toLowerCase();
    if (ext && ext !== "md") targets.push(link.target);
  }
  for (const m of body.matchAll(MARKDOWN_LINK)) {
    const target = decodeURIComponent((m[1] ?? "").replace(/^<|>$/g, ""));
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith("#")) continue;
    const ext = HAS_EXTENSION.exec(target)?.[1]?.toLowerCase();
    if (ext && ext !== "md") targets.push(target);
  }
  return targets;
}

/** An item before its hash: Omit over each kind of the union, not over their common keys. */
type Draft = ImportItem extends infer I ? (I extends unknown ? Omit<I, "hash"> : never) : never;

/** A project's path from the top, following `parent` ids among the export's project notes. */
function projectPathOf(id: string, projects: Map<string, ReadNote>): string[] {
  const path: string[] = [];
  const seen = new Set<string>();
  let current: string | null | undefined = id;
  while (current && !seen.has(current) && path.length < 32) {
    seen.add(current);
    const project = projects.get(current);
    if (!project) break;
    path.unshift(project.title);
    current = project.heph?.parent;
  }
  return path;
}

function common(note: ReadNote) {
  const heph = note.heph;
  return {
    key: note.path,
    title: note.title,
    body: note.body,
    aliases: note.aliases,
    tags: note.tags,
    properties: note.properties,
    folder: heph ? heph.folder : note.folder,
    ...(heph ? { id: heph.id, created_at: heph.created_at } : {}),
  };
}

/** The item a note of a heph export was, given the export's other notes. */
function hephItem(
  note: ReadNote & { heph: HephBlock },
  byId: Map<string, ReadNote>,
  projects: Map<string, ReadNote>,
  contexts: Map<string, ReadNote>,
): Draft {
  const heph = note.heph;
  switch (heph.kind) {
    case "journal":
      return { kind: "journal", ...common(note), date: heph.date ?? note.title };
    case "project":
      return { kind: "project", ...common(note), path: projectPathOf(heph.id, projects) };
    case "task": {
      const context = heph.context ? contexts.get(heph.context) : undefined;
      const projectPath = heph.project_id ? projectPathOf(heph.project_id, projects) : [];
      const parent = heph.parent ? byId.get(heph.parent) : undefined;
      const t = note.task;
      return {
        kind: "task",
        ...common(note),
        state: (t.state ?? "outstanding") as "outstanding",
        attention: (t.attention ?? "white") as "white",
        do_date: t.do_date ?? null,
        late_on: t.late_on ?? null,
        recurrence: t.recurrence ?? null,
        project: projectPath.length > 0 ? projectPath : t.project ? [t.project] : null,
        closed_at: heph.closed_at ?? null,
        log: heph.log ?? [],
        log_complete: true,
        parent_key: parent ? parent.path : null,
        from_line: null,
        context: context
          ? {
              ...(context.heph ? { id: context.heph.id, created_at: context.heph.created_at } : {}),
              body: context.body,
              aliases: context.aliases,
              tags: context.tags,
              properties: context.properties,
            }
          : null,
      };
    }
    case "tag":
      return { kind: "tag", ...common(note) };
    default:
      return { kind: "doc", ...common(note) };
  }
}

export function mapObsidianVault(
  root: string,
  options: { today: LocalDate; tasks: boolean; globalFilter?: string | undefined },
): ObsidianOutput {
  const listing = listVault(root);
  const problems: RecordProblem[] = [...listing.problems];
  const notes: RecordNote[] = [];
  const settings = readVaultSettings(root, problems);
  const globalFilter = options.globalFilter ?? settings.globalFilter;
  const read: ReadNote[] = [];
  for (const file of listing.notes) {
    if (file.bytes > MAX_IMPORT_BODY_BYTES) {
      problems.push({
        where: file.path,
        reason: `${file.bytes} bytes; heph imports notes of at most ${MAX_IMPORT_BODY_BYTES} bytes (8 MiB)`,
      });
      continue;
    }
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(join(root, file.path));
    } catch (error) {
      problems.push({ where: file.path, reason: `cannot read it: ${(error as Error).message}` });
      continue;
    }
    const text = decodeUtf8(bytes);
    if (text === undefined) {
      problems.push({ where: file.path, reason: "not valid UTF-8 (Obsidian notes are UTF-8)" });
      continue;
    }
    const note = readNote(file.path, text);
    for (const message of note.notes) notes.push({ key: note.path, where: note.path, message });
    read.push(note);
  }

  const byId = new Map<string, ReadNote>();
  const projects = new Map<string, ReadNote>();
  const contexts = new Map<string, ReadNote>();
  for (const note of read) {
    if (!note.heph) continue;
    byId.set(note.heph.id, note);
    if (note.heph.kind === "project") projects.set(note.heph.id, note);
    if (note.heph.context_of) contexts.set(note.heph.id, note);
  }
  const where = new Map<string, string>();
  const items: ImportItem[] = [];
  const attachmentNames = new Set(listing.attachments.map((f) => f.path.toLowerCase()));
  const attachmentBases = new Set(
    listing.attachments.map((f) => (f.path.split("/").pop() ?? "").toLowerCase()),
  );
  const attachments: AttachmentReport = { files: listing.attachments.length, links: 0, missing: 0 };
  for (const note of read) {
    for (const target of attachmentTargets(note.body)) {
      attachments.links++;
      const wanted = target.toLowerCase().replace(/^\.?\//, "");
      const base = wanted.split("/").pop() ?? "";
      if (!attachmentNames.has(wanted) && !attachmentBases.has(base)) {
        attachments.missing++;
        notes.push({
          key: note.path,
          where: note.path,
          message: "links to an attachment the vault does not have (the link is kept as written)",
        });
      }
    }
    const heph = note.heph;
    // A task's context doc travels inside its task's item.
    if (heph?.context_of && byId.get(heph.context_of)?.heph?.kind === "task") continue;
    let item: Draft;
    if (heph) {
      item = hephItem(note as ReadNote & { heph: HephBlock }, byId, projects, contexts);
    } else {
      const date = settings.dailyNotes
        ? dailyNoteDate(note.path, settings.dailyNotes)
        : isoDateFileName(note.path);
      item = date
        ? { kind: "journal", ...common(note), date, created_at: middayUtc(date) }
        : { kind: "doc", ...common(note) };
    }
    items.push(withHash(item) as ImportItem);
    if (options.tasks && !heph) {
      const found = tasksOfNote(note, { today: options.today, globalFilter });
      for (const task of found.items) {
        items.push(task);
        where.set(task.key, note.path);
      }
      notes.push(...found.notes);
    }
  }
  return { items, problems, notes, where, attachments, afterImport: typedLinks(read) };
}

/** Adds the typed links a heph export wrote (heph.links), between the nodes as they landed. */
function typedLinks(read: readonly ReadNote[]): ObsidianOutput["afterImport"] {
  const keyOf = new Map<string, string>();
  for (const note of read) if (note.heph) keyOf.set(note.heph.id, note.path);
  const wanted = read.flatMap((note) =>
    (note.heph?.links ?? []).map((link) => ({ key: note.path, ...link })),
  );
  if (wanted.length === 0) return undefined;
  return async ({ results, addLink }) => {
    const landed = new Map(
      results.filter((r) => r.id !== null).map((r) => [r.key, r.id as string]),
    );
    const failed: RecordNote[] = [];
    for (const link of wanted) {
      const src = landed.get(link.key);
      const dstKey = keyOf.get(link.dst);
      // A target outside this vault may still be in the store under its id.
      const dst = dstKey === undefined ? link.dst : landed.get(dstKey);
      if (src === undefined || dst === undefined) continue;
      try {
        await addLink(src, link.type, dst);
      } catch (error) {
        failed.push({
          key: link.key,
          where: link.key,
          message: `its ${link.type} link to ${link.dst} was not added: ${(error as Error).message}`,
        });
      }
    }
    return failed;
  };
}
