/**
 * What hub and spokes say to each other over HTTP: JSON bodies, each engine update as base64.
 * Both sides validate with these schemas.
 */
import { z } from "zod";

/** Bumped when the exchange below changes incompatibly; a mismatch is refused, never guessed at. */
export const SYNC_PROTOCOL = 1;

/** Entries per pull page, and the bytes of updates after which a page ends early. */
export const PULL_PAGE_ENTRIES = 2000;
export const PULL_PAGE_BYTES = 4 * 1024 * 1024;
/** Update bytes after which a push page ends (one entry at least; base64 adds a third). */
export const PUSH_PAGE_BYTES = 16 * 1024 * 1024;
/** The longest a pull waits for news before answering with nothing (seconds). */
export const MAX_PULL_WAIT_S = 30;

const Base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, { message: "must be base64" });

export const Hello = z.object({
  heph_version: z.string(),
  schema_version: z.number().int(),
  protocol: z.number().int(),
  hub_seq: z.number().int(),
  /** The hub store's own id: another id means another store, and the spoke starts over with it. */
  hub_id: z.string().min(1),
});
export type Hello = z.infer<typeof Hello>;

export const PushEntry = z.strictObject({
  node_id: z.string().min(1).max(64),
  update: Base64,
});

export const PushBody = z.strictObject({
  protocol: z.number().int(),
  schema_version: z.number().int(),
  /** The pushing replica's engine client id (its updates' origin). */
  origin: z.string().regex(/^\d{1,10}$/, { message: "must be the replica's client id (digits)" }),
  entries: z.array(PushEntry).max(PULL_PAGE_ENTRIES),
});
export type PushBody = z.infer<typeof PushBody>;

export const PushReply = z.object({
  accepted: z.number().int(),
  hub_seq: z.number().int(),
  hub_id: z.string().min(1),
});

export const PullQuery = z.object({
  after: z.coerce.number().int().nonnegative(),
  origin: z.string().regex(/^\d{1,10}$/, { message: "must be the replica's client id (digits)" }),
  protocol: z.coerce.number().int(),
  schema_version: z.coerce.number().int(),
  wait: z.coerce.number().int().min(0).max(MAX_PULL_WAIT_S).default(0),
});

export const PullReply = z.object({
  entries: z.array(
    z.object({ seq: z.number().int(), node_id: z.string(), update: Base64, origin: z.string() }),
  ),
  /** Pass as `after` next time: the last log entry this page went past. */
  last: z.number().int(),
  /** The end of the hub's log when it answered: more to pull while last < hub_seq. */
  hub_seq: z.number().int(),
  hub_id: z.string().min(1),
});
export type PullReply = z.infer<typeof PullReply>;

/** The error body of every refused sync request. */
export const SyncErrorBody = z.object({ error: z.string(), kind: z.string() });

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

export function fromBase64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, "base64"));
}

/** Whether hub and device speak the same sync protocol, and if not, which to upgrade. */
export function protocolMismatch(hub: number, device: number): string | null {
  if (hub === device) return null;
  return `The hub speaks sync protocol ${hub} and this device ${device}: upgrade heph on ${hub < device ? "the hub" : "this device"}. Nothing was exchanged.`;
}

/**
 * Whether two replicas of these schema versions may sync, and if not, which to upgrade. Every
 * version so far carries the same node state, but a newer one may carry fields an older one
 * would drop, so only equal versions sync.
 */
export function schemaMismatch(hub: number, spoke: number): string | null {
  if (hub === spoke) return null;
  return hub < spoke
    ? `The hub's store is at schema ${hub} and this device's at ${spoke}: upgrade heph on the hub, then sync again. Nothing was exchanged.`
    : `The hub's store is at schema ${hub} and this device's at ${spoke}: upgrade heph on this device, then sync again. Nothing was exchanged.`;
}
