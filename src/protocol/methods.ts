/**
 * The one method table. Each entry's params and result are zod schemas used by the daemon to
 * validate requests, by the client to validate replies, and by `rpc.discover` to describe itself.
 */
import { z } from "zod";
import { editorMethods } from "./editor-methods.ts";
import { eventMethods } from "./event-methods.ts";
import { importMethods } from "./import-methods.ts";
import { type MethodSpec, spec } from "./method-spec.ts";
import { nodeMethods } from "./node-methods.ts";
import { DaemonInfo } from "./schemas.ts";
import { syncMethods } from "./sync-methods.ts";
import { taskMethods } from "./task-methods.ts";

export type { MethodSpec };

const NoParams = z.strictObject({});

export const methods = {
  "daemon.info": spec(
    "Who is serving: version, pid, mode, store, socket and log paths, binary, start time, schema version.",
    NoParams,
    DaemonInfo,
    false,
  ),
  "daemon.shutdown": spec(
    "Asks the daemon to stop: it answers, finishes requests in flight, closes the store, removes its socket and exits 0.",
    NoParams,
    z.object({ stopping: z.literal(true), pid: z.number().int() }),
    false,
  ),
  "rpc.discover": spec(
    "Describes every method as an OpenRPC document, with JSON Schema for params and result.",
    NoParams,
    z.object({
      openrpc: z.string(),
      info: z.object({ title: z.string(), version: z.string() }),
      methods: z.array(z.record(z.string(), z.unknown())),
      "x-notifications": z.array(z.record(z.string(), z.unknown())),
    }),
    false,
  ),
  ...nodeMethods,
  ...taskMethods,
  ...eventMethods,
  ...editorMethods,
  ...importMethods,
  ...syncMethods,
} satisfies Record<string, MethodSpec>;

export type MethodName = keyof typeof methods;
export type ParamsIn<M extends MethodName> = z.input<(typeof methods)[M]["params"]>;
export type ParamsOut<M extends MethodName> = z.output<(typeof methods)[M]["params"]>;
export type ResultOf<M extends MethodName> = z.output<(typeof methods)[M]["result"]>;

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(methods, name);
}
