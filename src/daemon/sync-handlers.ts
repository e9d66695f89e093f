import type { OidcVerifier } from "../hub/oidc.ts";
import { ERROR_CODES, RpcFailure } from "../protocol/envelope.ts";
import type { ConflictView, SyncStatus, UndoResult } from "../protocol/sync-methods.ts";
import type { Store } from "../store/store.ts";
import type { Conflict } from "../sync/conflicts.ts";
import type { SyncReplica } from "../sync/replica.ts";
import type { Spoke } from "../sync/spoke.ts";
import { HubTokens, TokenNameTaken } from "../sync/tokens.ts";
import type { Handlers } from "./dispatch.ts";

type SyncHandlers = Pick<
  Handlers,
  | "sync.status"
  | "sync.now"
  | "conflicts.list"
  | "conflicts.resolve"
  | "hub.token.create"
  | "hub.token.list"
  | "hub.token.revoke"
  | "hub.subject.revoke"
  | "hub.subject.allow"
  | "undo"
  | "redo"
>;

/** What the daemon runs of sync: nothing, a hub (with its HTTP side), or a spoke's loop. */
export type SyncRuntime =
  | { role: "off"; replica: SyncReplica | null }
  | {
      role: "hub";
      replica: SyncReplica;
      authFailures: () => number;
      oidc: OidcVerifier | undefined;
    }
  | { role: "spoke"; replica: SyncReplica; spoke: Spoke };

function notAvailable(message: string): RpcFailure {
  return new RpcFailure(ERROR_CODES.notAvailable, message, { kind: "not_available" });
}

export function createSyncHandlers(context: {
  store: Store;
  sync: () => SyncRuntime;
  clock: () => Date;
}): SyncHandlers {
  const { store } = context;
  const tokens = new HubTokens(store.db, context.clock);

  const status = (): SyncStatus => {
    const sync = context.sync();
    const conflicts = sync.replica?.conflicts.openCount() ?? 0;
    if (sync.role === "spoke")
      return { role: "spoke", conflicts, devices: null, ...sync.spoke.status() };
    return {
      role: sync.role,
      hub_url: null,
      device: sync.replica?.origin ?? null,
      online: sync.role === "hub",
      last_success_at: null,
      last_error: null,
      // A store that synced before, running without its hub: what it has not pushed yet.
      pending:
        sync.role === "off" && sync.replica
          ? sync.replica.ownCountAfter(Number(sync.replica.meta("pushed_seq") ?? "0"))
          : 0,
      hub_seq: sync.replica?.lastSeq() ?? 0,
      conflicts,
      auth_failures: sync.role === "hub" ? sync.authFailures() : 0,
      devices: sync.role === "hub" ? tokens.liveCount() : null,
    };
  };

  const view = (conflict: Conflict): ConflictView => {
    const row = store.db
      .query<{ title: string }, [string]>("SELECT title FROM nodes WHERE id = ?")
      .get(conflict.node_id);
    return { ...conflict, title: row?.title ?? null };
  };

  const replica = (): SyncReplica => {
    const sync = context.sync();
    if (!sync.replica)
      throw notAvailable(
        "This store has never synced, so it has no conflicts: start the daemon with --hub-url URL (a spoke) or --mode server (a hub).",
      );
    return sync.replica;
  };

  const hubOnly = () => {
    if (context.sync().role !== "hub")
      throw notAvailable(
        "This is for the hub: device tokens and OIDC subjects live there. Run it against the hub's daemon (hephd --mode server), on the hub machine or with --socket pointing at its socket.",
      );
  };

  const undoOrRedo = (which: "undo" | "redo"): UndoResult => {
    const sync = context.sync();
    if (!sync.replica)
      throw notAvailable(
        `${which} uses the sync engine, which is on for a store that syncs: start the daemon with --hub-url URL (a spoke) or --mode server (a hub). This store has never synced.`,
      );
    const outcome = which === "undo" ? sync.replica.undo() : sync.replica.redo();
    if (!outcome) return { done: false, nodes: [], remaining: 0 };
    const nodes = outcome.nodes.map((id) => {
      const row = store.db
        .query<{ title: string; deleted_at: string | null }, [string]>(
          "SELECT title, deleted_at FROM nodes WHERE id = ?",
        )
        .get(id);
      return { id, title: row?.title ?? "", deleted: row?.deleted_at != null };
    });
    return { done: true, nodes, remaining: outcome.remaining };
  };

  /** The hub's OIDC verifier, for the subject methods. */
  const oidc = (): OidcVerifier => {
    hubOnly();
    const sync = context.sync();
    if (sync.role !== "hub" || !sync.oidc)
      throw notAvailable(
        "This hub takes no OIDC tokens: start it with --oidc-issuer URL --oidc-audience AUDIENCE.",
      );
    return sync.oidc;
  };

  return {
    undo: () => undoOrRedo("undo"),
    redo: () => undoOrRedo("redo"),
    "sync.status": () => status(),
    "sync.now": async () => {
      const sync = context.sync();
      if (sync.role !== "spoke")
        throw notAvailable(
          sync.role === "hub"
            ? "This daemon is the hub: spokes sync with it; run `heph sync` on a device."
            : "This daemon has no hub: start it with --hub-url URL --hub-token-file FILE (heph daemon start --hub-url …).",
        );
      try {
        await sync.spoke.syncNow();
      } catch (error) {
        throw new RpcFailure(
          ERROR_CODES.notAvailable,
          `Sync with ${sync.spoke.status().hub_url} failed: ${(error as Error).message}`,
          { kind: "not_available", status: status() },
        );
      }
      return status();
    },
    "conflicts.list": ({ all, node }) => {
      const sync = context.sync();
      if (!sync.replica) return { conflicts: [] };
      return { conflicts: sync.replica.conflicts.list({ all, nodeId: node }).map(view) };
    },
    "conflicts.resolve": ({ id, keep }) => {
      const own = replica();
      const conflict = own.conflicts.get(id);
      if (!conflict)
        throw new RpcFailure(ERROR_CODES.notFound, `No conflict ${id}: see \`heph conflicts\`.`, {
          kind: "not_found",
        });
      if (conflict.resolved_at !== null)
        throw new RpcFailure(
          ERROR_CODES.invalidState,
          `Conflict ${id} was settled already (${conflict.resolution} at ${conflict.resolved_at}).`,
          { kind: "invalid_state" },
        );
      own.resolveConflict(id, keep);
      return { conflict: view(own.conflicts.get(id) as Conflict) };
    },
    "hub.token.create": ({ name }) => {
      hubOnly();
      try {
        return tokens.create(name);
      } catch (error) {
        if (error instanceof TokenNameTaken)
          throw new RpcFailure(ERROR_CODES.conflict, error.message, { kind: "conflict" });
        throw error;
      }
    },
    "hub.token.list": () => {
      hubOnly();
      return { tokens: tokens.list() };
    },
    "hub.token.revoke": ({ token }) => {
      hubOnly();
      const revoked = tokens.revoke(token);
      if (!revoked)
        throw new RpcFailure(
          ERROR_CODES.notFound,
          `No token named or numbered ${JSON.stringify(token)}: see \`heph hub token list\`.`,
          { kind: "not_found" },
        );
      return { token: revoked };
    },
    "hub.subject.revoke": ({ subject }) => oidc().revokeSubject(subject),
    "hub.subject.allow": ({ subject }) => ({ subject, allowed: oidc().allowSubject(subject) }),
  };
}
