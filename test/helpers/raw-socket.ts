import type { Socket } from "bun";

/** A reply as it came off the wire; each test checks the fields it cares about. */
// biome-ignore lint/suspicious/noExplicitAny: untyped JSON from the socket, asserted field by field
export type Reply = any;

/**
 * A bare connection to a unix socket for protocol tests: write any bytes, read whole reply
 * lines, notice when the peer closes. Waits on events, never on timers.
 */
export class RawConnection {
  private buffer: Buffer = Buffer.alloc(0);
  private lines: string[] = [];
  private waiters: Array<() => void> = [];
  private closedFlag = false;
  private constructor(private socket: Socket<undefined> | undefined) {}

  static async open(path: string): Promise<RawConnection> {
    const connection = new RawConnection(undefined);
    connection.socket = await Bun.connect({
      unix: path,
      socket: {
        data: (_socket, chunk) => connection.onData(chunk),
        drain: () => connection.wake(),
        close: () => connection.onClose(),
        error: () => connection.onClose(),
      },
    });
    return connection;
  }

  private onData(chunk: Uint8Array) {
    // Bytes, not text: a chunk may end inside a multi-byte character.
    this.buffer = Buffer.concat([this.buffer, chunk]);
    let newline = this.buffer.indexOf(0x0a);
    while (newline !== -1) {
      this.lines.push(this.buffer.subarray(0, newline).toString("utf8"));
      this.buffer = this.buffer.subarray(newline + 1);
      newline = this.buffer.indexOf(0x0a);
    }
    this.wake();
  }

  private onClose() {
    this.closedFlag = true;
    this.wake();
  }

  private wake() {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }

  private changed(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  get closed() {
    return this.closedFlag;
  }

  /** Writes all bytes, waiting for the socket to drain when the kernel takes only part. */
  async write(data: string | Uint8Array) {
    let bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    while (bytes.length > 0) {
      const socket = this.socket;
      if (!socket) throw new Error("not connected");
      const written = socket.write(bytes);
      if (written < 0) throw new Error("socket closed while writing");
      bytes = bytes.subarray(written);
      if (bytes.length > 0) await this.changed(); // the kernel buffer is full: wait for drain
    }
  }

  async send(message: unknown) {
    await this.write(`${JSON.stringify(message)}\n`);
  }

  /** The next reply line, parsed. Rejects if the peer closes first. */
  async next(): Promise<Reply> {
    for (;;) {
      const line = this.lines.shift();
      if (line !== undefined) return JSON.parse(line);
      if (this.closedFlag) throw new Error("connection closed before a reply arrived");
      await this.changed();
    }
  }

  /** Replies until `count` have arrived. */
  async take(count: number): Promise<Reply[]> {
    const replies = [];
    for (let i = 0; i < count; i++) replies.push(await this.next());
    return replies;
  }

  /** Sends one request and returns its reply (only for connections with nothing else in flight). */
  async call(method: string, params?: unknown, id: number | string = 1): Promise<Reply> {
    await this.send({ jsonrpc: "2.0", id, method, ...(params === undefined ? {} : { params }) });
    return this.next();
  }

  async waitClosed(): Promise<void> {
    while (!this.closedFlag) await this.changed();
  }

  /** Lines received but not yet taken. */
  get pendingLines(): number {
    return this.lines.length;
  }

  end() {
    this.socket?.end();
  }

  terminate() {
    this.socket?.terminate();
  }
}
