/**
 * A pipelining JSON-RPC client for the robustness suites: many requests in flight on one
 * connection, replies matched by id, and a switch to stop reading (a client that never reads:
 * the kernel buffers fill and the daemon sees backpressure, not a client that buffers for it).
 */
import type { Socket } from "bun";
import type { Reply } from "../helpers/raw-socket.ts";

interface Waiter {
  resolve(reply: Reply): void;
  reject(error: Error): void;
}

export class MuxClient {
  private socket: Socket<undefined> | undefined;
  private buffer: Buffer = Buffer.alloc(0);
  private readonly waiting = new Map<string, Waiter>();
  private drainWaiters: Array<() => void> = [];
  private closeWaiters: Array<() => void> = [];
  private nextId = 1;
  private closedFlag = false;
  /** Replies nobody waited for (ids this client did not send): kept for inspection. */
  readonly stray: Reply[] = [];
  bytesReceived = 0;

  private constructor() {}

  static async open(path: string, options: { paused?: boolean } = {}): Promise<MuxClient> {
    const client = new MuxClient();
    client.socket = await Bun.connect({
      unix: path,
      socket: {
        data: (_socket, chunk) => client.onData(chunk),
        drain: () => client.wakeDrain(),
        close: () => client.onClose(),
        error: () => client.onClose(),
      },
    });
    if (options.paused) client.socket.pause();
    return client;
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  get inFlight(): number {
    return this.waiting.size;
  }

  private onData(chunk: Uint8Array) {
    this.bytesReceived += chunk.length;
    this.buffer = Buffer.concat([this.buffer, chunk]);
    let newline = this.buffer.indexOf(0x0a);
    while (newline !== -1) {
      const reply: Reply = JSON.parse(this.buffer.subarray(0, newline).toString("utf8"));
      this.buffer = this.buffer.subarray(newline + 1);
      const waiter =
        reply !== null && typeof reply === "object"
          ? this.waiting.get(String(reply.id))
          : undefined;
      if (waiter) {
        this.waiting.delete(String(reply.id));
        waiter.resolve(reply);
      } else this.stray.push(reply);
      newline = this.buffer.indexOf(0x0a);
    }
  }

  private onClose() {
    if (this.closedFlag) return;
    this.closedFlag = true;
    this.rejectAll(new Error("connection closed before the reply"));
    this.wakeDrain();
    for (const resolve of this.closeWaiters.splice(0)) resolve();
  }

  private wakeDrain() {
    for (const resolve of this.drainWaiters.splice(0)) resolve();
  }

  /** Writes every byte, waiting for drain when the kernel takes only part. */
  async write(data: string | Uint8Array): Promise<void> {
    let bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    while (bytes.length > 0) {
      if (this.closedFlag || !this.socket) throw new Error("socket closed while writing");
      const written = this.socket.write(bytes);
      if (written < 0) {
        // The peer is gone, though the close callback may not have run yet: the connection is
        // closed now, for every request waiting on it (a daemon killed mid-write is not a bug).
        this.onClose();
        throw new Error("socket closed while writing");
      }
      bytes = bytes.subarray(written);
      if (bytes.length > 0) await new Promise<void>((resolve) => this.drainWaiters.push(resolve));
    }
  }

  /** Sends one request; resolves with its reply, rejects if the connection closes first. */
  request(method: string, params?: unknown): Promise<Reply> {
    const id = this.nextId++;
    const line = `${JSON.stringify({ jsonrpc: "2.0", id, method, ...(params === undefined ? {} : { params }) })}\n`;
    const reply = new Promise<Reply>((resolve, reject) => {
      this.waiting.set(String(id), { resolve, reject });
    });
    this.write(line).catch((error: Error) => {
      const waiter = this.waiting.get(String(id));
      this.waiting.delete(String(id));
      waiter?.reject(error);
    });
    return reply;
  }

  /** Sends many requests in one write (as a client flushing a buffer would); one reply each. */
  requestMany(calls: ReadonlyArray<{ method: string; params?: unknown }>): Promise<Reply>[] {
    let text = "";
    const replies = calls.map(({ method, params }) => {
      const id = this.nextId++;
      text += `${JSON.stringify({ jsonrpc: "2.0", id, method, ...(params === undefined ? {} : { params }) })}\n`;
      return new Promise<Reply>((resolve, reject) => {
        this.waiting.set(String(id), { resolve, reject });
      });
    });
    this.write(text).catch((error: Error) => this.rejectAll(error));
    return replies;
  }

  private rejectAll(error: Error) {
    const waiting = [...this.waiting.values()];
    this.waiting.clear();
    for (const waiter of waiting) waiter.reject(error);
  }

  pause() {
    this.socket?.pause();
  }

  resume() {
    this.socket?.resume();
  }

  waitClosed(): Promise<void> {
    if (this.closedFlag) return Promise.resolve();
    return new Promise((resolve) => this.closeWaiters.push(resolve));
  }

  end() {
    this.socket?.end();
  }

  terminate() {
    this.socket?.terminate();
  }
}
