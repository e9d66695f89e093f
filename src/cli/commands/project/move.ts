import { jsonArg, socketArg } from "../../args.ts";
import { defineCommand } from "../../command.ts";
import type { CompletionHint } from "../../completion/hint.ts";
import { printJson, printLine } from "../../output.ts";
import { withClient } from "../../session.ts";
import { orNone } from "../../task-args.ts";

export default defineCommand({
  meta: { name: "move", description: "Move a project under another (--parent none: to the top)" },
  args: {
    name: {
      type: "positional",
      description: "The project to move",
      required: true,
      complete: { dynamic: "project" } satisfies CompletionHint,
    },
    parent: {
      type: "string",
      description: "New parent, or none",
      valueHint: "name|none",
      required: true,
      complete: { dynamic: "project", values: ["none"] } satisfies CompletionHint,
    },
    ...jsonArg,
    ...socketArg,
  },
  async run({ args }) {
    const project = await withClient(args, (client) =>
      client.call("project.move", { project: args.name, parent: orNone(args.parent) ?? null }),
    );
    if (args.json) return printJson(project);
    printLine(`Moved: ${project.path.join(" / ")}`);
  },
});
