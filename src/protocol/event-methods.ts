/**
 * Live events: a connection that calls events.subscribe is sent a JSON-RPC notification for
 * every node a committed write touched. The notifications are described here too, so the
 * schemas that build them are the ones rpc.discover shows (`x-notifications`).
 */
import { z } from "zod";
import { spec } from "./method-spec.ts";
import { LocalDateText, NodeKind, Timestamp, Ulid } from "./schemas.ts";
import { Attention, TaskState } from "./task-schemas.ts";

export const EVENT_NAMES = ["node.changed", "task.changed", "events.overflow"] as const;

const Subscription = z.object({
  subscribed: z.boolean(),
  /** The notifications this connection is sent while subscribed. */
  events: z.array(z.enum(EVENT_NAMES)),
});

export const eventMethods = {
  "events.subscribe": spec(
    "Subscribes this connection to live events: after every committed write, node.changed for each node it touched and task.changed for each task. Idempotent.",
    z.strictObject({}),
    Subscription,
    false,
  ),
  "events.unsubscribe": spec(
    "Stops the events of events.subscribe on this connection. Fine when not subscribed.",
    z.strictObject({}),
    Subscription,
    false,
  ),
};

/** A node was created, changed or deleted by a committed write. */
export const NodeChanged = z.object({
  id: Ulid,
  kind: NodeKind,
  title: z.string(),
  updated_at: Timestamp,
  /** Present, and true, when the node is deleted (tombstoned). */
  deleted: z.literal(true).optional(),
});

/** A task's node changed: its state fields after the write. Follows its node.changed. */
export const TaskChanged = z.object({
  id: Ulid,
  title: z.string(),
  state: TaskState,
  attention: Attention,
  do_date: LocalDateText.nullable(),
  late_on: LocalDateText.nullable(),
  project: z.string().nullable(),
  context_id: Ulid.nullable(),
  updated_at: Timestamp,
  deleted: z.literal(true).optional(),
});

/** Notifications were dropped because the client did not read them: reload what you show. */
export const EventsOverflow = z.object({ dropped: z.number().int().positive() });

export const notifications = {
  "node.changed": {
    summary: "A committed write created, changed or deleted this node.",
    params: NodeChanged,
  },
  "task.changed": {
    summary: "A committed write changed this task (sent after its node.changed).",
    params: TaskChanged,
  },
  "events.overflow": {
    summary:
      "The client fell behind and this many notifications were dropped; reload everything it shows.",
    params: EventsOverflow,
  },
} satisfies Record<(typeof EVENT_NAMES)[number], { summary: string; params: z.ZodType }>;
