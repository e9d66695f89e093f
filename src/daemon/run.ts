import { parseArgs } from "node:util";
import { localDate } from "../core/calendar.ts";
import { type Clock, systemClock, toTimestamp } from "../core/clock.ts";
import { ensureParentDir } from "../dirs.ts";
import { EXIT, HephError, StartupError, UsageError } from "../errors.ts";
import { type HubHttp, startHubHttp } from "../hub/http.ts";
import { OidcVerifier } from "../hub/oidc.ts";
import { checkSocketPath, type HephPaths, resolvePaths } from "../paths.ts";
import type { DaemonInfo } from "../protocol/schemas.ts";
import { managedBy, selfDescription } from "../self.ts";
import { openStore, type Store } from "../store/store.ts";
import { SyncReplica } from "../sync/replica.ts";
import { Spoke } from "../sync/spoke.ts";
import { TokenSource } from "../sync/token-source.ts";
import { HubTokens } from "../sync/tokens.ts";
import { VERSION } from "../version.ts";
import { type ClientDaemon, startClientDaemon } from "./client-mode.ts";
import { createDispatcher } from "./dispatch.ts";
import { EventHub } from "./events.ts";
import { createHandlers } from "./handlers.ts";
import { acquireStoreLock, type StoreLock } from "./lock.ts";
import { createLogger } from "./log.ts";
import { listen, type RpcServer } from "./server.ts";
import { prepareSocketPath, removeSocketFile, secureSocketFile } from "./socket-file.ts";
import type { SyncRuntime } from "./sync-handlers.ts";
import { parseSyncFlags, type SyncSetup } from "./sync-options.ts";

export const DAEMON_USAGE = `hephd — the heph daemon: owns the store and serves JSON-RPC on a unix socket.

Usage: hephd [--mode local] [--db PATH] [--socket PATH] [--log PATH]
             [--hub-url URL --hub-token-file FILE [--hub-ca FILE]]
       hephd --mode server --http-addr HOST:PORT [--tls-cert FILE --tls-key FILE] [--db …]
       hephd --mode client --hub-url URL --hub-token-file FILE [--socket PATH] [--log PATH]
       heph hephd …   (the same, through the heph binary)

Modes:
  local           this device's store; with --hub-url it is a spoke: a full replica that
                  syncs with the hub and keeps working offline (default)
  server          a hub: a full replica that devices sync with over HTTP (and POST /rpc)
  client          no store: every request is forwarded to the hub (online only)

Options:
  --db PATH           the store (default: $HEPH_DB, else <data dir>/heph.db)
  --socket PATH       the socket (default: $HEPH_SOCKET, else $XDG_RUNTIME_DIR/heph/hephd.sock
                      when XDG_RUNTIME_DIR is set, else <data dir>/hephd.sock)
  --log PATH          the log file (default: <data dir>/hephd.log)
  --hub-url URL       the hub to sync with (https://, or http:// on loopback)
  --hub-token-file F  this device's hub token (else $HEPH_HUB_TOKEN)
  --hub-ca FILE       a CA certificate (PEM) to trust for the hub, e.g. a self-signed one
  --http-addr H:P     where a hub listens (port 0: any free port, see daemon.info http_url)
  --tls-cert FILE     the hub's certificate chain (PEM); with --tls-key
  --tls-key FILE      the hub's private key (PEM)
  --insecure-http     allow plain HTTP beyond loopback (not recommended)
  --oidc-issuer URL   also accept RS256 access tokens from this OIDC issuer (a hub)
  --oidc-audience A   the audience those tokens must name
  --version           print the version and exit
  -h, --help          print this help and exit

The data dir is $XDG_DATA_HOME/heph, else ~/.local/share/heph.
Runs in the foreground until SIGTERM or SIGINT, then stops cleanly and exits 0.`;

export interface DaemonOptions {
  db?: string | undefined;
  socket?: string | undefined;
  log?: string | undefined;
  /** Hub, spoke or client settings; absent: a plain local daemon. */
  sync?: SyncSetup | undefined;
}

