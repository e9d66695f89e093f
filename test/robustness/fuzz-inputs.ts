/**
 * Fuzz scenarios on what a line holds: random bytes, broken UTF-8, cut-off JSON, deep nesting,
 * numbers JSON cannot hold exactly, megabyte strings. Each returns the problems it found.
 */
import { ERROR_CODES } from "../../src/protocol/envelope.ts";
import {
  exchange,
  Findings,
  type FuzzContext,
  stillServes,
  withConnection,
} from "./fuzz-support.ts";
import { SAMPLE_ULID } from "./params.ts";
import type { Rng } from "./seeded.ts";

const { parseError, invalidRequest, invalidParams, methodNotFound } = ERROR_CODES;
const encoder = new TextEncoder();
const JSON_ALPHABET = encoder.encode('{}[]":,.-+eE0123456789 truefalsnl\\"abcxyz\tid method');

/** Lines of random bytes (half arbitrary, half near-JSON): each gets -32700 or -32600. */
export async function randomLines(context: FuzzContext, rng: Rng, count: number) {
  const findings = new Findings(context, "random byte lines");
  await withConnection(context.socket, async (connection) => {
    for (let i = 0; i < count; i++) {
      const length = rng.int(1, 400);
      const bytes = rng.bool() ? rng.bytes(length) : rng.bytes(length, JSON_ALPHABET);
      for (let at = 0; at < bytes.length; at++) if (bytes[at] === 0x0a) bytes[at] = 0x20;
      if (bytes[bytes.length - 1] === 0x0d) bytes[bytes.length - 1] = 0x20;
      const label = `bytes ${Buffer.from(bytes).toString("hex").slice(0, 200)}`;
      const line = new Uint8Array(bytes.length + 1);
      line.set(bytes);
      line[bytes.length] = 0x0a;
      const reply = await exchange(connection, line);
      findings.expectErrorOrBatchOf(label, reply, [parseError, invalidRequest]);
      if (!Array.isArray(reply) && reply?.id !== null) findings.fail(label, "id not null", reply);
    }
    await stillServes(connection, findings, "after-random-lines");
  });
  return findings.problems;
}

/** Invalid UTF-8 alone and inside an otherwise valid request: -32700, the connection lives. */
export async function invalidUtf8(context: FuzzContext, rng: Rng) {
  const findings = new Findings(context, "invalid UTF-8");
  const sequences = [
    [0xff],
    [0xc0, 0xaf], // overlong "/"
    [0xe0, 0x80, 0xaf], // overlong, 3 bytes
    [0xed, 0xa0, 0x80], // a UTF-16 surrogate encoded
    [0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
    [0xe2, 0x82], // cut short
    [0xf8, 0x88, 0x80, 0x80, 0x80], // 5-byte form
    [0x80], // lone continuation
    rng.bytes(8, new Uint8Array([0x80, 0xbf, 0xc2, 0xe0, 0xf0, 0xfe])),
  ];
  const [before, after] = [
    '{"jsonrpc":"2.0","id":7,"method":"node.create","params":{"kind":"doc","title":"a',
    'b"}}\n',
  ];
  await withConnection(context.socket, async (connection) => {
    for (const sequence of sequences) {
      const bad = new Uint8Array(sequence);
      const alone = Buffer.concat([bad, Buffer.from("\n")]);
      const inside = Buffer.concat([Buffer.from(before), bad, Buffer.from(after)]);
      for (const [label, line] of [
        [`alone ${Buffer.from(bad).toString("hex")}`, alone],
        [`in a title ${Buffer.from(bad).toString("hex")}`, inside],
      ] as const) {
        const reply = await exchange(connection, line);
        if (findings.expectError(label, reply, [parseError], "parse_error") && reply.id !== null)
          findings.fail(label, "a line that cannot be decoded has no id to echo", reply);
      }
    }
    // A byte-order mark then a request: liberal (served) or strict (-32700), never anything else.
    const bom = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('{"id":"bom","method":"daemon.info"}\n'),
    ]);
    const reply = await exchange(connection, bom);
    if (!reply?.result) findings.expectError("BOM + request", reply, [parseError]);
    await stillServes(connection, findings, "after-utf8");
  });
  return findings.problems;
}

