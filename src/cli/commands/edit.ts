import { defineCommand } from "citty";
import { UsageError } from "../../errors.ts";
import { jsonArg, socketArg } from "../args.ts";
import { printJson, printLine } from "../output.ts";
import { withClient } from "../session.ts";
import { orNone, recurrenceFrom, scheduleArgs } from "../task-args.ts";
import { taskDetails, terminalToday } from "../task-format.ts";

export default defineCommand({
  meta: {
    name: "edit",
    description: "Change a task's fields; `none` clears a date, the rule or the project",
  },
  args: {
    id: { type: "positional", description: "Task id or unique prefix", required: true },
    title: { type: "string", description: "New title", valueHint: "text" },
    ...scheduleArgs,
    ...jsonArg,
    ...socketArg,
  },
  async run({ args }) {
    const recurrence = orNone(recurrenceFrom(args));
    const changes = {
      ...(args.title !== undefined ? { title: args.title } : {}),
      ...(args.attention !== undefined ? { attention: args.attention as "white" } : {}),
      ...(args.do !== undefined ? { do_date: orNone(args.do) } : {}),
      ...(args.late !== undefined ? { late_on: orNone(args.late) } : {}),
      ...(recurrence !== undefined ? { recurrence } : {}),
      ...(args.project !== undefined ? { project: orNone(args.project) } : {}),
    };
    if (Object.keys(changes).length === 0) {
      throw new UsageError(
        "Nothing to change: give --title, --do, --late, --attention, --recur/--rrule or --project.",
      );
    }
    const task = await withClient(args, (client) =>
      client.call("task.update", { id: args.id, ...changes }),
    );
    if (args.json) return printJson(task);
    printLine(taskDetails(task, terminalToday()));
  },
});
