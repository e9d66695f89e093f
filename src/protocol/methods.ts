/**
 * The one method table. Each entry's params and result are zod schemas used by the daemon to
 * validate requests, by the client to validate replies, and by `rpc.discover` to describe itself.
 */
import { z } from "zod";
import { DaemonInfo, Label, Node, NodeKind, Timestamp, Title, Ulid } from "./schemas.ts";
import { taskMethods } from "./task-methods.ts";

export interface MethodSpec<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  summary: string;
  params: P;
  result: R;
  /** Writes to the store. A write is never retried by the client once it may have arrived. */
  mutates: boolean;
}

function method<P extends z.ZodType, R extends z.ZodType>(spec: MethodSpec<P, R>) {
  return spec;
}

const NoParams = z.strictObject({});

export const methods = {
  "daemon.info": method({
    summary:
      "Who is serving: version, pid, mode, store, socket and log paths, binary, start time, schema version.",
    params: NoParams,
    result: DaemonInfo,
    mutates: false,
  }),
  "daemon.shutdown": method({
    summary:
      "Asks the daemon to stop: it answers, finishes requests in flight, closes the store, removes its socket and exits 0.",
    params: NoParams,
    result: z.object({ stopping: z.literal(true), pid: z.number().int() }),
    mutates: false,
  }),
  "rpc.discover": method({
    summary:
      "Describes every method as an OpenRPC document, with JSON Schema for params and result.",
    params: NoParams,
    result: z.object({
      openrpc: z.string(),
      info: z.object({ title: z.string(), version: z.string() }),
      methods: z.array(z.record(z.string(), z.unknown())),
    }),
    mutates: false,
  }),
  "node.create": method({
    summary: "Creates a node and returns it.",
    params: z.strictObject({
      kind: NodeKind,
      title: Title,
      body: z.string().default(""),
      aliases: z.array(Label).max(100).default([]),
      tags: z.array(Label).max(100).default([]),
    }),
    result: Node,
    mutates: true,
  }),
  "node.get": method({
    summary: "Reads a node by id. A deleted node is not found unless include_deleted is true.",
    params: z.strictObject({ id: Ulid, include_deleted: z.boolean().default(false) }),
    result: Node,
    mutates: false,
  }),
  "node.update": method({
    summary:
      "Replaces the given fields of a node (the body as a whole). With base_updated_at, refuses with a conflict when the node changed since.",
    params: z.strictObject({
      id: Ulid,
      title: Title.optional(),
      body: z.string().optional(),
      aliases: z.array(Label).max(100).optional(),
      tags: z.array(Label).max(100).optional(),
      base_updated_at: Timestamp.optional(),
    }),
    result: Node,
    mutates: true,
  }),
  "node.delete": method({
    summary:
      "Tombstones a node: it stays in the store with deleted_at set. Deleting twice is fine.",
    params: z.strictObject({ id: Ulid }),
    result: Node,
    mutates: true,
  }),
  ...taskMethods,
} satisfies Record<string, MethodSpec>;

export type MethodName = keyof typeof methods;
export type ParamsIn<M extends MethodName> = z.input<(typeof methods)[M]["params"]>;
export type ParamsOut<M extends MethodName> = z.output<(typeof methods)[M]["params"]>;
export type ResultOf<M extends MethodName> = z.output<(typeof methods)[M]["result"]>;

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(methods, name);
}
