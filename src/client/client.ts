import type { Socket } from "bun";
import { RpcError, TransportError } from "../errors.ts";
import type { RpcErrorObject } from "../protocol/envelope.ts";
import { decodeLine, encodeLine, LineSplitter, MAX_LINE_BYTES } from "../protocol/framing.ts";
import type { MethodName, ParamsIn, ResultOf } from "../protocol/methods.ts";
import { READ_ONLY_METHODS } from "../protocol/read-only-methods.ts";
import { connectSocket } from "./connect.ts";

export const DEFAULT_TIMEOUT_MS = 30_000;

interface Pending {
  method: MethodName;
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
  /** Every byte of the request line reached the kernel: the daemon may have run it. */
  delivered: boolean;
}

export interface ClientOptions {
  timeoutMs?: number;
  /**
   * Check each reply against the method's zod result schema (default). The CLI turns this off:
   * building every schema costs a short-lived process more than the whole request, and the CLI
   * warns when it talks to a daemon of another version (src/cli/session.ts).
   */
  validateReplies?: boolean;
  /** How a connection is opened (default connectSocket); tests wrap it to hold a window open. */
  connect?: typeof connectSocket;
}

/**
 * A connection to hephd. Requests on one connection may be answered in any order; replies are
 * matched by id. A request whose line never fully left us cannot have run, so it is retried
 * once on a fresh connection; once delivered, only read-only methods are retried.
 */
export class RpcClient {
  private socket: Socket<undefined> | undefined;
  private readonly pending = new Map<number, Pending>();
  private outbox: Array<{ id: number; bytes: Uint8Array }> = [];
  private splitter = new LineSplitter(MAX_LINE_BYTES * 4);
  private nextId = 1;
  /** Bumped per connection, so late events of an old socket are ignored. */
  private generation = 0;

  constructor(
    readonly socketPath: string,
    private readonly options: ClientOptions = {},
  ) {}

  async call<M extends MethodName>(
    method: M,
    params: ParamsIn<M>,
    options: ClientOptions = {},
  ): Promise<ResultOf<M>> {
    try {
      return await this.attempt(method, params, options);
    } catch (error) {
      if (error instanceof RetryableDrop) return await this.attempt(method, params, options);
      throw error;
    }
  }

  private async attempt<M extends MethodName>(
    method: M,
    params: ParamsIn<M>,
    options: ClientOptions,
  ): Promise<ResultOf<M>> {
    await this.ensureConnected();
    const id = this.nextId++;
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const raw = await new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(
          new TransportError(
            `The heph daemon did not answer ${method} within ${timeoutMs} ms${READ_ONLY_METHODS.has(method) ? "" : "; the change may or may not have been applied"}.`,
          ),
        );
      }, timeoutMs);
      this.pending.set(id, { method, resolve, reject, timer, delivered: false });
      this.enqueue(id, encodeLine({ jsonrpc: "2.0", id, method, params }));
    });
    if (this.options.validateReplies === false) return raw as ResultOf<M>;
    const { validateReply } = await import("./validate.ts");
    return validateReply(method, raw) as ResultOf<M>;
  }

  private connecting: Promise<void> | undefined;

  /** One connection, shared by calls made at the same time. */
  private ensureConnected(): Promise<void> {
    if (this.socket) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  /**
   * A socket is only ever held while its close has not fired. A connection that lands in a
   * dying daemon's backlog can be reset while connectSocket still awaits the owner check; its
   * close then fires before we hold it, and holding it anyway would leave every request
   * waiting for a reply that cannot come. Nothing was sent on it, so that is a retryable drop.
   */
  private async connect() {
    this.splitter = new LineSplitter(MAX_LINE_BYTES * 4);
    const generation = ++this.generation;
    const current = () => generation === this.generation;
    let closed = false;
    const open = this.options.connect ?? connectSocket;
    const socket = await open(this.socketPath, {
      data: (chunk) => current() && this.onData(chunk),
      drain: () => current() && this.flush(),
      close: (error) => {
        closed = true;
        if (current()) this.onClose(error);
      },
    });
    if (closed || !current()) {
      socket.end();
      throw new RetryableDrop();
    }
    this.socket = socket;
  }

  private enqueue(id: number, bytes: Uint8Array) {
    this.outbox.push({ id, bytes });
    if (this.outbox.length === 1) this.flush();
  }

  private flush() {
    while (this.socket && this.outbox.length > 0) {
      const head = this.outbox[0] as { id: number; bytes: Uint8Array };
      const written = this.socket.write(head.bytes);
      if (written < 0) return;
      if (written < head.bytes.length) {
        head.bytes = head.bytes.subarray(written);
        return;
      }
      this.outbox.shift();
      const pending = this.pending.get(head.id);
      if (pending) pending.delivered = true;
    }
  }

  private onData(chunk: Uint8Array) {
    const { lines, overflow } = this.splitter.push(chunk);
    for (const line of lines) this.onLine(line);
    if (overflow)
      this.failAll(new TransportError("The daemon sent a reply longer than this client accepts."));
  }

  private onLine(line: Uint8Array) {
    const text = decodeLine(line);
    let message: unknown;
    try {
      message = text === undefined ? undefined : JSON.parse(text);
    } catch {
      message = undefined;
    }
    const replies = Array.isArray(message) ? message : [message];
    for (const reply of replies) {
      const { id, result, error } = (reply ?? {}) as {
        id?: unknown;
        result?: unknown;
        error?: RpcErrorObject;
      };
      const pending = typeof id === "number" ? this.pending.get(id) : undefined;
      if (!pending) {
        // A reply with id null reports a connection-level problem (a line too long, say).
        if (error && id === null) this.failAll(new RpcError(error.code, error.message, error.data));
        continue;
      }
      this.pending.delete(id as number);
      clearTimeout(pending.timer);
      if (error) pending.reject(new RpcError(error.code, error.message, error.data));
      else pending.resolve(result);
    }
  }

  private onClose(error?: Error) {
    this.socket = undefined;
    const outstanding = [...this.pending.entries()];
    this.pending.clear();
    this.outbox = [];
    for (const [, pending] of outstanding) {
      clearTimeout(pending.timer);
      if (!pending.delivered || READ_ONLY_METHODS.has(pending.method)) {
        pending.reject(new RetryableDrop());
      } else {
        pending.reject(
          new TransportError(
            `The connection to the heph daemon broke after ${pending.method} was sent${error ? ` (${error.message})` : ""}; the change may or may not have been applied. Check before repeating it.`,
          ),
        );
      }
    }
  }

  private failAll(error: Error) {
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(error);
      this.pending.delete(id);
    }
    this.close();
  }

  /** Ends the connection; requests still waiting fail. */
  close() {
    const socket = this.socket;
    this.socket = undefined;
    this.generation++;
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(
        new TransportError(`The client closed before ${pending.method} was answered.`),
      );
      this.pending.delete(id);
    }
    this.outbox = [];
    socket?.end();
  }
}

/** The connection dropped before the daemon could have acted: safe to try once more. */
class RetryableDrop extends TransportError {
  constructor() {
    super("The connection to the heph daemon closed before the request was answered.");
  }
}
