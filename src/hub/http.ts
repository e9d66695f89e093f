/**
 * The hub's HTTP side (hephd --mode server): sync (hello, push, pull with long-poll) and
 * POST /rpc with the socket's method table. Every request carries a device's bearer token.
 */
import type { Server } from "bun";
import { type Dispatcher, describeIssues } from "../daemon/dispatch.ts";
import type { Logger } from "../daemon/log.ts";
import type { Peer } from "../daemon/peer.ts";
import {
  ERROR_CODES,
  errorResponse,
  type ParsedEntry,
  type ParsedMessage,
  parseMessage,
} from "../protocol/envelope.ts";
import type { Store } from "../store/store.ts";
import type { SyncReplica } from "../sync/replica.ts";
import type { HubTokens } from "../sync/tokens.ts";
import {
  fromBase64,
  type Hello,
  PULL_PAGE_BYTES,
  PULL_PAGE_ENTRIES,
  PullQuery,
  type PullReply,
  PushBody,
  protocolMismatch,
  SYNC_PROTOCOL,
  schemaMismatch,
  toBase64,
} from "../sync/wire.ts";
import { VERSION } from "../version.ts";
import { looksLikeJwt, type OidcVerifier } from "./oidc.ts";

/** The largest request body the hub reads: a push page with room to spare. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

export interface HubHttpOptions {
  hostname: string;
  port: number;
  tls?: { cert: string; key: string } | undefined;
  store: Store;
  replica: SyncReplica;
  tokens: HubTokens;
  /** Set when the hub also takes OIDC access tokens (--oidc-issuer/--oidc-audience). */
  oidc?: OidcVerifier | undefined;
  dispatcher: Dispatcher;
  logger: Logger;
  isStopping: () => boolean;
}

export interface HubHttp {
  readonly url: string;
  authFailures(): number;
  stop(): Promise<void>;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers });
}

function refuse(status: number, kind: string, error: string): Response {
  return json(status, { error, kind }, status === 401 ? { "WWW-Authenticate": "Bearer" } : {});
}

/** A peer for an HTTP request: it cannot be pushed to, so subscriptions are refused. */
function httpPeer(id: number): Peer {
  return {
    id,
    queuedBytes: 0,
    push: () => {
      throw new Error("events are not available over HTTP: subscribe on a daemon's socket");
    },
    onceDrained: (listener) => listener(),
    whenClosed: () => {},
  };
}

