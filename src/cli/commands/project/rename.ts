import { jsonArg, socketArg } from "../../args.ts";
import { defineCommand } from "../../command.ts";
import type { CompletionHint } from "../../completion/hint.ts";
import { printJson, printLine } from "../../output.ts";
import { withClient } from "../../session.ts";

export default defineCommand({
  meta: { name: "rename", description: "Rename a project" },
  args: {
    name: {
      type: "positional",
      description: "The project",
      required: true,
      complete: { dynamic: "project" } satisfies CompletionHint,
    },
    new_name: { type: "positional", description: "Its new name", required: true },
    ...jsonArg,
    ...socketArg,
  },
  async run({ args }) {
    const project = await withClient(args, (client) =>
      client.call("project.rename", { project: args.name, name: args.new_name }),
    );
    if (args.json) return printJson(project);
    printLine(`Renamed: ${project.path.join(" / ")}`);
  },
});
