import { monotonicFactory, ulid } from "ulid";

/** Makes ULIDs from a given time; monotonic within one millisecond, so creation order sorts. */
export type IdFactory = (nowMs: number) => string;

export function createIdFactory(): IdFactory {
  const next = monotonicFactory();
  return (nowMs) => next(nowMs);
}

/**
 * A ULID for a node made at `ms` in the past (an imported record's creation time), so ids keep
 * sorting by creation time. Not monotonic: a past time never follows the factory's last one.
 */
export function idAt(ms: number): string {
  return ulid(Math.min(Math.max(0, Math.trunc(ms)), 2 ** 48 - 1));
}

/** Normalises a ULID for lookups: ULIDs are case-insensitive and stored upper-case. */
export function normaliseId(id: string): string {
  return id.toUpperCase();
}
