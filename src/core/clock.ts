/** The time source. Pure logic takes `now` as an argument; the daemon owns one Clock. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/** ISO 8601 UTC with milliseconds: the timestamp format on the wire and in the store. */
export function toTimestamp(date: Date): string {
  return date.toISOString();
}

/**
 * A timestamp strictly after `previous` (when given) and not before `now`: two writes in the
 * same millisecond still get different `updated_at`, which optimistic concurrency relies on.
 */
export function nextTimestamp(now: Date, previous?: string): string {
  const floor = previous === undefined ? Number.NEGATIVE_INFINITY : Date.parse(previous) + 1;
  return new Date(Math.max(now.getTime(), floor)).toISOString();
}