/** Every strict prefix of a JSON object is invalid JSON: each gets -32700 and nothing runs. */
export async function truncatedJson(context: FuzzContext, rng: Rng, count: number) {
  const findings = new Findings(context, "truncated JSON");
  const marker = `trunc-${rng.int(0, 1e9)}`;
  const texts = [
    JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "node.create",
      params: { kind: "doc", title: marker, body: "é𝄞" },
    }),
    JSON.stringify([
      { id: 2, method: "node.create", params: { kind: "doc", title: marker } },
      { id: 3, method: "daemon.info" },
    ]),
    JSON.stringify({
      id: "x",
      method: "task.create",
      params: { title: marker, tags: ["a", "b"], do_date: null },
    }),
  ];
  await withConnection(context.socket, async (connection) => {
    for (let i = 0; i < count; i++) {
      const text = rng.pick(texts);
      const bytes = encoder.encode(text);
      const cut = bytes.subarray(0, rng.int(1, bytes.length - 1));
      const label = `cut at ${cut.length}/${bytes.length}: ${Buffer.from(cut).toString()}`;
      const reply = await exchange(connection, Buffer.concat([cut, Buffer.from("\n")]));
      findings.expectError(label, reply, [parseError], "parse_error");
    }
    const resolved = await connection.call("node.resolve", { title: marker }, "check");
    if (resolved?.result !== null)
      findings.fail("node.resolve of the marker", "a truncated request created a node", resolved);
    await stillServes(connection, findings, "after-truncated");
  });
  return findings.problems;
}

