import { jsonArg, socketArg } from "../../args.ts";
import { defineCommand } from "../../command.ts";
import type { CompletionHint } from "../../completion/hint.ts";
import { nodeHeader } from "../../node-format.ts";
import { printJson, printLine, printRaw } from "../../output.ts";
import { withClient } from "../../session.ts";

export default defineCommand({
  meta: { name: "show", description: "Show a node by id, id prefix, exact title or alias" },
  args: {
    ref: {
      type: "positional",
      description: "id, id prefix, title or alias",
      required: true,
      complete: { dynamic: "note" } satisfies CompletionHint,
    },
    frontmatter: { type: "boolean", description: "Print the body with its YAML frontmatter" },
    ...jsonArg,
    ...socketArg,
  },
  async run({ args }) {
    const node = await withClient(args, async (client) => {
      const found = await client.call("node.find", { ref: args.ref });
      return client.call("node.get", { id: found.id, frontmatter: Boolean(args.frontmatter) });
    });
    if (args.json) return printJson(node);
    if (args.frontmatter) return printRaw(node.body);
    printLine(nodeHeader(node));
    if (node.body !== "") printLine(`\n${node.body.replace(/\n$/, "")}`);
  },
});
