/**
 * Params generated from the method table's zod schemas (through their JSON Schema): which JSON
 * types each field takes, a minimal valid params object per method, values of the wrong type,
 * and random values of the right type for the "valid-ish" fuzz.
 */
import { z } from "zod";
import { type MethodName, methods } from "../../src/protocol/methods.ts";
import type { Rng } from "./seeded.ts";

export type JsonType = "string" | "number" | "boolean" | "null" | "array" | "object";
export const JSON_TYPES: readonly JsonType[] = [
  "string",
  "number",
  "boolean",
  "null",
  "array",
  "object",
];

export interface JsonSchema {
  type?: string | string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  items?: JsonSchema;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  required?: string[];
  properties?: Record<string, JsonSchema>;
}

export interface FieldInfo {
  key: string;
  json: JsonSchema;
  types: ReadonlySet<JsonType>;
  required: boolean;
  zod: z.ZodType;
}

export interface MethodInfo {
  name: MethodName;
  schema: z.ZodType;
  fields: FieldInfo[];
}

export const METHOD_NAMES = Object.keys(methods) as MethodName[];

function typeOfValue(value: unknown): JsonType {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  const type = typeof value;
  if (type === "string" || type === "number" || type === "boolean") return type;
  return "object";
}

/** The JSON types a JSON Schema admits; a schema that says nothing admits all of them. */
export function jsonTypes(schema: JsonSchema): Set<JsonType> {
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return new Set(alternatives.flatMap((alt) => [...jsonTypes(alt)]));
  if (schema.type !== undefined) {
    const names = Array.isArray(schema.type) ? schema.type : [schema.type];
    return new Set(names.map((name) => (name === "integer" ? "number" : (name as JsonType))));
  }
  if (schema.enum) return new Set(schema.enum.map(typeOfValue));
  if (schema.const !== undefined) return new Set([typeOfValue(schema.const)]);
  return new Set(JSON_TYPES);
}

export function methodInfo(name: MethodName): MethodInfo {
  const schema: z.ZodType = methods[name].params;
  if (!(schema instanceof z.ZodObject)) throw new Error(`${name}: params are not a zod object`);
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  const required = new Set(json.required ?? []);
  const shape = schema.shape as Record<string, z.ZodType>;
  const fields = Object.entries(json.properties ?? {}).map(([key, field]) => {
    const zod = shape[key];
    if (!zod) throw new Error(`${name}.${key}: in the JSON Schema but not the zod shape`);
    return { key, json: field, types: jsonTypes(field), required: required.has(key), zod };
  });
  return { name, schema, fields };
}

export const SAMPLE_ULID = "01JD3QZ5N6X4W8Y2T7R9M0K1AB";
export const SAMPLE_TIMESTAMP = "2026-11-26T14:19:37.123Z";
const ID_PATTERN_MARK = "{4,26}";

/** A value the field accepts, for a minimal valid params object. */
function minimalValue(field: FieldInfo): unknown {
  const candidates: unknown[] = [];
  const collect = (schema: JsonSchema) => {
    for (const alt of schema.anyOf ?? schema.oneOf ?? []) collect(alt);
    if (schema.enum) candidates.push(...schema.enum);
    if (schema.pattern?.includes(ID_PATTERN_MARK)) candidates.push(SAMPLE_ULID);
    if (schema.format === "date-time") candidates.push(SAMPLE_TIMESTAMP);
    const types = jsonTypes(schema);
    if (types.has("string")) candidates.push("related", "x", "2026-12-24");
    if (types.has("number")) candidates.push(schema.minimum ?? 1);
    if (types.has("boolean")) candidates.push(false);
    if (types.has("array")) candidates.push([]);
    if (types.has("null")) candidates.push(null);
  };
  collect(field.json);
  const valid = candidates.find((value) => field.zod.safeParse(value).success);
  if (valid === undefined) throw new Error(`no minimal valid value for field ${field.key}`);
  return valid;
}

/** The smallest params object the method accepts (required fields only). */
export function validBase(info: MethodInfo): Record<string, unknown> {
  const base: Record<string, unknown> = {};
  for (const field of info.fields) if (field.required) base[field.key] = minimalValue(field);
  const check = info.schema.safeParse(base);
  if (!check.success) throw new Error(`${info.name}: generated base params are invalid`);
  return base;
}

/** A value of JSON type `type`, drawn from a few shapes of it. */
export function valueOfType(type: JsonType, rng: Rng): unknown {
  switch (type) {
    case "string":
      return rng.pick(["", "x", "0", "true", "null", "[]", rng.string(rng.int(1, 40))]);
    case "number":
      return rng.pick([0, -1, 1.5, 1e308, -0, 42, 2 ** 53 + 2, rng.int(-1e6, 1e6)]);
    case "boolean":
      return rng.bool();
    case "null":
      return null;
    case "array":
      return rng.pick<unknown[]>([[], [1], ["x"], [null], [[]], [{}]]);
    case "object":
      return rng.pick<unknown>([{}, { a: 1 }, JSON.parse('{"__proto__":{"x":1}}'), { id: "x" }]);
  }
}

