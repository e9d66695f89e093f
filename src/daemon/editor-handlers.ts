/** The methods editor surfaces need: `[[` completion and promoting a checklist line to a task. */
import { checklistItems } from "../core/checklist.ts";
import type { Task } from "../protocol/task-schemas.ts";
import { CompletionStore } from "../store/complete.ts";
import type { Store } from "../store/store.ts";
import type { Handlers } from "./dispatch.ts";
import { conflict, invalidParam, invalidState } from "./failures.ts";
import { findNode } from "./node-ref.ts";

type EditorHandlers = Pick<Handlers, "node.complete" | "task.promote">;

/** ` [[<ULID>]]` at the end of a checklist line: the line is linked to that task already. */
const TASK_LINK = /\[\[([0-9A-HJKMNP-TV-Z]{26})\]\]\s*$/i;

/**
 * Appends ` [[id]]` to the 1-based line `line` of `body`, keeping every line ending as it was.
 * The format is shared with the Obsidian importer, which links checklist lines the same way.
 */
export function linkLine(body: string, line: number, id: string): string {
  const parts = body.split(/(\r\n|\r|\n)/); // content, separator, content, …
  const index = (line - 1) * 2;
  parts[index] = `${(parts[index] ?? "").replace(/[ \t]+$/, "")} [[${id}]]`;
  return parts.join("");
}

export function createEditorHandlers(context: {
  store: Store;
  /** Quick add, exactly as task.add does it (its rules, its project creation). */
  addTask: (line: string) => Task;
}): EditorHandlers {
  const { store } = context;
  const completion = new CompletionStore(store.db);

  return {
    "node.complete": ({ query, kind, limit }) =>
      completion.complete(query, kind === undefined ? undefined : [kind].flat(), limit),
    "task.promote": ({ id, line, base_updated_at }) =>
      store.transaction(() => {
        const node = findNode(store, id);
        if (base_updated_at !== undefined && base_updated_at !== node.updated_at) {
          throw conflict(
            `Node ${node.id} changed since ${base_updated_at} (now ${node.updated_at}); its line ${line} may be another line now. Reload it and promote again.`,
            { current: node },
          );
        }
        const item = checklistItems(node.body).find((candidate) => candidate.line === line);
        if (!item) {
          throw invalidParam(
            "line",
            `line ${line} of ${node.title} is not a checklist item (- [ ] …) outside code`,
          );
        }
        if (item.checked) {
          throw invalidState(`Line ${line} of ${node.title} is ticked already; untick it first.`);
        }
        const linked = TASK_LINK.exec(item.text)?.[1]?.toUpperCase();
        if (linked && store.tasks.get(linked)?.deleted_at === null) {
          throw invalidState(`Line ${line} of ${node.title} is a task already: [[${linked}]].`, {
            task: linked,
          });
        }
        if (item.text === "")
          throw invalidParam("line", `line ${line} has no text to make a task of`);
        const task = context.addTask(item.text);
        store.nodes.update(node.id, { body: linkLine(node.body, line, task.id) });
        return task;
      }),
  };
}
