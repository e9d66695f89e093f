import { jsonArg, socketArg } from "../../args.ts";
import { defineCommand } from "../../command.ts";
import { printJson, printLine } from "../../output.ts";
import { withClient } from "../../session.ts";

export default defineCommand({
  meta: { name: "list", description: "Every project as a tree, with outstanding task counts" },
  args: { ...jsonArg, ...socketArg },
  async run({ args }) {
    const projects = await withClient(args, (client) => client.call("project.list", {}));
    if (args.json) return printJson(projects);
    if (projects.length === 0) return printLine("No projects yet: `heph project add <name>`.");
    for (const project of projects) {
      printLine(`${"  ".repeat(project.path.length - 1)}${project.name}  (${project.outstanding})`);
    }
  },
});
