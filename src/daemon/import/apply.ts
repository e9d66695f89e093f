/**
 * import.apply: one transaction for the batch, committed once, so a 1000-item batch costs one
 * fsync, not a thousand; every item is still all or nothing (see applyImport). A bad item
 * changes nothing and the others go on. A dry run runs the same code and rolls the whole
 * transaction back.
 */
import type { LocalDate } from "../../core/task-types.ts";
import { RpcFailure } from "../../protocol/envelope.ts";
import {
  ImportItem,
  type ImportItemOut,
  type ImportResult,
  type ImportSource,
  MAX_IMPORT_BODY_BYTES,
} from "../../protocol/import-schemas.ts";
import type { Store } from "../../store/store.ts";
import { describeIssues } from "../dispatch.ts";
import type { Logger } from "../log.ts";
import { type Applied, type ApplyContext, previous } from "./context.ts";
import { applyDoc, applyJournal, applyProject } from "./notes.ts";
import { ItemSkipped } from "./skip.ts";
import { applyTask } from "./tasks.ts";

/** Deeper than this, a record's properties are refused: JSON that deep is an attack, not data. */
const MAX_PROPERTY_DEPTH = 64;

class DryRunRollback extends Error {}

function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    deepest = Math.max(deepest, depth);
    if (deepest > MAX_PROPERTY_DEPTH) return deepest;
    if (current !== null && typeof current === "object")
      for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** What is wrong with an item that its schema cannot say, or null. */
function refusal(item: ImportItemOut): string | null {
  const bytes = Buffer.byteLength(item.body);
  if (bytes > MAX_IMPORT_BODY_BYTES)
    return `body: ${bytes} bytes; an imported body may hold at most ${MAX_IMPORT_BODY_BYTES}`;
  if (depthOf(item.properties) > MAX_PROPERTY_DEPTH)
    return `properties: nested deeper than ${MAX_PROPERTY_DEPTH} levels`;
  return null;
}

function applyOne(context: ApplyContext, item: ImportItemOut): Applied {
  const before = previous(context, item);
  if (before?.deleted_at)
    throw new ItemSkipped(
      `its node ${before.id} was deleted in heph after an earlier import; it stays deleted`,
    );
  if (before && before.kind !== item.kind)
    throw new ItemSkipped(
      `it was imported as a ${before.kind} before (node ${before.id}), not a ${item.kind}`,
    );
  switch (item.kind) {
    case "doc":
    case "tag":
      return applyDoc(context, item, before);
    case "journal":
      return applyJournal(context, item, before);
    case "project":
      // A project item may rename or move what a cached path named.
      context.projectIds?.clear();
      return applyProject(context, item, before);
    case "task":
      return applyTask(context, item, before);
  }
}

function reasonOf(error: unknown): string {
  if (error instanceof ItemSkipped || error instanceof RpcFailure) return error.message;
  if ((error as { code?: unknown }).code === "SQLITE_CONSTRAINT_UNIQUE")
    return `conflict: that would duplicate something that must be unique (${(error as Error).message})`;
  return `internal error: ${error instanceof Error ? error.message : String(error)}`;
}

/** The first failure of an item in the fast pass: the batch is run again, item by item. */
class FastPassFailed extends Error {}

type Checked =
  | { index: number; key: string; kind: string; item: ImportItemOut }
  | { index: number; key: string; kind: string; reason: string };

/** Validation that needs no store: the schema, then sizes and nesting. */
function check(raw: Record<string, unknown>, index: number): Checked {
  const key = typeof raw.key === "string" ? raw.key : `#${index}`;
  const kind = typeof raw.kind === "string" ? raw.kind : "";
  const parsed = ImportItem.safeParse(raw);
  if (!parsed.success)
    return { index, key, kind, reason: `invalid item: ${describeIssues(parsed.error.issues)}` };
  const refused = refusal(parsed.data);
  return refused ? { index, key, kind, reason: refused } : { index, key, kind, item: parsed.data };
}

/**
 * Every item is all or nothing. The fast pass applies the valid items straight in the batch's
 * transaction; should any of them fail partway (a name clash found after a project was made,
 * say), that transaction is rolled back and the batch runs again with a savepoint around each
 * item, so the failing one leaves nothing behind and the others land. Savepoints are not free —
 * SQLite copies every page an item touches into its sub-journal first, several times the cost
 * of the writes themselves — so they are paid only by a batch that needs them.
 */
export function applyImport(
  deps: { store: Store; today: () => LocalDate; now: () => string; logger?: Logger | undefined },
  params: { source: ImportSource; dry_run: boolean; items: Array<Record<string, unknown>> },
): { results: ImportResult[] } {
  const { store } = deps;
  const context: ApplyContext = {
    store,
    source: params.source,
    today: deps.today(),
    now: deps.now(),
  };
  const checked = params.items.map(check);
  const skipped = (c: Checked, reason: string, id: string | null = null): ImportResult => ({
    key: c.key,
    kind: c.kind,
    outcome: "skipped",
    id,
    reason,
    warnings: [],
  });
  const landed = (c: Checked, applied: Applied): ImportResult => ({
    key: c.key,
    kind: c.kind,
    outcome: applied.outcome,
    id: params.dry_run && applied.outcome === "created" ? null : applied.id,
    reason: null,
    warnings: applied.warnings,
  });
  const pass = (guarded: boolean): ImportResult[] =>
    checked.map((c) => {
      if ("reason" in c) return skipped(c, c.reason);
      if (!guarded) {
        try {
          return landed(c, applyOne(context, c.item));
        } catch (error) {
          throw new FastPassFailed(reasonOf(error));
        }
      }
      try {
        return landed(
          c,
          store.transaction(() => applyOne(context, c.item)),
        );
      } catch (error) {
        if (!(error instanceof ItemSkipped || error instanceof RpcFailure))
          deps.logger?.warn("import item failed", { key: c.key, error: reasonOf(error) });
        return skipped(
          c,
          reasonOf(error),
          store.imports.find(params.source, c.key)?.node_id ?? null,
        );
      }
    });
  const keys = checked.flatMap((c) => ("item" in c ? [c.item.key] : []));
  const attempt = (guarded: boolean): ImportResult[] | undefined => {
    let results: ImportResult[] | undefined;
    context.unseenKeys = store.imports.unrecorded(params.source, keys);
    context.projectIds = guarded ? undefined : new Map();
    // The fast pass fails whole or not at all, so it needs no savepoints inside.
    const transaction = guarded ? store.transaction : store.bulkTransaction;
    try {
      transaction(() => {
        results = store.imports.withDeferredSearchIndex(() => pass(guarded));
        if (params.dry_run) throw new DryRunRollback();
      });
    } catch (error) {
      if (error instanceof FastPassFailed) return undefined;
      if (!(error instanceof DryRunRollback)) throw error;
    }
    return results;
  };
  return { results: attempt(false) ?? (attempt(true) as ImportResult[]) };
}
