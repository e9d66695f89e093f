/**
 * What a method may know of the connection that called it: enough to push notifications to it
 * later (events.subscribe), nothing of its socket or its queue's internals.
 */
export interface Peer {
  /** The connection's number, as the daemon's log names it. */
  readonly id: number;
  /** Bytes written to the connection that the client has not read yet. */
  readonly queuedBytes: number;
  /** Writes one encoded line (a notification); it queues behind replies the client has not read. */
  push(line: Uint8Array): void;
  /** Calls `listener` once, the next time the client has read everything queued for it. */
  onceDrained(listener: () => void): void;
  /** Calls `listener` once when the connection closes. */
  whenClosed(listener: () => void): void;
}