export function parseDaemonArgs(
  argv: string[],
): { action: "help" | "version" } | { action: "run"; options: DaemonOptions } {
  let parsed: ReturnType<
    typeof parseArgs<{ options: typeof daemonFlags; strict: true; allowPositionals: false }>
  >;
  try {
    parsed = parseArgs({ args: argv, options: daemonFlags, strict: true, allowPositionals: false });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\nRun \`hephd --help\` for the options.`);
  }
  const { values } = parsed;
  if (values.help) return { action: "help" };
  if (values.version) return { action: "version" };
  return {
    action: "run",
    options: {
      db: values.db,
      socket: values.socket,
      log: values.log,
      sync: parseSyncFlags(values),
    },
  };
}

const daemonFlags = {
  mode: { type: "string" },
  db: { type: "string" },
  socket: { type: "string" },
  log: { type: "string" },
  "hub-url": { type: "string" },
  "hub-token-file": { type: "string" },
  "hub-ca": { type: "string" },
  "http-addr": { type: "string" },
  "tls-cert": { type: "string" },
  "tls-key": { type: "string" },
  "insecure-http": { type: "boolean" },
  "oidc-issuer": { type: "string" },
  "oidc-audience": { type: "string" },
  version: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

export interface DaemonHandle {
  readonly paths: HephPaths;
  readonly server: RpcServer;
  info(): DaemonInfo;
  /** Resolves once the daemon has stopped, whoever asked (a signal or daemon.shutdown). */
  readonly stopped: Promise<void>;
  /** Stops accepting, answers what is in flight, closes the store, removes the socket. */
  stop(reason: string): Promise<void>;
}

/**
 * Brings the daemon up: lock the store, open and migrate it, bind the socket. Throws a
 * StartupError (having released whatever it took) when it cannot.
 */
export async function startDaemon(
  options: DaemonOptions & { logToStderr?: boolean; timeZone?: string },
  clock: Clock = systemClock,
): Promise<DaemonHandle> {
  const paths = resolvePaths(options);
  // Checked before anything is created, so a bad path changes nothing on disk.
  checkSocketPath(paths.socket);
  const logger = createLogger({ file: paths.log, stderr: options.logToStderr ?? false, clock });
  let lock: StoreLock | undefined;
  let store: Store | undefined;
  try {
    ensureParentDir(paths.db);
    lock = acquireStoreLock(paths.db);
    // The socket first: refused there, the store is not even created.
    await prepareSocketPath(paths.socket);
    store = openStore(paths.db, clock);
  } catch (error) {
    store?.close();
    lock?.release();
    logger.error("cannot start", { error: error instanceof Error ? error.message : String(error) });
    logger.close();
    throw error;
  }

  const setup: SyncSetup = options.sync ?? { mode: "local", hub: null };
  if (setup.mode === "client")
    throw new StartupError("client mode is started by startClientDaemon");
  // Once a store has synced, every write is captured, hub or no hub, so none is missed later.
  const syncing = setup.mode === "server" || setup.hub !== null || SyncReplica.wasEnabled(store);
  const replica = syncing
    ? SyncReplica.open(store, clock, { relay: setup.mode === "server" })
    : null;
  let syncRuntime: SyncRuntime = { role: "off", replica };
  let hub: HubHttp | undefined;
  let spoke: Spoke | undefined;

  const startedAt = clock();
  const timeZone = options.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const openedStore = store;
  const heldLock = lock;
  const today = () => localDate(clock(), timeZone);
  const info = (): DaemonInfo => ({
    version: VERSION,
    pid: process.pid,
    mode: setup.mode,
    db: paths.db,
    socket: paths.socket,
    log: paths.log,
    binary: selfDescription(),
    started_at: toTimestamp(startedAt),
    uptime_ms: Math.max(0, clock().getTime() - startedAt.getTime()),
    schema_version: openedStore.schemaVersion(),
    managed_by: managedBy(),
    time_zone: timeZone,
    today: today(),
    hub_url: setup.mode === "local" ? (setup.hub?.url ?? null) : null,
    http_url: hub?.url ?? null,
  });

  let stopping: Promise<void> | undefined;
  let markStopped: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    markStopped = resolve;
  });
  const requestStop = (reason: string) => {
    stopping ??= stop(reason).then(markStopped);
    return stopping;
  };
  const dispatcher = createDispatcher(
    createHandlers({
      store: openedStore,
      today,
      info,
      events: new EventHub(openedStore, logger),
      clock,
      logger,
      // After a tick, so the reply to daemon.shutdown is written before the socket closes.
      requestStop: (reason) => setTimeout(() => void requestStop(reason), 0),
      sync: () => syncRuntime,
    }),
    logger,
    () => stopping !== undefined,
  );
  let server: RpcServer;
  let socketInode: number;
  try {
    server = listen({ socketPath: paths.socket, dispatcher, logger });
    socketInode = secureSocketFile(paths.socket);
  } catch (error) {
    openedStore.close();
    heldLock.release();
    const code = (error as NodeJS.ErrnoException).code;
    const message = `Cannot listen on ${paths.socket}${code ? ` (${code})` : ""}: ${(error as Error).message}`;
    logger.error("cannot start", { error: message });
    logger.close();
    throw new StartupError(message);
  }
  try {
    if (setup.mode === "server" && replica) {
      const oidc = setup.oidc ? new OidcVerifier(setup.oidc, openedStore.db, clock) : undefined;
      hub = startHubHttp({
        hostname: setup.hostname,
        port: setup.port,
        tls: setup.tls ?? undefined,
        store: openedStore,
        replica,
        tokens: new HubTokens(openedStore.db, clock),
        oidc,
        dispatcher,
        logger,
        isStopping: () => stopping !== undefined,
      });
      syncRuntime = { role: "hub", replica, authFailures: hub.authFailures, oidc };
      logger.info("hub listening", { url: hub.url });
    }
  } catch (error) {
    await server.stop(0);
    removeSocketFile(paths.socket, socketInode);
    replica?.close();
    openedStore.close();
    heldLock.release();
    const message = `Cannot listen on ${setup.mode === "server" ? `${setup.hostname}:${setup.port}` : ""}: ${(error as Error).message}`;
    logger.error("cannot start", { error: message });
    logger.close();
    throw new StartupError(message);
  }
  if (setup.mode === "local" && setup.hub && replica) {
    spoke = new Spoke({
      hubUrl: setup.hub.url,
      tokens: new TokenSource(setup.hub.tokenFile, setup.hub.token),
      ca: setup.hub.ca,
      store: openedStore,
      replica,
      clock,
      logger,
    });
    syncRuntime = { role: "spoke", replica, spoke };
    spoke.start();
  }
  if (process.env.TZ && !options.timeZone && timeZone !== process.env.TZ.replace(/^:/, "")) {
    logger.warn("TZ names no time zone this runtime knows; calendar dates use the zone below", {
      TZ: process.env.TZ,
      time_zone: timeZone,
    });
  }
  logger.info("hephd ready", {
    version: VERSION,
    pid: process.pid,
    db: paths.db,
    socket: paths.socket,
  });

  const stop = async (reason: string) => {
    logger.info("stopping", { reason });
    await spoke?.stop();
    await hub?.stop();
    await server.stop(5000);
    replica?.close();
    openedStore.close();
    removeSocketFile(paths.socket, socketInode);
    heldLock.release();
    logger.info("stopped");
    logger.close();
  };
  return { paths, server, info, stopped, stop: requestStop };
}

/** `hephd`: start, serve until SIGTERM/SIGINT, stop cleanly. Resolves with the exit code. */
export async function runDaemon(
  options: DaemonOptions,
  clock: Clock = systemClock,
): Promise<number> {
  // Everything the daemon creates (store, WAL, socket, log) is private to the user.
  process.umask(0o077);
  let daemon: DaemonHandle | ClientDaemon;
  try {
    daemon =
      options.sync?.mode === "client"
        ? await startClientDaemon({ ...options, hub: options.sync.hub }, clock)
        : await startDaemon({ ...options, logToStderr: Boolean(process.stderr.isTTY) }, clock);
  } catch (error) {
    process.stderr.write(`hephd: ${error instanceof Error ? error.message : String(error)}\n`);
    return error instanceof HephError ? error.exitCode : EXIT.failure;
  }
  process.on("SIGTERM", () => void daemon.stop("SIGTERM"));
  process.on("SIGINT", () => void daemon.stop("SIGINT"));
  await daemon.stopped;
  return EXIT.ok;
}
