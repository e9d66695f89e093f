import { jsonArg, socketArg } from "../args.ts";
import { defineCommand } from "../command.ts";
import { printJson, printLine } from "../output.ts";
import { withClient } from "../session.ts";
import { taskTable } from "../task-format.ts";

export default defineCommand({
  meta: {
    name: "add",
    description: 'Quick add: heph add "Pay rent tomorrow p1 #Home every month"',
  },
  args: {
    line: {
      type: "positional",
      description: "Title with optional date, p1..p4, #project, every …, due …",
      required: true,
    },
    ...jsonArg,
    ...socketArg,
  },
  async run({ args }) {
    const [task, today] = await withClient(args, (client, daemon) =>
      Promise.all([client.call("task.add", { line: args.line }), daemon.today()]),
    );
    if (args.json) return printJson(task);
    printLine(`Added ${taskTable([task], today)}`);
  },
});
