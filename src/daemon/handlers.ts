import type { Clock } from "../core/clock.ts";
import { describeMethods } from "../protocol/discover.ts";
import { ERROR_CODES, RpcFailure } from "../protocol/envelope.ts";
import type { DaemonInfo, Node } from "../protocol/schemas.ts";
import type { Store } from "../store/store.ts";
import { VERSION } from "../version.ts";
import type { Handlers } from "./dispatch.ts";
import { createTaskHandlers } from "./task-handlers.ts";

function notFound(id: string): RpcFailure {
  return new RpcFailure(ERROR_CODES.notFound, `No node with id ${id}.`, { kind: "not_found", id });
}

/** The method implementations: validated params in, plain results out. */
export function createHandlers(context: {
  store: Store;
  clock: Clock;
  /** The IANA zone whose calendar dates "today" means. */
  timeZone: string;
  info: () => DaemonInfo;
  /** Begins a graceful stop after the current reply has gone out. */
  requestStop: (reason: string) => void;
}): Handlers {
  const { store } = context;
  return {
    ...createTaskHandlers(context),
    "daemon.info": () => context.info(),
    "daemon.shutdown": () => {
      context.requestStop("daemon.shutdown");
      return { stopping: true as const, pid: process.pid };
    },
    "rpc.discover": () => describeMethods(VERSION),
    "node.create": (params) => {
      if (params.kind === "task" || params.kind === "project") {
        throw new RpcFailure(
          ERROR_CODES.invalidParams,
          `Invalid params for node.create: kind: a ${params.kind} is made with ${params.kind}.create, which also sets up its ${params.kind === "task" ? "state, context doc and log" : "place in the project tree"}.`,
          {
            kind: "invalid_params",
            issues: [{ path: ["kind"], code: "custom", message: `use ${params.kind}.create` }],
          },
        );
      }
      return store.nodes.create(params);
    },
    "node.get": (params): Node => {
      const node = store.nodes.get(params.id, { includeDeleted: params.include_deleted });
      if (!node) throw notFound(params.id);
      return node;
    },
    "node.update": (params): Node => {
      const { id, base_updated_at, ...patch } = params;
      const outcome = store.nodes.update(id, patch, base_updated_at);
      switch (outcome.status) {
        case "updated":
          return outcome.node;
        case "not_found":
          throw notFound(id);
        case "conflict":
          throw new RpcFailure(
            ERROR_CODES.conflict,
            `Node ${id} changed since ${base_updated_at} (now ${outcome.current.updated_at}); reload it and apply your change again.`,
            { kind: "conflict", current: outcome.current },
          );
      }
    },
    "node.delete": (params): Node => {
      const node = store.nodes.delete(params.id);
      if (!node) throw notFound(params.id);
      return node;
    },
  };
}
