import type { Socket } from "bun";
import { ERROR_CODES } from "../protocol/envelope.ts";
import { MAX_LINE_BYTES } from "../protocol/framing.ts";
import { Connection, type ConnectionLimits } from "./connection.ts";
import type { Dispatcher } from "./dispatch.ts";
import type { Logger } from "./log.ts";

export interface ServerLimits extends ConnectionLimits {
  maxConnections: number;
}

export const DEFAULT_LIMITS: ServerLimits = {
  maxLineBytes: MAX_LINE_BYTES,
  maxQueuedReplyBytes: 8 * 1024 * 1024,
  maxConnections: 1024,
};

export interface RpcServer {
  readonly connectionCount: number;
  /** Stops accepting; waits (up to `graceMs`) for in-flight requests to be answered; closes all. */
  stop(graceMs: number): Promise<void>;
}

type ConnectionSlot = { connection?: Connection };

export function listen(options: {
  socketPath: string;
  dispatcher: Dispatcher;
  logger: Logger;
  limits?: ServerLimits;
}): RpcServer {
  const { logger, dispatcher } = options;
  const limits = options.limits ?? DEFAULT_LIMITS;
  const connections = new Set<Connection>();
  let nextId = 1;

  const listener = Bun.listen<ConnectionSlot>({
    unix: options.socketPath,
    data: {},
    socket: {
      open(socket: Socket<ConnectionSlot>) {
        socket.data = {};
        if (connections.size >= limits.maxConnections) {
          logger.warn("too many connections; refusing one", { limit: limits.maxConnections });
          socket.end(
            `${JSON.stringify({
              jsonrpc: "2.0",
              id: null,
              error: {
                code: ERROR_CODES.tooManyConnections,
                message: `The daemon already serves ${limits.maxConnections} connections; close some and retry.`,
                data: { kind: "too_many_connections", limit: limits.maxConnections },
              },
            })}\n`,
          );
          return;
        }
        const connection = new Connection(
          socket as Socket<unknown>,
          dispatcher,
          logger,
          limits,
          nextId++,
        );
        socket.data.connection = connection;
        connections.add(connection);
      },
      data(socket, chunk) {
        socket.data.connection?.onData(chunk);
      },
      drain(socket) {
        socket.data.connection?.onDrain();
      },
      close(socket) {
        const connection = socket.data.connection;
        if (!connection) return;
        connection.onClose();
        connections.delete(connection);
      },
      error(socket, error) {
        logger.warn("socket error", {
          connection: socket.data.connection?.id,
          error: error.message,
        });
      },
    },
  });

  return {
    get connectionCount() {
      return connections.size;
    },
    async stop(graceMs) {
      listener.stop(false);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const grace = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), graceMs);
      });
      const settled = Promise.all([...connections].map((connection) => connection.whenIdle()));
      if ((await Promise.race([settled, grace])) === "timeout") {
        logger.warn("stopping with requests still in flight", { grace_ms: graceMs });
      }
      clearTimeout(timer);
      for (const connection of connections) connection.closeAfterFlush();
      listener.stop(true);
    },
  };
}
