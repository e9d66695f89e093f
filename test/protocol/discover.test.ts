import { describe, expect, test } from "bun:test";
import type { z } from "zod";
import { describeMethods } from "../../src/protocol/discover.ts";
import { isMethodName, methods } from "../../src/protocol/methods.ts";

const doc = describeMethods("9.8.7");

type Described = (typeof doc.methods)[number];
type JsonSchema = Record<string, unknown> & {
  type?: string;
  enum?: unknown[];
  properties?: Record<string, unknown>;
  required?: string[];
};

function described(name: string): Described {
  const entry = doc.methods.find((m) => m.name === name);
  if (!entry) throw new Error(`rpc.discover does not describe ${name}`);
  return entry;
}

function param(name: string, paramName: string) {
  const entry = described(name).params.find((p) => p.name === paramName);
  if (!entry) throw new Error(`${name} has no param ${paramName}`);
  return entry as { name: string; required: boolean; schema: JsonSchema };
}

describe("describeMethods", () => {
  test("is an OpenRPC document carrying the version", () => {
    expect(doc.openrpc).toBe("1.3.2");
    expect(doc.info).toEqual({ title: "hephd", version: "9.8.7" });
  });

  test("is a valid rpc.discover result", () => {
    expect(methods["rpc.discover"].result.safeParse(doc).success).toBe(true);
  });

  test("describes every method of the table once, and nothing else", () => {
    const names = doc.methods.map((m) => m.name);
    expect(names.toSorted()).toEqual(Object.keys(methods).toSorted());
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(isMethodName(name)).toBe(true);
  });

  for (const [name, spec] of Object.entries(methods)) {
    test(`${name}: summary, by-name params and result schema`, () => {
      const entry = described(name);
      expect(entry.summary).toBe(spec.summary);
      expect(entry.summary.length).toBeGreaterThan(0);
      expect(entry.paramStructure).toBe("by-name");
      expect(entry["x-mutates"]).toBe(spec.mutates);

      // One param per field of the params object, each with a JSON Schema.
      const shape = (spec.params as unknown as z.ZodObject).shape;
      expect(entry.params.map((p) => p.name).toSorted()).toEqual(Object.keys(shape).toSorted());
      for (const p of entry.params) {
        expect(typeof p.required).toBe("boolean");
        expect(p.schema).toBeObject();
        expect(Object.keys(p.schema as object).length).toBeGreaterThan(0);
      }

      const result = entry.result.schema as JsonSchema;
      expect(entry.result.name).toBe("result");
      expect(result.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
      // An object, a list of objects (next, list, …), or an object or null (node.resolve).
      const nullable = (result as { anyOf?: JsonSchema[] }).anyOf?.find((s) => s.type !== "null");
      const shown = nullable ?? result;
      const resultObject = shown.type === "array" ? (shown as { items: JsonSchema }).items : shown;
      expect(["object", "array"]).toContain(shown.type as string);
      expect(resultObject.type).toBe("object");
      expect(Object.keys(resultObject.properties ?? {}).length).toBeGreaterThan(0);
    });
  }

  test("methods without params describe an empty param list", () => {
    expect(described("daemon.info").params).toEqual([]);
    expect(described("rpc.discover").params).toEqual([]);
  });

  test("node.create: kind lists the five kinds; title and body are optional (frontmatter may give the title)", () => {
    const kind = param("node.create", "kind");
    expect(kind.required).toBe(true);
    expect(kind.schema.type).toBe("string");
    expect(kind.schema.enum).toEqual(["doc", "task", "project", "tag", "journal"]);

    const title = param("node.create", "title");
    expect(title.required).toBe(false);
    expect(title.schema).toMatchObject({ type: "string", minLength: 1, maxLength: 1000 });

    const body = param("node.create", "body");
    expect(body.required).toBe(false);
    expect(body.schema).toMatchObject({ type: "string", default: "" });

    expect(param("node.create", "aliases").required).toBe(false);
    expect(param("node.create", "tags").required).toBe(false);
  });

  test("node.get: id is required, include_deleted is optional", () => {
    expect(param("node.get", "id").required).toBe(true);
    expect(param("node.get", "id").schema.type).toBe("string");
    expect(param("node.get", "include_deleted").required).toBe(false);
  });

  test("node.update: only id is required", () => {
    const required = described("node.update")
      .params.filter((p) => p.required)
      .map((p) => p.name);
    expect(required).toEqual(["id"]);
  });

  test("the node result schema requires the wire fields of a node", () => {
    const result = described("node.create").result.schema as JsonSchema;
    expect(result.required).toEqual(
      expect.arrayContaining([
        "id",
        "kind",
        "title",
        "body",
        "aliases",
        "tags",
        "created_at",
        "updated_at",
      ]),
    );
  });

  test("the daemon.info result schema lists what BRIEF §5 asks for", () => {
    const result = described("daemon.info").result.schema as JsonSchema;
    expect(result.required).toEqual(
      expect.arrayContaining([
        "version",
        "pid",
        "mode",
        "db",
        "socket",
        "log",
        "binary",
        "started_at",
        "schema_version",
      ]),
    );
  });

  test("the document is plain JSON (survives a JSON round trip)", () => {
    expect(JSON.parse(JSON.stringify(doc))).toStrictEqual(doc);
  });
});
