/**
 * Live events (events.subscribe): after every committed write, each subscribed connection is
 * sent `node.changed` for every node the write touched and `task.changed` for every task
 * among them. The store's ChangeTracker says which nodes a transaction wrote, only once it has
 * committed, so a refused or rolled-back write announces nothing.
 *
 * A subscriber that does not read must not hold up the daemon or anyone else: notifications
 * join the connection's ordinary reply queue (src/daemon/connection.ts), but only while fewer
 * than MAX_QUEUED_EVENT_BYTES wait there unread. Past that they are dropped and counted, and
 * once the client has read its whole queue it gets one `events.overflow {dropped}`: its view
 * is stale, so it reloads what it shows. The bound sits far below the reply queue's own 8 MiB,
 * so notifications alone never pause the reading of that client's requests.
 */
import type { EVENT_NAMES, eventMethods } from "../protocol/event-methods.ts";
import { encodeLine } from "../protocol/framing.ts";
import type { Store } from "../store/store.ts";
import type { Handlers } from "./dispatch.ts";
import type { Logger } from "./log.ts";
import type { Peer } from "./peer.ts";

/** Notification bytes one subscriber may have waiting unread before further ones are dropped. */
export const MAX_QUEUED_EVENT_BYTES = 1024 * 1024;

const SUBSCRIBED_TO: Array<(typeof EVENT_NAMES)[number]> = [
  "node.changed",
  "task.changed",
  "events.overflow",
];

interface Subscriber {
  peer: Peer;
  /** Notifications dropped since the client last kept up. */
  dropped: number;
}

export class EventHub {
  private readonly subscribers = new Map<Peer, Subscriber>();

  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
    private readonly maxQueuedBytes = MAX_QUEUED_EVENT_BYTES,
  ) {
    store.changes.onCommit((ids) => this.publish(ids));
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  subscribe(peer: Peer) {
    if (!this.subscribers.has(peer)) {
      this.subscribers.set(peer, { peer, dropped: 0 });
      peer.whenClosed(() => this.subscribers.delete(peer));
    }
    return { subscribed: true, events: SUBSCRIBED_TO };
  }

  unsubscribe(peer: Peer) {
    this.subscribers.delete(peer);
    return { subscribed: false, events: [] };
  }

  /** Runs right after a COMMIT, inside the request that wrote; it must never throw. */
  private publish(ids: readonly string[]) {
    if (this.subscribers.size === 0) return; // nobody listens: not even a read
    let lines: Uint8Array[];
    try {
      lines = this.describe(ids);
    } catch (error) {
      this.logger.error("cannot describe a change for subscribers", {
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
      return;
    }
    for (const subscriber of this.subscribers.values()) {
      for (const line of lines) this.deliver(subscriber, line);
    }
  }

  /** The notification lines for a commit, encoded once for every subscriber. */
  private describe(ids: readonly string[]): Uint8Array[] {
    const lines: Uint8Array[] = [];
    for (const id of ids) {
      const node = this.store.nodes.get(id, { includeDeleted: true });
      if (!node) continue;
      const deleted = node.deleted_at !== null ? { deleted: true as const } : {};
      lines.push(
        notification("node.changed", {
          id: node.id,
          kind: node.kind,
          title: node.title,
          updated_at: node.updated_at,
          ...deleted,
        }),
      );
      const task = node.kind === "task" ? this.store.tasks.get(node.id) : undefined;
      if (!task) continue;
      lines.push(
        notification("task.changed", {
          id: task.id,
          title: task.title,
          state: task.state,
          attention: task.attention,
          do_date: task.do_date,
          late_on: task.late_on,
          project: task.project,
          context_id: task.context_id,
          updated_at: task.updated_at,
          ...deleted,
        }),
      );
    }
    return lines;
  }

  private deliver(subscriber: Subscriber, line: Uint8Array) {
    const { peer } = subscriber;
    if (subscriber.dropped === 0 && peer.queuedBytes + line.length <= this.maxQueuedBytes) {
      peer.push(line);
      return;
    }
    subscriber.dropped++;
    if (subscriber.dropped === 1) peer.onceDrained(() => this.recover(subscriber));
  }

  /** The client has read everything: tell it how much it missed, then carry on as before. */
  private recover(subscriber: Subscriber) {
    if (this.subscribers.get(subscriber.peer) !== subscriber || subscriber.dropped === 0) return;
    const dropped = subscriber.dropped;
    subscriber.dropped = 0;
    this.logger.warn("a subscriber fell behind; notifications were dropped", {
      connection: subscriber.peer.id,
      dropped,
    });
    subscriber.peer.push(notification("events.overflow", { dropped }));
  }
}

function notification(method: (typeof EVENT_NAMES)[number], params: object): Uint8Array {
  return encodeLine({ jsonrpc: "2.0", method, params });
}

/** events.subscribe and events.unsubscribe act on the connection that calls them. */
export function createEventHandlers(hub: EventHub): Pick<Handlers, keyof typeof eventMethods> {
  return {
    "events.subscribe": (_params, peer) => hub.subscribe(peer),
    "events.unsubscribe": (_params, peer) => hub.unsubscribe(peer),
  };
}
