/** Tasks from import items: fields, state, log, project, parent task and checklist line. */
import type { z } from "zod";
import { isLocalDate } from "../../core/dates.ts";
import { linkChecklistLine } from "../../core/import-text.ts";
import { parseRecurrence, RecurrenceError } from "../../core/recurrence.ts";
import { firstDoDate } from "../../core/task-lifecycle.ts";
import { RpcFailure } from "../../protocol/envelope.ts";
import type { ImportTask } from "../../protocol/import-schemas.ts";
import { SUBTASK_LINK } from "../../store/links.ts";
import { checkRule } from "../task-handlers.ts";
import { type Applied, type ApplyContext, commonFields, type Previous } from "./context.ts";
import { projectPath } from "./projects.ts";
import { skip } from "./skip.ts";

type Item = z.output<typeof ImportTask>;

/** The item's schedule, checked as task.create checks it; a closed task's rule need not recur on. */
function schedule(context: ApplyContext, item: Item) {
  for (const field of ["do_date", "late_on"] as const) {
    const value = item[field];
    if (value !== null && !isLocalDate(value)) skip(`${field}: ${value} is not a calendar date`);
  }
  let recurrence: string | null = null;
  if (item.recurrence !== null) {
    try {
      recurrence =
        item.state === "outstanding"
          ? (checkRule(item.recurrence, context.today) ?? null)
          : /(^|;|:)COUNT=/i.test(item.recurrence)
            ? skip("recurrence: COUNT is not supported; end the rule with UNTIL=YYYYMMDD")
            : parseRecurrence(item.recurrence);
    } catch (error) {
      if (error instanceof RpcFailure || error instanceof RecurrenceError)
        skip(error.message.replace(/^Invalid params: /, ""));
      throw error;
    }
  }
  const doDate =
    item.do_date ??
    (recurrence && item.state === "outstanding" ? firstDoDate(recurrence, context.today) : null);
  return { do_date: doDate, late_on: item.late_on, recurrence };
}

/** The log entries of `item` that the task has not got yet, by kind and text, as a multiset. */
function newLogEntries(have: ReadonlyArray<{ kind: string; text: string }>, item: Item) {
  const key = (entry: { kind: string; text: string }) => `${entry.kind}\n${entry.text}`;
  const counts = new Map<string, number>();
  for (const entry of have) counts.set(key(entry), (counts.get(key(entry)) ?? 0) + 1);
  return item.log.filter((entry) => {
    const left = counts.get(key(entry)) ?? 0;
    if (left > 0) counts.set(key(entry), left - 1);
    return left === 0;
  });
}

export function applyTask(
  context: ApplyContext,
  item: Item,
  before: Previous | undefined,
): Applied {
  const { store, source } = context;
  let outcome: Applied["outcome"];
  let id: string;
  if (before && before.hash === item.hash) {
    outcome = "unchanged";
    id = before.id;
  } else {
    const fields = schedule(context, item);
    const projectId = item.project ? cachedProjectPath(context, item.project) : null;
    const closedAt = item.state === "outstanding" ? null : (item.closed_at ?? context.now);
    if (before) {
      id = before.id;
      outcome = "updated";
      update(context, id, item, { ...fields, project_id: projectId, closed_at: closedAt });
    } else {
      outcome = "created";
      id = store.tasks.insert(
        {
          ...fields,
          title: item.title,
          body: item.body,
          attention: item.attention,
          project_id: projectId,
          tags: item.tags,
        },
        {
          state: item.state,
          closed_at: closedAt,
          aliases: item.aliases,
          properties: item.properties,
          folder: item.folder,
          id: item.id,
          context: item.context && contextFields(item.context),
          logComplete: item.log_complete,
          ...(item.created_at ? { created_at: item.created_at } : {}),
        },
      );
      for (const entry of item.log) store.tasks.appendLog(id, entry.kind, entry.text, entry.at);
      if (closedAt && !item.log_complete)
        store.tasks.appendLog(id, item.state === "done" ? "done" : "dropped", "", closedAt);
    }
    store.imports.record(source, item.key, id, item.hash, null);
  }
  return {
    outcome,
    id,
    warnings: [...linkParent(context, id, item), ...linkLine(context, id, item)],
  };
}