/** 100 000+ levels of nesting, as a message, as params, as a field, as an id. */
export async function deepNesting(context: FuzzContext, rng: Rng) {
  const findings = new Findings(context, "deep nesting");
  const depth = rng.int(100_000, 250_000);
  const arrays = "[".repeat(depth) + "]".repeat(depth);
  const objects = `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
  const cases: Array<[string, string, readonly number[]]> = [
    ["unclosed [", "[".repeat(depth), [parseError]],
    ["unclosed {", '{"a":'.repeat(depth), [parseError]],
    ["closed [[…]] as a batch", arrays, [parseError, invalidRequest]],
    [
      "nested params",
      `{"id":1,"method":"daemon.info","params":${objects}}`,
      [parseError, invalidParams],
    ],
    [
      "nested body",
      `{"id":2,"method":"node.create","params":{"kind":"doc","title":"t","body":${arrays}}}`,
      [parseError, invalidParams],
    ],
    ["nested id", `{"id":${arrays},"method":"daemon.info"}`, [parseError, invalidRequest]],
    ["nested method", `{"id":3,"method":${objects}}`, [parseError, invalidRequest]],
  ];
  await withConnection(context.socket, async (connection) => {
    for (const [label, line, codes] of cases) {
      const reply = await exchange(connection, `${line}\n`);
      findings.expectErrorOrBatchOf(`${label} (depth ${depth})`, reply, codes);
    }
    await stillServes(connection, findings, "after-nesting");
  });
  return findings.problems;
}

/** Numbers past double range, past 2^53, negative zero: in ids and in integer params. */
export async function hugeNumbers(context: FuzzContext) {
  const findings = new Findings(context, "huge numbers");
  const request = (id: string, method: string, params?: string) =>
    `{"jsonrpc":"2.0","id":${id},"method":"${method}"${params ? `,"params":${params}` : ""}}`;
  type Expect = { result: unknown } | { codes: readonly number[]; field?: string };
  const cases: Array<[string, Expect]> = [
    [request("1e400", "daemon.info"), { codes: [invalidRequest] }],
    [request("-1e400", "daemon.info"), { codes: [invalidRequest] }],
    [request("18446744073709551616", "daemon.info"), { result: 2 ** 64 }],
    [request("-0", "daemon.info"), { result: 0 }],
    [request("1e-400", "daemon.info"), { result: 0 }],
    [request("123456789012345678901234567890", "daemon.info"), { result: 1.2345678901234568e29 }],
    [request("1", "next", '{"limit":1e400}'), { codes: [invalidParams], field: "limit" }],
    [
      request("2", "next", '{"limit":18446744073709551616}'),
      { codes: [invalidParams], field: "limit" },
    ],
    [request("3", "next", '{"limit":-0}'), { codes: [invalidParams], field: "limit" }],
    [request("4", "next", '{"limit":1.5}'), { codes: [invalidParams], field: "limit" }],
    [request("5", "next", '{"limit":-1e400}'), { codes: [invalidParams], field: "limit" }],
    [
      request("6", "search", '{"query":"x","limit":9007199254740993}'),
      { codes: [invalidParams], field: "limit" },
    ],
    [
      request("7", "log.tail", `{"id":"${SAMPLE_ULID}","limit":1e308}`),
      { codes: [invalidParams], field: "limit" },
    ],
    [request("8", "node.get", '{"id":1e400}'), { codes: [invalidParams], field: "id" }],
    [
      request("9", "view", '{"name":"inbox","limit":1e-400}'),
      { codes: [invalidParams], field: "limit" },
    ],
    [`{"jsonrpc":2.0,"id":10,"method":"daemon.info"}`, { codes: [invalidRequest] }],
  ];
  await withConnection(context.socket, async (connection) => {
    for (const [line, expected] of cases) {
      const reply = await exchange(connection, `${line}\n`);
      if ("result" in expected) {
        if (findings.expectResult(line, reply) && reply.id !== expected.result)
          findings.fail(line, `id should come back as ${expected.result}`, reply);
        continue;
      }
      if (!findings.expectError(line, reply, expected.codes) || !expected.field) continue;
      const paths: string[] = (reply.error.data?.issues ?? []).map(
        (i: { path: string[] }) => i.path[0],
      );
      if (!paths.includes(expected.field))
        findings.fail(line, `no issue names ${expected.field}`, reply);
    }
    await stillServes(connection, findings, "after-numbers");
  });
  return findings.problems;
}

/** 1 MiB strings in every kind of place: bounded fields refuse them, unbounded ones keep them. */
export async function hugeStrings(context: FuzzContext, rng: Rng, taskId: string, docId: string) {
  const findings = new Findings(context, "huge strings");
  // 1 MiB, one word: long enough to test every bound, without feeding full-text search a
  // million matches (search over big bodies is its own finding, in stalls.test.ts).
  const huge = rng.string(64, "abcdefghijklmnopqrstuvwxyz0123456789").repeat(16 * 1024);
  type Case = [string, Record<string, unknown>, "result" | number, string?];
  const cases: Case[] = [
    ["node.create", { kind: "doc", title: huge }, invalidParams, "title"],
    ["node.create", { kind: "doc", title: "huge body", body: huge }, "result"],
    ["node.create", { kind: "doc", tags: [huge] }, invalidParams, "tags"],
    ["node.resolve", { title: huge }, invalidParams, "title"],
    ["node.find", { ref: huge }, invalidParams, "ref"],
    ["search", { query: huge }, invalidParams, "query"],
    ["task.parse", { line: huge }, invalidParams, "line"],
    ["task.add", { line: huge }, invalidParams, "line"],
    ["journal.get", { date: huge }, invalidParams, "date"],
    ["log.append", { id: taskId, text: huge }, invalidParams, "text"],
    ["tag.add", { id: docId, tag: huge }, invalidParams, "tag"],
    ["links.add", { src: docId, type: huge, dst: docId }, invalidParams, "type"],
    ["task.create", { title: "rule", recurrence: huge }, invalidParams, "recurrence"],
    ["task.create", { title: "date", do_date: huge }, invalidParams, "do_date"],
    ["node.get", { id: huge }, invalidParams, "id"],
    ["node.append", { id: docId, text: huge }, "result"],
    [huge, {}, methodNotFound],
  ];
  await withConnection(context.socket, async (connection) => {
    for (const [method, params, expected, field] of cases) {
      const line = JSON.stringify({ jsonrpc: "2.0", id: "huge", method, params });
      const label = `${method.slice(0, 40)} ${JSON.stringify(params).slice(0, 120)}`;
      const reply = await exchange(connection, `${line}\n`);
      if (expected === "result") {
        if (findings.expectResult(label, reply) && !String(reply.result.body).includes(huge))
          findings.fail(label, "the 1 MiB string did not round-trip", reply);
        continue;
      }
      if (!findings.expectError(label, reply, [expected]) || !field) continue;
      const paths: string[] = (reply.error.data?.issues ?? []).map(
        (i: { path: string[] }) => i.path[0],
      );
      if (!paths.includes(field)) findings.fail(label, `no issue names ${field}`, reply);
    }
    const echoed = await connection.call("daemon.info", {}, huge);
    if (echoed?.id !== huge) findings.fail("a 1 MiB string id", "not echoed", echoed);
  });
  return findings.problems;
}