export function startHubHttp(options: HubHttpOptions): HubHttp {
  const { store, replica, tokens, logger } = options;
  let failures = 0;
  const hubId = replica.meta("hub_id") ?? crypto.randomUUID();
  replica.setMeta("hub_id", hubId);
  let nextPeer = 1;
  // Long-polls waiting for the log to grow: woken after each commit.
  const waiters = new Set<() => void>();
  const stopListening = store.changes.onCommit(() => {
    for (const wake of [...waiters]) wake();
  });

  /** Who is asking: a live device token, else (when configured) a valid OIDC access token. */
  const authenticate = async (request: Request): Promise<string | Response> => {
    const header = request.headers.get("authorization") ?? "";
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const bearer = match?.[1];
    let reason = "no bearer token";
    if (bearer !== undefined) {
      const token = tokens.verify(bearer);
      if (token) return `token:${token.name}`;
      reason = "unknown or revoked token";
      if (options.oidc && looksLikeJwt(bearer)) {
        const outcome = await options.oidc.verify(bearer);
        if (outcome.ok) return `oidc:${outcome.subject}`;
        if (outcome.unavailable) {
          logger.warn("cannot check an OIDC token: the issuer is unavailable", {
            error: outcome.reason,
          });
          return refuse(
            503,
            "issuer_unavailable",
            `The hub cannot check OIDC tokens now: ${outcome.reason}. Retry later.`,
          );
        }
        reason = `OIDC token refused: ${outcome.reason}`;
      }
    }
    failures++;
    logger.warn("hub refused a request's token", { path: new URL(request.url).pathname, reason });
    return refuse(
      401,
      "unauthorized",
      bearer === undefined
        ? "Send the device's token as `Authorization: Bearer <token>` (heph hub token create NAME on the hub issues one)."
        : `This token is refused (${reason}): ask the hub's owner for a new one (heph hub token create NAME on the hub)${options.oidc ? " or log in again (heph auth login)" : ""}.`,
    );
  };

  const versionCheck = (protocol: number, schema: number): Response | null => {
    const protocols = protocolMismatch(SYNC_PROTOCOL, protocol);
    if (protocols) return refuse(409, "protocol_mismatch", protocols);
    const mismatch = schemaMismatch(store.schemaVersion(), schema);
    return mismatch ? refuse(409, "schema_mismatch", mismatch) : null;
  };

  const hello = (): Hello => ({
    heph_version: VERSION,
    schema_version: store.schemaVersion(),
    protocol: SYNC_PROTOCOL,
    hub_seq: replica.lastSeq(),
    hub_id: hubId,
  });

  /**
   * Each engine client id (a device's `origin`) belongs to the first device (token name or OIDC
   * subject) that pushed under it: another claiming it would hide its updates from the owner.
   */
  const claimOrigin = (origin: string, caller: string): Response | null => {
    const key = `origin_owner:${origin}`;
    const owner = replica.meta(key);
    if (owner === null) replica.setMeta(key, caller);
    else if (owner !== caller)
      return refuse(
        403,
        "origin_taken",
        `This device pushes as engine client ${origin}, which belongs to ${owner.replace(/^token:/, "device ")}. Was the store copied from another device? Start this device with an empty store and let it sync.`,
      );
    return null;
  };

  const push = async (request: Request, caller: string): Promise<Response> => {
    const body = await readJson(request);
    if (body instanceof Response) return body;
    const parsed = PushBody.safeParse(body);
    if (!parsed.success)
      return refuse(
        400,
        "invalid_body",
        `Invalid push: ${describeIssues(parsed.error.issues, "body")}`,
      );
    const mismatch = versionCheck(parsed.data.protocol, parsed.data.schema_version);
    if (mismatch) return mismatch;
    const taken = claimOrigin(parsed.data.origin, caller);
    if (taken) return taken;
    const updates = parsed.data.entries.map((entry) => ({
      node_id: entry.node_id,
      update: fromBase64(entry.update),
      origin: parsed.data.origin,
    }));
    try {
      replica.applyRemote(updates);
    } catch (error) {
      logger.error("push refused", { error: (error as Error).message });
      return refuse(
        422,
        "unmergeable",
        `The hub could not merge this push: ${(error as Error).message}`,
      );
    }
    return json(200, { accepted: updates.length, hub_seq: replica.lastSeq(), hub_id: hubId });
  };

  const pull = async (url: URL): Promise<Response> => {
    const parsed = PullQuery.safeParse(Object.fromEntries(url.searchParams));
    if (!parsed.success)
      return refuse(
        400,
        "invalid_query",
        `Invalid pull: ${describeIssues(parsed.error.issues, "query")}`,
      );
    const query = parsed.data;
    const mismatch = versionCheck(query.protocol, query.schema_version);
    if (mismatch) return mismatch;
    const read = () =>
      replica.entriesAfter(query.after, {
        limit: PULL_PAGE_ENTRIES,
        maxBytes: PULL_PAGE_BYTES,
        skipOrigin: query.origin,
      });
    let page = read();
    const deadline = Date.now() + query.wait * 1000;
    // Long-poll: nothing new for this device yet, so wait for a commit (or the deadline).
    while (page.entries.length === 0 && page.last === query.after && Date.now() < deadline) {
      if (options.isStopping()) break;
      await new Promise<void>((resolve) => {
        const wake = () => {
          waiters.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, Math.max(0, deadline - Date.now()));
        waiters.add(wake);
      });
      page = read();
    }
    const reply: PullReply = {
      entries: page.entries.map((entry) => ({
        seq: entry.seq,
        node_id: entry.node_id,
        update: toBase64(entry.update),
        origin: entry.origin,
      })),
      last: page.last,
      hub_seq: replica.lastSeq(),
      hub_id: hubId,
    };
    return json(200, reply);
  };

  const rpc = async (request: Request): Promise<Response> => {
    const text = await readText(request);
    if (text instanceof Response) return text;
    const response = await options.dispatcher.handle(
      withoutSocketOnly(parseMessage(text)),
      httpPeer(nextPeer++),
    );
    return response === undefined ? new Response(null, { status: 204 }) : json(200, response);
  };

  const server: Server<undefined> = Bun.serve({
    hostname: options.hostname,
    port: options.port,
    ...(options.tls
      ? { tls: { cert: Bun.file(options.tls.cert), key: Bun.file(options.tls.key) } }
      : {}),
    maxRequestBodySize: MAX_BODY_BYTES,
    // Long-polls hold a request for up to MAX_PULL_WAIT_S; the idle timeout must outlast them.
    idleTimeout: 60,
    async fetch(request) {
      const url = new URL(request.url);
      const route = `${request.method} ${url.pathname}`;
      const known = ["GET /sync/hello", "POST /sync/push", "GET /sync/pull", "POST /rpc"];
      if (!known.includes(route)) {
        return refuse(
          404,
          "not_found",
          `No ${route} here: this is a heph hub (GET /sync/hello, POST /sync/push, GET /sync/pull, POST /rpc).`,
        );
      }
      if (options.isStopping())
        return refuse(503, "shutting_down", "The hub is stopping; retry once it is back.");
      const caller = await authenticate(request);
      if (caller instanceof Response) return caller;
      try {
        if (route === "GET /sync/hello") return json(200, hello());
        if (route === "POST /sync/push") return await push(request, caller);
        if (route === "GET /sync/pull") return await pull(url);
        return await rpc(request);
      } catch (error) {
        logger.error("hub request failed", {
          route,
          error: (error as Error).stack ?? String(error),
        });
        return refuse(500, "internal", `Internal error: ${(error as Error).message}`);
      }
    },
    error(error) {
      logger.error("hub HTTP error", { error: error.message });
      return refuse(500, "internal", `Internal error: ${error.message}`);
    },
  });

  const scheme = options.tls ? "https" : "http";
  const host = server.hostname?.includes(":") ? `[${server.hostname}]` : server.hostname;
  return {
    url: `${scheme}://${host}:${server.port}`,
    authFailures: () => failures,
    async stop() {
      stopListening();
      for (const wake of [...waiters]) wake();
      await server.stop(true);
    },
  };
}

