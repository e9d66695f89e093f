/**
 * Every method in the table, called wrongly: params missing, each field of the wrong JSON type,
 * an unknown field, params that are not an object; then called with random values of the right
 * types, which reach the handlers. Nothing may answer -32603.
 */
import { ERROR_CODES } from "../../src/protocol/envelope.ts";
import type { MethodName } from "../../src/protocol/methods.ts";
import type { RawConnection, Reply } from "../helpers/raw-socket.ts";
import {
  Findings,
  type FuzzContext,
  HANDLER_CODES,
  stillServes,
  withConnection,
} from "./fuzz-support.ts";
import {
  type IdPool,
  JSON_TYPES,
  METHOD_NAMES,
  methodInfo,
  randomParams,
  validBase,
  valueOfType,
} from "./params.ts";
import type { Rng } from "./seeded.ts";

const { invalidParams } = ERROR_CODES;

/** Never called with params it would accept: it would stop the daemon under test. */
const NEVER_VALID: ReadonlySet<MethodName> = new Set(["daemon.shutdown"]);

/** Valid params, but the daemon under test is neither hub nor spoke: a not_available error. */
const NEEDS_SYNC_ROLE: ReadonlySet<MethodName> = new Set([
  "sync.now",
  "hub.token.list",
  "undo",
  "redo",
]);

async function send(connection: RawConnection, method: string, params: unknown, omit = false) {
  const request = { jsonrpc: "2.0", id: "p", method, ...(omit ? {} : { params }) };
  const text = JSON.stringify(request);
  const reply: Reply = await connection.call(method, omit ? undefined : params, "p");
  return { text, reply };
}

function issuePaths(reply: Reply): string[] {
  return (reply?.error?.data?.issues ?? []).map((issue: { path: string[] }) =>
    issue.path.join("."),
  );
}

/** (a) missing, (b) wrong types, (c) unknown field, (d) not an object — for every method. */
export async function wrongParams(context: FuzzContext, rng: Rng) {
  const findings = new Findings(context, "wrong params");
  let calls = 0;
  await withConnection(context.socket, async (connection) => {
    for (const name of METHOD_NAMES) {
      const info = methodInfo(name);
      const base = validBase(info);
      const required = info.fields.filter((field) => field.required).map((field) => field.key);

      // (a) no params member at all: fine only for methods with nothing required.
      if (required.length > 0) {
        const { text, reply } = await send(connection, name, undefined, true);
        calls++;
        if (findings.expectError(text, reply, [invalidParams], "invalid_params")) {
          const missing = required.filter((key) => !issuePaths(reply).includes(key));
          if (missing.length > 0) findings.fail(text, `issues do not name ${missing}`, reply);
        }
      } else if (NEEDS_SYNC_ROLE.has(name)) {
        const { text, reply } = await send(connection, name, undefined, true);
        calls++;
        findings.expectError(text, reply, [ERROR_CODES.notAvailable], "not_available");
      } else if (!NEVER_VALID.has(name)) {
        const { text, reply } = await send(connection, name, undefined, true);
        calls++;
        findings.expectResult(text, reply);
      }

      // (b) each field, in turn, given a value of every JSON type it does not take.
      for (const field of info.fields) {
        for (const type of JSON_TYPES) {
          if (field.types.has(type)) continue;
          const value = valueOfType(type, rng);
          if (field.zod.safeParse(value).success)
            throw new Error(`${name}.${field.key} took ${type}`);
          const { text, reply } = await send(connection, name, { ...base, [field.key]: value });
          calls++;
          if (findings.expectError(text, reply, [invalidParams], "invalid_params")) {
            if (!issuePaths(reply).some((path) => path.split(".")[0] === field.key))
              findings.fail(text, `no issue names ${field.key}`, reply);
          }
        }
      }

      // (c) an unknown field next to valid ones, including keys that are special in JS.
      for (const extra of ["zz_unknown", "__proto__", "constructor"]) {
        const params = JSON.parse(`{"${extra}":1}`) as Record<string, unknown>;
        Object.assign(params, base);
        const { text, reply } = await send(connection, name, params);
        calls++;
        if (findings.expectError(text, reply, [invalidParams], "invalid_params")) {
          const codes = (reply.error.data.issues ?? []).map(
            (issue: { code: string }) => issue.code,
          );
          if (!codes.includes("unrecognized_keys"))
            findings.fail(text, "no unrecognized_keys issue", reply);
        }
      }

      // (d) params that are not an object of named fields.
      for (const params of [
        [],
        [base],
        Object.values(base),
        "params",
        "",
        null,
        0,
        1.5,
        true,
        false,
      ]) {
        const { text, reply } = await send(connection, name, params);
        calls++;
        findings.expectError(text, reply, [invalidParams], "invalid_params");
      }
    }
    await stillServes(connection, findings, "after-wrong-params");
  });
  return { problems: findings.problems, calls };
}

/**
 * Random params of (mostly) the right types, so they pass validation and reach the handlers.
 * Expected: exactly -32602 when the schema refuses them (checked locally with the same zod
 * schema), else a result or an application error — never -32603, -32600 or -32700.
 */
export async function randomTypedParams(
  context: FuzzContext,
  rng: Rng,
  pool: IdPool,
  perMethod: number,
) {
  const findings = new Findings(context, "random typed params");
  let reachedHandler = 0;
  let calls = 0;
  await withConnection(context.socket, async (connection) => {
    for (const name of METHOD_NAMES) {
      if (NEVER_VALID.has(name)) continue;
      const info = methodInfo(name);
      for (let i = 0; i < perMethod; i++) {
        const params = randomParams(info, rng, pool);
        const valid = info.schema.safeParse(params).success;
        const { text, reply } = await send(connection, name, params);
        calls++;
        if (!valid) {
          findings.expectError(text, reply, [invalidParams], "invalid_params");
          continue;
        }
        reachedHandler++;
        if (reply?.error) findings.expectError(text, reply, HANDLER_CODES);
        else findings.expectResult(text, reply);
      }
    }
    await stillServes(connection, findings, "after-random-params");
  });
  return { problems: findings.problems, reachedHandler, calls };
}
