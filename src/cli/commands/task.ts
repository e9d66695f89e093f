import { jsonArg, socketArg } from "../args.ts";
import { defineCommand } from "../command.ts";
import { printJson, printLine } from "../output.ts";
import { withClient } from "../session.ts";
import { recurrenceFrom, scheduleArgs } from "../task-args.ts";
import { taskTable } from "../task-format.ts";

export default defineCommand({
  meta: {
    name: "task",
    description: "Create a task from flags (no quick-add parsing of the title)",
  },
  args: {
    title: {
      type: "positional",
      description: "The task's title, taken as written",
      required: true,
    },
    ...scheduleArgs,
    ...jsonArg,
    ...socketArg,
  },
  async run({ args }) {
    const recurrence = recurrenceFrom(args);
    const [task, today] = await withClient(args, (client, daemon) =>
      Promise.all([
        client.call("task.create", {
          title: args.title,
          ...(args.attention ? { attention: args.attention as "white" } : {}),
          ...(args.do ? { do_date: args.do } : {}),
          ...(args.late ? { late_on: args.late } : {}),
          ...(recurrence ? { recurrence } : {}),
          ...(args.project ? { project: args.project } : {}),
        }),
        daemon.today(),
      ]),
    );
    if (args.json) return printJson(task);
    printLine(`Added ${taskTable([task], today)}`);
  },
});
