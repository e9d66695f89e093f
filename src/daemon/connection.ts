import type { Socket } from "bun";
import { ERROR_CODES, errorResponse, parseMessage } from "../protocol/envelope.ts";
import { decodeLine, encodeLine, LineSplitter } from "../protocol/framing.ts";
import type { Dispatcher } from "./dispatch.ts";
import type { Logger } from "./log.ts";
import type { Peer } from "./peer.ts";

/** Requests of one connection being worked on at once; more wait in its backlog. */
const MAX_IN_FLIGHT = 16;
/** Unserved lines one connection may have before the daemon stops reading from it. */
const MAX_BACKLOG_LINES = 4096;

export interface ConnectionLimits {
  maxLineBytes: number;
  /** Replies queued for a client that does not read; past this we stop reading its requests. */
  maxQueuedReplyBytes: number;
}

/**
 * One client. Requests are served as their lines complete, replies are written in the order
 * their work finishes (clients match them by id), and replies the kernel did not take yet wait
 * in a queue flushed on `drain`: `socket.write` may accept only part of the bytes.
 */
export class Connection implements Peer {
  private readonly splitter: LineSplitter;
  private readonly queue: Uint8Array[] = [];
  private pendingBytes = 0;
  private inFlight = 0;
  /** Replies queued past the limit: serve nothing more until the client reads. */
  private paused = false;
  /** A line went over the limit: no more input; the connection closes once it has answered. */
  private overflowed = false;
  /** The socket is not being read (replies unread, or too many lines waiting). */
  private readingPaused = false;
  /** Complete request lines not served yet. */
  private readonly backlog: Uint8Array[] = [];
  private closing = false;
  private closed = false;
  private idleWaiters: Array<() => void> = [];
  private drainWaiters: Array<() => void> = [];
  private closeListeners: Array<() => void> = [];

  constructor(
    private readonly socket: Socket<unknown>,
    private readonly dispatcher: Dispatcher,
    private readonly logger: Logger,
    private readonly limits: ConnectionLimits,
    readonly id: number,
  ) {
    this.splitter = new LineSplitter(limits.maxLineBytes);
  }

  onData(chunk: Uint8Array) {
    if (this.closing || this.overflowed) return;
    const { lines, overflow } = this.splitter.push(chunk);
    for (const line of lines) {
      if (line.length === 0) continue; // blank lines between messages are tolerated
      // Copied: the chunk's memory may be reused once this callback returns.
      this.backlog.push(line.slice());
    }
    if (overflow) {
      // Read nothing more; answer what came before the long line, then say why and close.
      this.overflowed = true;
      this.socket.pause();
      this.logger.warn("line too long; closing connection", {
        connection: this.id,
        limit: this.limits.maxLineBytes,
      });
    }
    this.pump();
    this.finishOverflow();
  }

  private finishOverflow() {
    if (!this.overflowed || this.closing || this.inFlight > 0 || this.backlog.length > 0) return;
    this.send(
      errorResponse(null, {
        code: ERROR_CODES.invalidRequest,
        message: `Invalid request: a line may be at most ${this.limits.maxLineBytes} bytes; this connection is closed.`,
        data: { kind: "line_too_long", limit: this.limits.maxLineBytes },
      }),
    );
    this.closeAfterFlush();
  }

  /**
   * Serves backlogged lines while the client keeps up: at most MAX_IN_FLIGHT at once, and none
   * while its replies are piling up unread. A client that sends a flood and never reads thus
   * holds about maxQueuedReplyBytes of replies, not one reply per request it ever sent.
   */
  private pump() {
    while (
      !this.paused &&
      !this.closing &&
      this.inFlight < MAX_IN_FLIGHT &&
      this.backlog.length > 0
    ) {
      this.serveLine(this.backlog.shift() as Uint8Array);
    }
    // Too much unserved input: stop reading until it is worked off.
    if (this.backlog.length > MAX_BACKLOG_LINES && !this.readingPaused) {
      this.readingPaused = true;
      this.socket.pause();
    } else if (
      this.backlog.length <= MAX_BACKLOG_LINES &&
      this.readingPaused &&
      !this.paused &&
      !this.overflowed
    ) {
      this.readingPaused = false;
      this.socket.resume();
    }
  }