/** Strings that have broken parsers before: dates, rules, search syntax, unicode, injection. */
export const AWKWARD_STRINGS: readonly string[] = [
  ...["", " ", "x", "today", "tomorrow", "yesterday", "+3d", "-3d", "in 2 weeks", "dec 24"],
  ...["friday", "next friday", "2026-02-30", "2026-12-24", "9999-12-31", "0000-01-01"],
  ...["2026-13-01", "99999-01-01", "every day", "every 0 days", "every -1 days", "daily"],
  ...["weekdays", "every monday", "every last day of the month", "monthly on the 31st"],
  ...["FREQ=WEEKLY;BYDAY=MO", "FREQ=DAILY;COUNT=1", "FREQ=SECONDLY", "FREQ=YEARLY;BYMONTH=13"],
  ...["RRULE:FREQ=DAILY;UNTIL=19700101", "FREQ=MONTHLY;BYSETPOS=-1;BYDAY=FR", "FREQ=DAILY;;;"],
  ...["FREQ=", "=", ";", "every 10000 years", "'; DROP TABLE nodes; --", "%", "_", "*"],
  ...['"', '""', "NEAR(a b)", "a OR b", "-", "--x", "^", "title:x", "[[x]]", "[[", "#tag"],
  ...["\u0000", "a\u0000b", "\ud800", "\udfff", "𝄞", "日本語", "a\nb", "\r", "\t", "../.."],
  ...["x".repeat(1001), "9".repeat(400), "1e400", "-0", "null", "__proto__", "constructor"],
  ...["inbox", "ondeck", "white", "blue", "doc", "task", "project", "journal", "related"],
  ...["every constructor", "every 99999 days", "toString", "hasOwnProperty", "every valueOf"],
  ...["---\ntitle: Front\n---\nbody", "---\na: &a [*a]\n---\n", "---\n__proto__: {a: 1}\n---\n"],
  ...["---\n: [\n---\n", "---\ntags: 5\n---\n", "- [x] done\n- [ ] todo", "```\n- [x] code\n```"],
];

export interface IdPool {
  ids: string[];
  words: string[];
  timestamps: string[];
}

/** A value of a type the field takes (mostly), biased toward ones that reach the handler. */
export function randomValue(field: FieldInfo, rng: Rng, pool: IdPool, depth = 0): unknown {
  const types = [...field.types];
  if (rng.bool(0.1) || types.length === 0) return valueOfType(rng.pick(JSON_TYPES), rng);
  const type = rng.pick(types);
  const alternatives = field.json.anyOf ?? field.json.oneOf ?? [field.json];
  const schema =
    alternatives.find((alt) => jsonTypes(alt).has(type) && alt.type !== "null") ?? field.json;
  switch (type) {
    case "string": {
      if (schema.enum && rng.bool(0.7)) return rng.pick(schema.enum);
      if (schema.pattern?.includes(ID_PATTERN_MARK) && rng.bool(0.8)) {
        const id = rng.pick(pool.ids);
        return rng.bool(0.7) ? id : id.slice(0, rng.int(4, 26));
      }
      if (schema.format === "date-time" && rng.bool(0.7)) return rng.pick(pool.timestamps);
      if (rng.bool(0.3)) return rng.pick(pool.words);
      return rng.bool(0.8) ? rng.pick(AWKWARD_STRINGS) : rng.string(rng.int(0, 60));
    }
    case "number": {
      const low = schema.minimum ?? -10;
      const high = schema.maximum ?? 10_000;
      return rng.pick([low, high, low - 1, high + 1, rng.int(low, high), 0, 1.5, 2 ** 53]);
    }
    case "array": {
      if (depth > 1 || !schema.items) return [];
      const item: FieldInfo = { ...field, json: schema.items, types: jsonTypes(schema.items) };
      return Array.from({ length: rng.int(0, 3) }, () => randomValue(item, rng, pool, depth + 1));
    }
    default:
      return valueOfType(type, rng);
  }
}

/** Random params for a method: each optional field present or not, each value random. */
export function randomParams(info: MethodInfo, rng: Rng, pool: IdPool): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const field of info.fields) {
    if (!field.required && rng.bool(0.5)) continue;
    if (field.required && rng.bool(0.03)) continue;
    params[field.key] = randomValue(field, rng, pool);
  }
  return params;
}