/**
 * Methods a device token must not reach: stopping the hub, writing a backup to a path on the
 * hub's disk, minting or revoking tokens, live events (no connection to push them on). They
 * stay on the hub's own socket, for its owner.
 */
export const SOCKET_ONLY_METHODS: ReadonlySet<string> = new Set([
  "daemon.shutdown",
  "store.backup",
  "hub.token.create",
  "hub.token.list",
  "hub.token.revoke",
  "hub.subject.revoke",
  "hub.subject.allow",
  "events.subscribe",
  "events.unsubscribe",
]);

function withoutSocketOnly(message: ParsedMessage): ParsedMessage {
  const guard = (entry: ParsedEntry): ParsedEntry => {
    if (!entry.ok || !SOCKET_ONLY_METHODS.has(entry.request.method)) return entry;
    return {
      ok: false,
      response: errorResponse(entry.request.id ?? null, {
        code: ERROR_CODES.notAvailable,
        message: `${entry.request.method} is served on the hub's own socket only, not over HTTP: run it on the hub machine.`,
        data: { kind: "not_available" },
      }),
    };
  };
  if (message.type === "single") return { type: "single", entry: guard(message.entry) };
  if (message.type === "batch") return { type: "batch", entries: message.entries.map(guard) };
  return message;
}

async function readText(request: Request): Promise<string | Response> {
  try {
    return await request.text();
  } catch (error) {
    return refuse(
      400,
      "unreadable_body",
      `Could not read the request body: ${(error as Error).message}`,
    );
  }
}

async function readJson(request: Request): Promise<unknown | Response> {
  const text = await readText(request);
  if (text instanceof Response) return text;
  try {
    return JSON.parse(text);
  } catch {
    return refuse(400, "invalid_json", "The body is not JSON: send a JSON object.");
  }
}
