import { monotonicFactory } from "ulid";

/** Makes ULIDs from a given time; monotonic within one millisecond, so creation order sorts. */
export type IdFactory = (nowMs: number) => string;

export function createIdFactory(): IdFactory {
  const next = monotonicFactory();
  return (nowMs) => next(nowMs);
}

/** Normalises a ULID for lookups: ULIDs are case-insensitive and stored upper-case. */
export function normaliseId(id: string): string {
  return id.toUpperCase();
}
