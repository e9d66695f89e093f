import { jsonArg, socketArg } from "../args.ts";
import { defineCommand } from "../command.ts";
import type { CompletionHint } from "../completion/hint.ts";
import { backLinks, outLinks } from "../node-format.ts";
import { printJson, printLine } from "../output.ts";
import { withClient } from "../session.ts";

function linkCommand(direction: "out" | "back") {
  return defineCommand({
    meta: {
      name: direction === "out" ? "links" : "backlinks",
      description:
        direction === "out"
          ? "Links from a node (wiki links, tags, typed links)"
          : "Nodes that link to this one",
    },
    args: {
      ref: {
        type: "positional",
        description: "id, id prefix, title or alias",
        required: true,
        complete: { dynamic: "node" } satisfies CompletionHint,
      },
      ...jsonArg,
      ...socketArg,
    },
    async run({ args }) {
      const links = await withClient(args, async (client) => {
        const node = await client.call("node.find", { ref: args.ref });
        return client.call(direction === "out" ? "links.out" : "links.back", { id: node.id });
      });
      if (args.json) return printJson(links);
      printLine(direction === "out" ? outLinks(links) : backLinks(links));
    },
  });
}

export const links = linkCommand("out");
export const backlinks = linkCommand("back");
