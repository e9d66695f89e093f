import { UsageError } from "../../errors.ts";
import { NODE_KINDS, type NodeKind } from "../../protocol/schemas.ts";
import { jsonArg, socketArg } from "../args.ts";
import { defineCommand } from "../command.ts";
import type { CompletionHint } from "../completion/hint.ts";
import { highlight } from "../node-format.ts";
import { printJson, printLine } from "../output.ts";
import { withClient } from "../session.ts";

export default defineCommand({
  meta: {
    name: "search",
    description: 'Full-text search: words (the last one as a prefix), "phrases", -exclusions',
  },
  args: {
    query: {
      type: "positional",
      description: "What to look for",
      required: true,
      valueHint: "words…",
    },
    kind: {
      type: "string",
      description: `Only these kinds: ${NODE_KINDS.join(", ")} (comma-separated)`,
      valueHint: "kinds",
      complete: { values: NODE_KINDS, list: true } satisfies CompletionHint,
    },
    limit: { type: "string", description: "At most this many (default 20)", valueHint: "n" },
    ...jsonArg,
    ...socketArg,
  },
  async run({ args }) {
    const query = [args.query, ...args._.slice(1)].join(" ");
    const kinds = args.kind
      ?.split(",")
      .map((kind) => kind.trim())
      .filter(Boolean);
    const wrong = kinds?.filter((kind) => !NODE_KINDS.includes(kind as NodeKind)) ?? [];
    if (wrong.length > 0)
      throw new UsageError(`--kind takes ${NODE_KINDS.join(", ")}, not ${wrong.join(", ")}.`);
    const limit = args.limit === undefined ? 20 : Number(args.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      throw new UsageError(`--limit takes a whole number from 1 to 1000, not ${args.limit}.`);
    const hits = await withClient(args, (client) =>
      client.call("search", { query, limit, ...(kinds ? { kind: kinds as NodeKind[] } : {}) }),
    );
    if (args.json) return printJson(hits);
    if (hits.length === 0) return printLine(`Nothing matches ${JSON.stringify(query)}.`);
    for (const hit of hits) {
      printLine(`${hit.title}  (${hit.kind}, ${hit.id.slice(0, 10)})`);
      if (hit.snippet) printLine(`    ${highlight(hit.snippet.replace(/\s+/g, " "))}`);
    }
  },
});