  private serveLine(line: Uint8Array) {
    const message = parseMessage(decodeLine(line));
    this.inFlight++;
    this.dispatcher
      .handle(message, this)
      .then((reply) => {
        if (reply !== undefined) this.send(reply);
      })
      .catch((error) => {
        this.logger.error("dispatch failed", { connection: this.id, error: String(error) });
      })
      .finally(() => {
        this.inFlight--;
        this.pump();
        this.finishOverflow();
        if (this.idle) this.notifyIdle();
      });
  }

  send(message: unknown) {
    this.push(encodeLine(message));
  }

  push(bytes: Uint8Array) {
    if (this.closed) return;
    if (this.queue.length > 0) {
      this.enqueue(bytes);
      return;
    }
    const written = this.socket.write(bytes);
    if (written < 0) return; // the client is gone; nothing to deliver to
    if (written < bytes.length) this.enqueue(bytes.subarray(written));
  }

  private enqueue(bytes: Uint8Array) {
    this.queue.push(bytes);
    this.pendingBytes += bytes.length;
    if (!this.paused && this.pendingBytes > this.limits.maxQueuedReplyBytes) {
      // Backpressure: a client that does not read its replies stops being served and read from.
      this.paused = true;
      this.readingPaused = true;
      this.socket.pause();
      this.logger.debug("client not reading; pausing", {
        connection: this.id,
        queued: this.pendingBytes,
      });
    }
  }

  onDrain() {
    while (this.queue.length > 0) {
      const head = this.queue[0] as Uint8Array;
      const written = this.socket.write(head);
      if (written < 0) {
        this.queue.length = 0;
        this.pendingBytes = 0;
        break;
      }
      this.pendingBytes -= written;
      if (written < head.length) {
        this.queue[0] = head.subarray(written);
        return;
      }
      this.queue.shift();
    }
    if (this.paused && !this.closing) {
      this.paused = false;
      this.pump();
      if (!this.paused && !this.overflowed && this.backlog.length <= MAX_BACKLOG_LINES) {
        this.readingPaused = false;
        this.socket.resume();
      }
    }
    if (this.closing) this.socket.end();
    this.notifyIdle();
    if (this.queue.length === 0) {
      const waiters = this.drainWaiters;
      this.drainWaiters = [];
      for (const waiter of waiters) waiter();
    }
  }

  get queuedBytes(): number {
    return this.pendingBytes;
  }

  onceDrained(listener: () => void) {
    if (this.closed) return;
    if (this.queue.length === 0) listener();
    else this.drainWaiters.push(listener);
  }

  whenClosed(listener: () => void) {
    if (this.closed) listener();
    else this.closeListeners.push(listener);
  }

  /** True when nothing is being served and every reply has been handed to the kernel. */
  get idle(): boolean {
    return this.inFlight === 0 && this.queue.length === 0 && this.backlog.length === 0;
  }

  /** Resolves once in-flight requests are answered and their replies written. */
  whenIdle(): Promise<void> {
    if (this.idle) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private notifyIdle() {
    if (!this.idle) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Stops reading, lets queued replies go out, then closes. */
  closeAfterFlush() {
    this.closing = true;
    if (this.queue.length === 0) this.socket.end();
  }

  onClose() {
    this.closing = true;
    this.closed = true;
    this.backlog.length = 0;
    this.queue.length = 0;
    this.pendingBytes = 0;
    this.drainWaiters = [];
    this.notifyIdle();
    const listeners = this.closeListeners;
    this.closeListeners = [];
    for (const listener of listeners) listener();
  }
}
