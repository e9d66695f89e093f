/**
 * hephd --mode client: no store, no replica. The socket serves the same protocol, and every
 * request is forwarded to the hub's POST /rpc; when the hub cannot be reached the request
 * fails with a clear error (nothing is queued: a spoke is what works offline).
 */
import { localDate } from "../core/calendar.ts";
import { type Clock, systemClock, toTimestamp } from "../core/clock.ts";
import { StartupError } from "../errors.ts";
import { checkSocketPath, type HephPaths, resolvePaths } from "../paths.ts";
import {
  ERROR_CODES,
  errorResponse,
  type ParsedEntry,
  type RpcResponse,
  resultResponse,
} from "../protocol/envelope.ts";
import type { DaemonInfo } from "../protocol/schemas.ts";
import { managedBy, selfDescription } from "../self.ts";
import { TokenSource } from "../sync/token-source.ts";
import { VERSION } from "../version.ts";
import type { Dispatcher } from "./dispatch.ts";
import { createLogger, type Logger } from "./log.ts";
import { listen, type RpcServer } from "./server.ts";
import { prepareSocketPath, removeSocketFile, secureSocketFile } from "./socket-file.ts";
import type { HubConnection } from "./sync-options.ts";

export interface ClientDaemon {
  readonly paths: HephPaths;
  readonly server: RpcServer;
  readonly stopped: Promise<void>;
  stop(reason: string): Promise<void>;
}

/**
 * Methods about the device's own replica: forwarded, they would answer for the hub (its sync
 * status, its last change undone, whoever made it).
 */
const CLIENT_REFUSES: ReadonlySet<string> = new Set([
  "sync.now",
  "sync.status",
  "undo",
  "redo",
  "conflicts.resolve",
]);

/** How long one forwarded request may take before the caller is told the hub is not answering. */
const FORWARD_TIMEOUT_MS = 120_000;

function forwardingDispatcher(options: {
  hub: HubConnection;
  info: () => DaemonInfo;
  requestStop: () => void;
  logger: Logger;
}): Dispatcher {
  const { hub } = options;
  const tokens = new TokenSource(hub.tokenFile, hub.token);
  const unreachable = (id: RpcResponse["id"], detail: string) =>
    errorResponse(id, {
      code: ERROR_CODES.notAvailable,
      message: `The hub at ${hub.url} cannot be reached (${detail}). This daemon runs in client mode and has no store of its own; run a spoke (hephd --mode local --hub-url …) to keep working offline.`,
      data: { kind: "not_available" },
    });

  const serve = async (entry: ParsedEntry): Promise<RpcResponse | undefined> => {
    if (!entry.ok) return entry.response;
    const { request, isNotification } = entry;
    const id = request.id ?? null;
    if (request.method === "daemon.info") return resultResponse(id, options.info());
    if (request.method === "daemon.shutdown") {
      setTimeout(options.requestStop, 0);
      return resultResponse(id, { stopping: true, pid: process.pid });
    }
    if (CLIENT_REFUSES.has(request.method)) {
      return errorResponse(id, {
        code: ERROR_CODES.notAvailable,
        message: `${request.method} is about this device's replica, and a client keeps none (every request goes to the hub at ${hub.url}). Run it on the hub, or run this device as a spoke (hephd --hub-url …).`,
        data: { kind: "not_available" },
      });
    }
    if (request.method.startsWith("events.")) {
      return errorResponse(id, {
        code: ERROR_CODES.notAvailable,
        message:
          "Live events are not forwarded in client mode: subscribe on a spoke's or the hub's socket.",
        data: { kind: "not_available" },
      });
    }
    let response: Response;
    try {
      response = await fetch(`${hub.url}/rpc`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${tokens.current()}`,
          "content-type": "application/json",
        },
        body: JSON.stringify({ ...request, jsonrpc: "2.0" }),
        signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS),
        ...(hub.ca ? { tls: { ca: hub.ca } } : {}),
      } as RequestInit);
    } catch (error) {
      return isNotification ? undefined : unreachable(id, (error as Error).message);
    }
    if (response.status === 204) return undefined;
    const body = (await response.json().catch(() => null)) as
      | (RpcResponse & { error?: unknown })
      | { error: string; kind: string }
      | null;
    if (!response.ok || body === null || !("jsonrpc" in body)) {
      const reason =
        body && typeof body.error === "string" ? body.error : `HTTP ${response.status}`;
      options.logger.warn("hub refused a forwarded request", { status: response.status });
      return errorResponse(id, {
        code: response.status === 401 ? ERROR_CODES.invalidState : ERROR_CODES.notAvailable,
        message: `The hub at ${hub.url} refused the request: ${reason}`,
        data: { kind: response.status === 401 ? "invalid_state" : "not_available" },
      });
    }
    return isNotification ? undefined : body;
  };

  return {
    async handle(message) {
      if (message.type === "error") return message.response;
      if (message.type === "single") return serve(message.entry);
      const responses: RpcResponse[] = [];
      for (const entry of message.entries) {
        const response = await serve(entry);
        if (response) responses.push(response);
      }
      return responses.length > 0 ? responses : undefined;
    },
  };
}

export async function startClientDaemon(
  options: { socket?: string | undefined; log?: string | undefined; hub: HubConnection },
  clock: Clock = systemClock,
): Promise<ClientDaemon> {
  const paths = resolvePaths({ socket: options.socket, log: options.log });
  checkSocketPath(paths.socket);
  const logger = createLogger({ file: paths.log, stderr: Boolean(process.stderr.isTTY), clock });
  const startedAt = clock();
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  let stopping: Promise<void> | undefined;
  let markStopped: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    markStopped = resolve;
  });
  const info = (): DaemonInfo => ({
    version: VERSION,
    pid: process.pid,
    mode: "client",
    db: "",
    socket: paths.socket,
    log: paths.log,
    binary: selfDescription(),
    started_at: toTimestamp(startedAt),
    uptime_ms: Math.max(0, clock().getTime() - startedAt.getTime()),
    schema_version: 0,
    managed_by: managedBy(),
    time_zone: timeZone,
    today: localDate(clock(), timeZone),
    hub_url: options.hub.url,
    http_url: null,
  });
  let server: RpcServer;
  let inode: number;
  try {
    await prepareSocketPath(paths.socket);
    server = listen({
      socketPath: paths.socket,
      logger,
      dispatcher: forwardingDispatcher({
        hub: options.hub,
        info,
        logger,
        requestStop: () => void requestStop("daemon.shutdown"),
      }),
    });
    inode = secureSocketFile(paths.socket);
  } catch (error) {
    logger.close();
    throw new StartupError(`Cannot listen on ${paths.socket}: ${(error as Error).message}`);
  }
  logger.info("hephd ready (client mode)", { hub: options.hub.url, socket: paths.socket });
  const stop = async (reason: string) => {
    logger.info("stopping", { reason });
    await server.stop(5000);
    removeSocketFile(paths.socket, inode);
    logger.close();
  };
  const requestStop = (reason: string) => {
    stopping ??= stop(reason).then(markStopped);
    return stopping;
  };
  return { paths, server, stopped, stop: requestStop };
}
