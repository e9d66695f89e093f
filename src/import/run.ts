/**
 * The shared part of every import, whatever the source: an importer turns its input into
 * ImportItems plus per-record problems and notes (ImporterOutput); this module orders the items
 * (projects, then notes, then tasks with parents before sub-tasks), cuts them into batches under
 * the daemon's limits, sends them, and adds up what happened. The CLI only draws it.
 */
import {
  type ImportItem,
  type ImportResult,
  MAX_IMPORT_BATCH,
  MAX_IMPORT_BODY_BYTES,
} from "../protocol/import-schemas.ts";

/** A record that could not become an item: where it is in the input, and why. */
export interface RecordProblem {
  where: string;
  reason: string;
}

/** Something an item could not carry (a recurrence heph cannot express): the item still lands. */
export interface RecordNote {
  key: string;
  where: string;
  message: string;
}

/** What an importer returns: all it could map, and what it could not. */
export interface ImporterOutput {
  items: ImportItem[];
  problems: RecordProblem[];
  notes: RecordNote[];
  /** Where each item came from, by key, for messages ("tasks.json line 12"). */
  where?: Map<string, string>;
  /** What a source adds to the summary (an Obsidian vault's attachments): lines, and JSON. */
  summary?: { lines: string[]; json: Record<string, unknown> };
  /**
   * Work left once every item has landed (not on a dry run): a heph export's typed links, which
   * join nodes of any kind and so wait until all of them exist. Returns what it could not do.
   */
  afterImport?: (done: {
    results: readonly ImportResult[];
    addLink: (src: string, type: string, dst: string) => Promise<void>;
  }) => Promise<RecordNote[]>;
}

/** A batch line must stay well under the daemon's 16 MiB line limit (JSON escapes can double text). */
export const MAX_BATCH_BYTES = 6 * 1024 * 1024;

const KIND_ORDER: Record<string, number> = { project: 0, doc: 1, tag: 1, journal: 2, task: 3 };

/**
 * Projects first (shorter paths first), then docs and journals (a task's from_line needs its
 * note), then tasks, each parent before its sub-tasks; otherwise in input order.
 */
export function orderItems(items: readonly ImportItem[]): ImportItem[] {
  const rank = (item: ImportItem) =>
    (KIND_ORDER[item.kind] ?? 9) * 100 +
    (item.kind === "project" ? Math.min(item.path.length, 99) : 0);
  const sorted = items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => rank(a.item) - rank(b.item) || a.index - b.index)
    .map(({ item }) => item);
  const tasks = new Map<string, ImportItem>();
  for (const item of sorted) if (item.kind === "task") tasks.set(item.key, item);
  const placed = new Set<string>();
  const out: ImportItem[] = [];
  const place = (item: ImportItem) => {
    // Iterative: walk up to the first ancestor not placed yet (a cycle stops at a seen key).
    const chain: ImportItem[] = [];
    const seen = new Set<string>();
    let current: ImportItem | undefined = item;
    while (current && !placed.has(current.key) && !seen.has(current.key)) {
      seen.add(current.key);
      chain.push(current);
      const parent: string | null | undefined = current.kind === "task" ? current.parent_key : null;
      current = parent ? tasks.get(parent) : undefined;
    }
    for (const link of chain.reverse()) {
      placed.add(link.key);
      out.push(link);
    }
  };
  for (const item of sorted) {
    if (item.kind !== "task") out.push(item);
    else place(item);
  }
  return out;
}

/** Items the daemon would refuse for size, reported here so the batch is not wasted on them. */
export function oversized(item: ImportItem, bytes: number): string | null {
  const body = Buffer.byteLength(item.body ?? "");
  if (body > MAX_IMPORT_BODY_BYTES)
    return `the body is ${body} bytes; heph imports bodies of at most ${MAX_IMPORT_BODY_BYTES} bytes (8 MiB)`;
  if (bytes > MAX_BATCH_BYTES)
    return `the record is ${bytes} bytes as JSON; at most ${MAX_BATCH_BYTES}`;
  return null;
}

/** Cuts items into batches of at most MAX_IMPORT_BATCH items and MAX_BATCH_BYTES of JSON. */
export function batchItems(items: readonly ImportItem[]): {
  batches: ImportItem[][];
  refused: Array<{ item: ImportItem; reason: string }>;
} {
  const batches: ImportItem[][] = [];
  const refused: Array<{ item: ImportItem; reason: string }> = [];
  let current: ImportItem[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = Buffer.byteLength(JSON.stringify(item));
    const reason = oversized(item, size);
    if (reason) {
      refused.push({ item, reason });
      continue;
    }
    if (current.length >= MAX_IMPORT_BATCH || bytes + size > MAX_BATCH_BYTES) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return { batches, refused };
}

export interface ImportReport {
  dry_run: boolean;
  counts: {
    created: number;
    updated: number;
    unchanged: number;
    skipped: number;
    unreadable: number;
  };
  results: ImportResult[];
  problems: RecordProblem[];
  notes: RecordNote[];
}

/**
 * Sends every batch through `send` (one import.apply each), two in flight so that encoding the
 * next overlaps the daemon's work on this one, and reports progress after each.
 */
export async function runImport(
  output: ImporterOutput,
  options: {
    dryRun: boolean;
    send: (items: ImportItem[]) => Promise<ImportResult[]>;
    progress?: (done: number, total: number) => void;
  },
): Promise<ImportReport> {
  const { batches, refused } = batchItems(orderItems(output.items));
  const total = output.items.length;
  const results: ImportResult[] = refused.map(({ item, reason }) => ({
    key: item.key,
    kind: item.kind,
    outcome: "skipped",
    id: null,
    reason,
    warnings: [],
  }));
  let done = refused.length;
  options.progress?.(done, total);
  const inFlight: Array<Promise<ImportResult[]>> = [];
  const settle = async () => {
    const answered = await (inFlight.shift() as Promise<ImportResult[]>);
    results.push(...answered);
    done += answered.length;
    options.progress?.(done, total);
  };
  for (const batch of batches) {
    const answer = options.send(batch);
    // A failure surfaces when its turn is awaited; until then it must not count as unhandled.
    answer.catch(() => {});
    inFlight.push(answer);
    if (inFlight.length >= 2) await settle();
  }
  while (inFlight.length > 0) await settle();
  const count = (outcome: ImportResult["outcome"]) =>
    results.filter((r) => r.outcome === outcome).length;
  return {
    dry_run: options.dryRun,
    counts: {
      created: count("created"),
      updated: count("updated"),
      unchanged: count("unchanged"),
      skipped: count("skipped"),
      unreadable: output.problems.length,
    },
    results,
    problems: output.problems,
    notes: output.notes,
  };
}

/** Reasons (or messages) with the keys they apply to, most frequent first. */
export function groupBy<T>(
  entries: readonly T[],
  reason: (entry: T) => string,
  label: (entry: T) => string,
) {
  const groups = new Map<string, string[]>();
  for (const entry of entries) {
    const key = reason(entry);
    const list = groups.get(key);
    if (list) list.push(label(entry));
    else groups.set(key, [label(entry)]);
  }
  return [...groups]
    .map(([text, labels]) => ({ text, labels }))
    .sort((a, b) => b.labels.length - a.labels.length);
}
