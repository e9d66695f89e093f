import type { z } from "zod";
import {
  ERROR_CODES,
  errorResponse,
  type ParsedEntry,
  type ParsedMessage,
  RpcFailure,
  type RpcResponse,
  resultResponse,
} from "../protocol/envelope.ts";
import {
  isMethodName,
  type MethodName,
  methods,
  type ParamsOut,
  type ResultOf,
} from "../protocol/methods.ts";
import type { Logger } from "./log.ts";
import type { Peer } from "./peer.ts";

/** Methods that act on the calling connection itself, so their handlers are given it. */
type PeerMethod = Extract<MethodName, `events.${string}`>;

/** Validated params in, a plain result out. */
export type Handlers = {
  [M in MethodName]: M extends PeerMethod
    ? (params: ParamsOut<M>, peer: Peer) => ResultOf<M>
    : (params: ParamsOut<M>) => ResultOf<M> | Promise<ResultOf<M>>;
};

/**
 * Turns zod issues into one readable line: what was wrong, where, and what would be right. An
 * issue with the value as a whole is named `whole`.
 */
export function describeIssues(issues: readonly z.core.$ZodIssue[], whole = "params"): string {
  return issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : whole}: ${issue.message}`)
    .join("; ");
}

export interface Dispatcher {
  /** Serves one parsed line from `peer`; `undefined` when nothing is to be sent back. */
  handle(message: ParsedMessage, peer: Peer): Promise<RpcResponse | RpcResponse[] | undefined>;
}

export function createDispatcher(
  handlers: Handlers,
  logger: Logger,
  isStopping: () => boolean,
): Dispatcher {
  async function call(method: MethodName, rawParams: unknown, peer: Peer): Promise<unknown> {
    if (
      rawParams !== undefined &&
      (typeof rawParams !== "object" || rawParams === null || Array.isArray(rawParams))
    ) {
      throw new RpcFailure(
        ERROR_CODES.invalidParams,
        `Invalid params for ${method}: params must be an object of named fields, such as {"id": "…"}.`,
        { kind: "invalid_params", issues: [] },
      );
    }
    const spec = methods[method];
    const parsed = spec.params.safeParse(rawParams ?? {});
    if (!parsed.success) {
      throw new RpcFailure(
        ERROR_CODES.invalidParams,
        `Invalid params for ${method}: ${describeIssues(parsed.error.issues)}`,
        {
          kind: "invalid_params",
          issues: parsed.error.issues.map((issue) => ({
            path: issue.path.map(String),
            code: issue.code,
            message: issue.message,
          })),
        },
      );
    }
    const handler = handlers[method] as (params: unknown, peer: Peer) => unknown;
    return await handler(parsed.data, peer);
  }

  async function serve(entry: ParsedEntry, peer: Peer): Promise<RpcResponse | undefined> {
    if (!entry.ok) return entry.response;
    const { request, isNotification } = entry;
    const id = request.id ?? null;
    let response: RpcResponse;
    if (isStopping()) {
      response = errorResponse(id, {
        code: ERROR_CODES.shuttingDown,
        message: "The heph daemon is stopping and takes no new requests; retry once it is back.",
        data: { kind: "shutting_down" },
      });
    } else if (!isMethodName(request.method)) {
      response = errorResponse(id, {
        code: ERROR_CODES.methodNotFound,
        message: `Unknown method ${JSON.stringify(request.method)}. Call rpc.discover for the list of methods.`,
        data: { kind: "method_not_found" },
      });
    } else {
      try {
        response = resultResponse(id, await call(request.method, request.params, peer));
      } catch (error) {
        if (error instanceof RpcFailure) {
          response = errorResponse(id, error.toErrorObject());
        } else if ((error as { code?: unknown }).code === "SQLITE_CONSTRAINT_UNIQUE") {
          // A unique index caught what no handler checked: a conflict, not a daemon fault.
          response = errorResponse(id, {
            code: ERROR_CODES.conflict,
            message: `Conflict in ${request.method}: that would duplicate something that must be unique (${(error as Error).message}).`,
            data: { kind: "conflict" },
          });
        } else {
          logger.error("internal error", {
            method: request.method,
            error: error instanceof Error ? (error.stack ?? error.message) : String(error),
          });
          response = errorResponse(id, {
            code: ERROR_CODES.internalError,
            message: `Internal error in ${request.method}: ${error instanceof Error ? error.message : String(error)}`,
            data: { kind: "internal" },
          });
        }
      }
    }
    return isNotification ? undefined : response;
  }

  return {
    async handle(message, peer) {
      switch (message.type) {
        case "error":
          return message.response;
        case "single":
          return serve(message.entry, peer);
        case "batch": {
          // Entries run one after another, so a batch sees its own earlier writes.
          const responses: RpcResponse[] = [];
          for (const entry of message.entries) {
            const response = await serve(entry, peer);
            if (response) responses.push(response);
          }
          return responses.length > 0 ? responses : undefined;
        }
      }
    },
  };
}
