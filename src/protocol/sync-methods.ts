/** Sync, conflicts and hub tokens (issue 13), in the shared method table. */
import { z } from "zod";
import { spec } from "./method-spec.ts";
import { Timestamp } from "./schemas.ts";

export const SyncRole = z.enum(["off", "hub", "spoke"]);

export const SyncStatus = z.object({
  /** off: this daemon has no hub and is not one; hub: --mode server; spoke: --hub-url. */
  role: SyncRole,
  hub_url: z.string().nullable(),
  /** This replica's engine client id, the name its own updates carry. */
  device: z.string().nullable(),
  /** Whether the last exchange with the hub worked (spoke). */
  online: z.boolean(),
  last_success_at: Timestamp.nullable(),
  last_error: z.object({ at: Timestamp, message: z.string() }).nullable(),
  /** This device's changes the hub has not acknowledged yet. */
  pending: z.number().int(),
  /** How far into the hub's log this spoke has merged (spoke), or the log's end (hub). */
  hub_seq: z.number().int(),
  /** Open conflicts (`heph conflicts`). */
  conflicts: z.number().int(),
  /** Requests the hub refused for their token since this daemon started. */
  auth_failures: z.number().int(),
  /** Devices with a live token (hub). */
  devices: z.number().int().nullable(),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

export const ConflictView = z.object({
  id: z.number().int(),
  node_id: z.string(),
  /** The node's title now (null when it is gone). */
  title: z.string().nullable(),
  field: z.string(),
  kept: z.unknown(),
  lost: z.unknown(),
  detected_at: Timestamp,
  resolved_at: Timestamp.nullable(),
  /** kept, lost, or superseded (the field was written again since, on some device). */
  resolution: z.string().nullable(),
});
export type ConflictView = z.infer<typeof ConflictView>;

export const HubToken = z.object({
  id: z.string(),
  name: z.string(),
  created_at: Timestamp,
  last_used_at: Timestamp.nullable(),
  revoked_at: Timestamp.nullable(),
});
export type HubToken = z.infer<typeof HubToken>;

const TokenName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, {
  message: "must be 1–64 letters, digits, dots, dashes or underscores (a device name, e.g. laptop)",
});

export const UndoResult = z.object({
  /** False when there was nothing to undo (or redo). */
  done: z.boolean(),
  /** The nodes the step changed, with their titles now. */
  nodes: z.array(z.object({ id: z.string(), title: z.string(), deleted: z.boolean() })),
  /** Steps left to undo (or redo). */
  remaining: z.number().int(),
});
export type UndoResult = z.infer<typeof UndoResult>;

export const syncMethods = {
  undo: spec(
    "Undoes this device's last change (one write: a command or a method call) with the sync engine's undo; the undo syncs like any change. A later change by another device is left alone.",
    z.strictObject({}),
    UndoResult,
    true,
  ),
  redo: spec(
    "Redoes the change the last undo undid (until a new change is made).",
    z.strictObject({}),
    UndoResult,
    true,
  ),
  "sync.status": spec(
    "Where sync stands: role, hub, last success and error, pending changes, open conflicts, auth failures.",
    z.strictObject({}),
    SyncStatus,
    false,
  ),
  "sync.now": spec(
    "Pushes this device's changes to the hub and pulls the others' now, then answers with sync.status. Only on a spoke.",
    z.strictObject({}),
    SyncStatus,
    true,
  ),
  "conflicts.list": spec(
    "Scalar changes made concurrently on two devices: the value every replica kept and the one it did not. Open ones unless all.",
    z.strictObject({ all: z.boolean().default(false), node: z.string().min(1).optional() }),
    z.object({ conflicts: z.array(ConflictView) }),
    false,
  ),
  "conflicts.resolve": spec(
    "Settles a conflict: keep the value every replica kept, or write back the lost one (which then syncs like any change).",
    z.strictObject({ id: z.number().int().positive(), keep: z.enum(["kept", "lost"]) }),
    z.object({ conflict: ConflictView }),
    true,
  ),
  "hub.token.create": spec(
    "Issues a bearer token for a device (hub only). The token is in this reply only; the hub keeps a SHA-256 of it.",
    z.strictObject({ name: TokenName }),
    HubToken.extend({ token: z.string() }),
    true,
  ),
  "hub.token.list": spec(
    "The hub's device tokens, live and revoked, without their secrets.",
    z.strictObject({}),
    z.object({ tokens: z.array(HubToken) }),
    false,
  ),
  "hub.token.revoke": spec(
    "Revokes a device token by name or id; the next request carrying it is refused.",
    z.strictObject({ token: z.string().min(1) }),
    z.object({ token: HubToken }),
    true,
  ),
  "hub.subject.revoke": spec(
    "Refuses every OIDC access token of a subject (sub) from now on, whenever issued: replayed, refreshed or new (hub with --oidc-issuer only), until hub.subject.allow.",
    z.strictObject({ subject: z.string().min(1).max(1000) }),
    z.object({ subject: z.string(), revoked_at: Timestamp }),
    true,
  ),
  "hub.subject.allow": spec(
    "Lets a revoked OIDC subject in again (hub with --oidc-issuer only).",
    z.strictObject({ subject: z.string().min(1).max(1000) }),
    z.object({ subject: z.string(), allowed: z.boolean() }),
    true,
  ),
};
