import { EXIT } from "../../errors.ts";
import { jsonArg, socketArg } from "../args.ts";
import { defineCommand } from "../command.ts";
import type { CompletionHint } from "../completion/hint.ts";
import { printJson, printLine } from "../output.ts";
import { withClient } from "../session.ts";

export default defineCommand({
  meta: {
    name: "resolve",
    description: "Which node a [[link]] text names: id, then alias, then title (exit 1 if none)",
  },
  args: {
    title: {
      type: "positional",
      description: "The link text",
      required: true,
      complete: { dynamic: "note" } satisfies CompletionHint,
    },
    ...jsonArg,
    ...socketArg,
  },
  async run({ args }) {
    const node = await withClient(args, (client) =>
      client.call("node.resolve", { title: args.title }),
    );
    if (args.json) printJson(node);
    else
      printLine(
        node
          ? `${node.title} (${node.kind}, ${node.id})`
          : `Nothing answers to ${JSON.stringify(args.title)}.`,
      );
    return node ? EXIT.ok : EXIT.failure;
  },
});
