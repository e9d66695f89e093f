import { jsonArg, socketArg } from "../../args.ts";
import { defineCommand } from "../../command.ts";
import type { CompletionHint } from "../../completion/hint.ts";
import { printJson, printLine } from "../../output.ts";
import { withClient } from "../../session.ts";

export default defineCommand({
  meta: { name: "add", description: "Create a project, optionally under a parent" },
  args: {
    name: { type: "positional", description: "The project's name", required: true },
    parent: {
      type: "string",
      description: "Parent project",
      valueHint: "name",
      complete: { dynamic: "project" } satisfies CompletionHint,
    },
    ...jsonArg,
    ...socketArg,
  },
  async run({ args }) {
    const project = await withClient(args, (client) =>
      client.call("project.create", { name: args.name, parent: args.parent ?? null }),
    );
    if (args.json) return printJson(project);
    printLine(`Created project ${project.path.join(" / ")}`);
  },
});
