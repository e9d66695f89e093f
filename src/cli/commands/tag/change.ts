import { jsonArg, socketArg } from "../../args.ts";
import { defineCommand } from "../../command.ts";
import type { CompletionHint } from "../../completion/hint.ts";
import { nodeHeader } from "../../node-format.ts";
import { printJson, printLine } from "../../output.ts";
import { withClient } from "../../session.ts";

function tagCommand(verb: "add" | "rm") {
  return defineCommand({
    meta: {
      name: verb,
      description: verb === "add" ? "Add a tag to a node" : "Remove a tag from a node",
    },
    args: {
      ref: {
        type: "positional",
        description: "id, id prefix, title or alias",
        required: true,
        complete: { dynamic: "node" } satisfies CompletionHint,
      },
      tag: {
        type: "positional",
        description: "The tag (a leading # is fine)",
        required: true,
        complete: { dynamic: "tag" } satisfies CompletionHint,
      },
      ...jsonArg,
      ...socketArg,
    },
    async run({ args }) {
      const node = await withClient(args, async (client) => {
        const found = await client.call("node.find", { ref: args.ref });
        return client.call(verb === "add" ? "tag.add" : "tag.remove", {
          id: found.id,
          tag: args.tag,
        });
      });
      if (args.json) return printJson(node);
      printLine(nodeHeader(node));
    },
  });
}

export const add = tagCommand("add");
export const rm = tagCommand("rm");
