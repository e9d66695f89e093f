import type { Socket } from "bun";
import { ERROR_CODES, errorResponse, parseMessage } from "../protocol/envelope.ts";
import { decodeLine, encodeLine, LineSplitter } from "../protocol/framing.ts";
import type { Dispatcher } from "./dispatch.ts";
import type { Logger } from "./log.ts";

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
export class Connection {
  private readonly splitter: LineSplitter;
  private readonly queue: Uint8Array[] = [];
  private queuedBytes = 0;
  private inFlight = 0;
  private paused = false;
  private closing = false;
  private closed = false;
  private idleWaiters: Array<() => void> = [];

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
    if (this.closing) return;
    const { lines, overflow } = this.splitter.push(chunk);
    for (const line of lines) this.serveLine(line);
    if (overflow) {
      this.logger.warn("line too long; closing connection", {
        connection: this.id,
        limit: this.limits.maxLineBytes,
      });
      this.send(
        errorResponse(null, {
          code: ERROR_CODES.invalidRequest,
          message: `Invalid request: a line may be at most ${this.limits.maxLineBytes} bytes; this connection is closed.`,
          data: { kind: "line_too_long", limit: this.limits.maxLineBytes },
        }),
      );
      this.closeAfterFlush();
    }
  }

  private serveLine(line: Uint8Array) {
    if (line.length === 0) return; // blank lines between messages are tolerated
    const message = parseMessage(decodeLine(line));
    this.inFlight++;
    this.dispatcher
      .handle(message)
      .then((reply) => {
        if (reply !== undefined) this.send(reply);
      })
      .catch((error) => {
        this.logger.error("dispatch failed", { connection: this.id, error: String(error) });
      })
      .finally(() => {
        this.inFlight--;
        if (this.inFlight === 0) this.notifyIdle();
      });
  }

  send(message: unknown) {
    if (this.closed) return;
    const bytes = encodeLine(message);
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
    this.queuedBytes += bytes.length;
    if (!this.paused && this.queuedBytes > this.limits.maxQueuedReplyBytes) {
      // Backpressure: a client that does not read its replies stops being read from.
      this.paused = true;
      this.socket.pause();
      this.logger.debug("client not reading; pausing", {
        connection: this.id,
        queued: this.queuedBytes,
      });
    }
  }

  onDrain() {
    while (this.queue.length > 0) {
      const head = this.queue[0] as Uint8Array;
      const written = this.socket.write(head);
      if (written < 0) {
        this.queue.length = 0;
        this.queuedBytes = 0;
        break;
      }
      this.queuedBytes -= written;
      if (written < head.length) {
        this.queue[0] = head.subarray(written);
        return;
      }
      this.queue.shift();
    }
    if (this.paused && !this.closing) {
      this.paused = false;
      this.socket.resume();
    }
    if (this.closing) this.socket.end();
    this.notifyIdle();
  }

  /** True when nothing is being served and every reply has been handed to the kernel. */
  get idle(): boolean {
    return this.inFlight === 0 && this.queue.length === 0;
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
    this.queue.length = 0;
    this.queuedBytes = 0;
    this.notifyIdle();
  }
}
