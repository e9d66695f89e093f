import { z } from "zod";
import { notifications } from "./event-methods.ts";
import { methods } from "./methods.ts";

/**
 * An OpenRPC document generated from the method table: the schemas that validate requests are
 * the schemas clients read, so the description cannot drift from the behaviour.
 */
export function describeMethods(version: string) {
  return {
    openrpc: "1.3.2",
    info: { title: "hephd", version },
    methods: Object.entries(methods).map(([name, spec]) => {
      const params = z.toJSONSchema(spec.params, { io: "input", unrepresentable: "any" }) as {
        properties?: Record<string, unknown>;
        required?: string[];
      };
      const required = new Set(params.required ?? []);
      return {
        name,
        summary: spec.summary,
        paramStructure: "by-name",
        params: Object.entries(params.properties ?? {}).map(([param, schema]) => ({
          name: param,
          required: required.has(param),
          schema,
        })),
        result: {
          name: "result",
          schema: z.toJSONSchema(spec.result, { io: "output", unrepresentable: "any" }),
        },
        "x-mutates": spec.mutates,
      };
    }),
    // OpenRPC has no place for what the server sends unasked; an extension field says it.
    "x-notifications": Object.entries(notifications).map(([name, notification]) => ({
      name,
      summary: notification.summary,
      params: z.toJSONSchema(notification.params, { io: "output", unrepresentable: "any" }),
    })),
  };
}