/** projectPath, remembered for the rest of the pass when the pass keeps a cache. */
function cachedProjectPath(context: ApplyContext, path: readonly string[]): string {
  const key = JSON.stringify(path);
  const known = context.projectIds?.get(key);
  if (known !== undefined) return known;
  const id = projectPath(context.store, path);
  context.projectIds?.set(key, id);
  return id;
}

/** An exported context doc's fields, as a node insert or patch takes them. */
function contextFields(context: NonNullable<Item["context"]>) {
  return {
    body: context.body,
    aliases: context.aliases,
    tags: context.tags,
    properties: context.properties,
    id: context.id,
    ...(context.created_at ? { created_at: context.created_at } : {}),
  };
}

function update(
  context: ApplyContext,
  id: string,
  item: Item,
  fields: {
    do_date: string | null;
    late_on: string | null;
    recurrence: string | null;
    project_id: string | null;
    closed_at: string | null;
  },
) {
  const { store } = context;
  const current = store.tasks.get(id);
  if (!current) skip("the task imported before is gone");
  store.nodes.update(id, commonFields(item));
  if (current.context_id && (current.title !== item.title || item.context)) {
    const { id: _exportedId, ...context } = item.context ? contextFields(item.context) : {};
    store.nodes.update(current.context_id, { ...context, title: `Context: ${item.title}` });
  }
  store.db
    .query(
      "UPDATE tasks SET state = ?, attention = ?, do_date = ?, late_on = ?, recurrence = ?, closed_at = ? WHERE node_id = ?",
    )
    .run(
      item.state,
      item.attention,
      fields.do_date,
      fields.late_on,
      fields.recurrence,
      fields.closed_at,
      id,
    );
  if (fields.project_id !== current.project_id) {
    store.imports.setLink(id, "in-project", fields.project_id);
  }
  for (const entry of newLogEntries(store.imports.logEntries(id), item))
    store.tasks.appendLog(id, entry.kind, entry.text, entry.at);
  if (current.state !== item.state && !item.log_complete) {
    if (item.state === "outstanding") store.tasks.appendLog(id, "reopened", "");
    else
      store.tasks.appendLog(
        id,
        item.state === "done" ? "done" : "dropped",
        "",
        fields.closed_at ?? undefined,
      );
  }
}

/** Links a sub-task to its parent, imported earlier from the same source (on every apply). */
function linkParent(context: ApplyContext, id: string, item: Item): string[] {
  const { store, source } = context;
  const current = store.imports.linkDst(id, SUBTASK_LINK);
  if (item.parent_key === null) {
    if (current !== undefined) store.imports.setLink(id, SUBTASK_LINK, null);
    return [];
  }
  if (item.parent_key === item.key)
    return [`parent_key: the task names itself as its parent; not linked`];
  const record = store.imports.find(source, item.parent_key);
  const parent = record ? store.nodes.get(record.node_id) : undefined;
  if (parent?.kind !== "task")
    return [
      `parent_key: no task was imported from ${source} with key ${item.parent_key} (send parents first); the task is kept without its parent`,
    ];
  if (current !== parent.id) store.imports.setLink(id, SUBTASK_LINK, parent.id);
  return [];
}

/** Links the checklist line the task was made from, in its imported note (on every apply). */
function linkLine(context: ApplyContext, id: string, item: Item): string[] {
  if (item.from_line === null) return [];
  const { store, source } = context;
  const { key, text } = item.from_line;
  const record = store.imports.find(source, key);
  const note = record ? store.nodes.get(record.node_id) : undefined;
  if (!note)
    return [
      `from_line: no note was imported from ${source} with key ${key} (send notes first); the line is not linked`,
    ];
  const linked = linkChecklistLine(note.body, text, id);
  if (linked.outcome === "missing")
    return [
      `from_line: ${key} has no line ${JSON.stringify(text)} any more; the task is kept, not linked`,
    ];
  if (linked.outcome === "linked") store.nodes.update(note.id, { body: linked.body });
  return [];
}
