/**
 * The hash an importer sends with an item: of the item itself as mapped (its `hash` aside), so
 * anything that would change the node changes the hash, and nothing else does — Taskwarrior's
 * `urgency` and `id`, which move every day, are not mapped and so do not count.
 */
import type { ImportItem } from "../protocol/import-schemas.ts";

/** Bump when a mapping changes what it makes of the same record: every item then updates once. */
export const MAPPING_VERSION = 1;

/** JSON with object keys sorted at every level, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/**
 * The item with its hash filled in (sha256, hex, of its JSON). Plain JSON.stringify, not
 * canonicalJson: a mapper builds items with a fixed key order and sources keep theirs, and
 * sorting every key of 100,000 items cost an import half its mapping time. A source that
 * reorders keys between exports only costs one needless update.
 */
export function withHash<T extends Omit<ImportItem, "hash">>(item: T): T & { hash: string } {
  const hasher = new Bun.CryptoHasher("sha256");
  hasher.update(`heph-import ${MAPPING_VERSION}\n`);
  hasher.update(JSON.stringify(item));
  return { ...item, hash: hasher.digest("hex") };
}
