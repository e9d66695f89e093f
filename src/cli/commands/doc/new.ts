import { jsonArg, socketArg } from "../../args.ts";
import { defineCommand } from "../../command.ts";
import { printJson, printLine } from "../../output.ts";
import { withClient } from "../../session.ts";
import { valueOrStdin } from "../../task-args.ts";

export default defineCommand({
  meta: { name: "new", description: "Create a doc; its body may start with YAML frontmatter" },
  args: {
    title: { type: "positional", description: "The doc's title", required: true },
    body: {
      type: "string",
      description: "The body (Markdown), or - to read it from stdin",
      valueHint: "text|-",
    },
    ...jsonArg,
    ...socketArg,
  },
  async run({ args }) {
    const body = args.body === undefined ? "" : await valueOrStdin(args.body);
    const node = await withClient(args, (client) =>
      client.call("node.create", { kind: "doc", title: args.title, body }),
    );
    if (args.json) return printJson(node);
    printLine(`Created ${node.title} (${node.id})`);
  },
});
