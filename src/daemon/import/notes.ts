/** Docs, journals and projects from import items. */

import type { z } from "zod";
import { isLocalDate } from "../../core/dates.ts";
import { appendSection, findSection, importedSection } from "../../core/import-text.ts";
import type {
  ImportDoc,
  ImportJournal,
  ImportProject,
  ImportTag,
} from "../../protocol/import-schemas.ts";
import { type Applied, type ApplyContext, commonFields, type Previous } from "./context.ts";
import { projectPath, resolvePath } from "./projects.ts";
import { skip } from "./skip.ts";

type Doc = z.output<typeof ImportDoc> | z.output<typeof ImportTag>;
type Journal = z.output<typeof ImportJournal>;
type Project = z.output<typeof ImportProject>;

const sectionHash = (text: string) => Bun.hash(text).toString(16);

export function applyDoc(context: ApplyContext, item: Doc, before: Previous | undefined): Applied {
  const { store, source } = context;
  if (before) {
    if (before.hash === item.hash) return { outcome: "unchanged", id: before.id, warnings: [] };
    store.nodes.update(before.id, commonFields(item));
    store.imports.record(source, item.key, before.id, item.hash, null);
    return { outcome: "updated", id: before.id, warnings: [] };
  }
  const id = store.nodes.insert({ kind: item.kind, ...commonFields(item), id: item.id });
  store.imports.record(source, item.key, id, item.hash, null);
  return { outcome: "created", id, warnings: [] };
}

/**
 * A daily note. Imported before: updated in place (the date may change if no other journal has
 * the new one). New: a journal of that date made in heph is met — adopted when its body is
 * empty, otherwise the import is appended as a marked section, so no text is lost.
 */
export function applyJournal(
  context: ApplyContext,
  item: Journal,
  before: Previous | undefined,
): Applied {
  const { store, source } = context;
  if (!isLocalDate(item.date)) skip(`date: ${item.date} is not a calendar date`);
  const fields = { ...commonFields(item), title: item.date };
  const holder = store.imports.journalOf(item.date);
  if (before) {
    const id = before.id;
    if (before.hash === item.hash) return { outcome: "unchanged", id, warnings: [] };
    if (holder && holder !== id)
      skip(`date: the journal of ${item.date} is another node (${holder}); it was not moved there`);
    if (before.mergedHash === null) {
      store.nodes.update(id, fields);
      store.imports.record(source, item.key, id, item.hash, null);
      return { outcome: "updated", id, warnings: [] };
    }
    // Merged into a journal of heph's: only the imported section is the import's to replace,
    // and only while it is as the import left it; an edited one stays and the new one follows.
    const section = importedSection(source, item.key, item.body);
    const body = before.node().body;
    const at = findSection(body, source, item.key);
    const untouched = at && sectionHash(body.slice(at.start, at.end)) === before.mergedHash;
    const next = untouched
      ? `${body.slice(0, at.start)}${section}${body.slice(at.end)}`
      : appendSection(body, section);
    store.nodes.update(id, { body: next, ...mergedFields(before.node(), item) });
    store.imports.record(source, item.key, id, item.hash, sectionHash(section));
    return {
      outcome: "updated",
      id,
      warnings: untouched
        ? []
        : [
            `the section imported into ${item.date} before was edited in heph; it was kept and the new one appended`,
          ],
    };
  }
  if (holder) {
    const journal = store.nodes.get(holder);
    if (journal && journal.body.trim() === "") {
      store.nodes.update(holder, fields);
      store.imports.record(source, item.key, holder, item.hash, null);
      return { outcome: "updated", id: holder, warnings: [] };
    }
    const section = importedSection(source, item.key, item.body);
    store.nodes.update(holder, {
      body: appendSection(journal?.body ?? "", section),
      ...(journal ? mergedFields(journal, item) : {}),
    });
    store.imports.record(source, item.key, holder, item.hash, sectionHash(section));
    return { outcome: "updated", id: holder, warnings: [] };
  }
  const id = store.nodes.insert({ kind: "journal", ...fields, id: item.id });
  store.imports.record(source, item.key, id, item.hash, null);
  return { outcome: "created", id, warnings: [] };
}

/** A merged journal keeps its own aliases, tags, properties and folder, and gains the item's. */
function mergedFields(
  node: {
    aliases: string[];
    tags: string[];
    properties: Record<string, unknown>;
    folder: string | null;
  },
  item: Journal,
) {
  return {
    aliases: [...node.aliases, ...item.aliases],
    tags: [...node.tags, ...item.tags],
    properties: { ...item.properties, ...node.properties },
    folder: node.folder ?? item.folder,
  };
}

/**
 * A project by its path. Its name is the last part of the path (the item's title is not used);
 * a project made in heph with that path is adopted. Imported before: renamed and moved to the
 * item's path when that changed.
 */
export function applyProject(
  context: ApplyContext,
  item: Project,
  before: Previous | undefined,
): Applied {
  const { store, source } = context;
  const name = (item.path.at(-1) as string).trim();
  const node = {
    body: item.body,
    aliases: item.aliases,
    tags: item.tags,
    properties: item.properties,
    folder: item.folder,
  };
  if (before) {
    const id = before.id;
    if (before.hash === item.hash) return { outcome: "unchanged", id, warnings: [] };
    const parent = item.path.length > 1 ? projectPath(store, item.path.slice(0, -1)) : null;
    if (parent && store.projects.subtree(id).includes(parent))
      skip(`path: ${item.path.join(" / ")} would put the project inside itself`);
    const clash = store.projects.findId(name);
    if (clash && clash !== id) skip(`path: another project is named ${name} already`);
    store.projects.setParent(id, parent);
    store.nodes.update(id, {
      ...node,
      title: name,
      ...(item.created_at ? { created_at: item.created_at } : {}),
    });
    store.imports.record(source, item.key, id, item.hash, null);
    return { outcome: "updated", id, warnings: [] };
  }
  const { id, created } = resolvePath(store, item.path, item.id);
  store.nodes.update(id, { ...node, ...(item.created_at ? { created_at: item.created_at } : {}) });
  store.imports.record(source, item.key, id, item.hash, null);
  return { outcome: created ? "created" : "updated", id, warnings: [] };
}
