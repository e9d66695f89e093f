import { jsonArg, socketArg } from "../args.ts";
import { defineCommand } from "../command.ts";
import type { CompletionHint } from "../completion/hint.ts";
import { editInEditor } from "../editor.ts";
import { printJson, printLine } from "../output.ts";
import { withClient } from "../session.ts";
import { orNone, recurrenceFrom, scheduleArgs } from "../task-args.ts";
import { taskDetails } from "../task-format.ts";

export default defineCommand({
  meta: {
    name: "edit",
    description:
      "Open a node in $VISUAL/$EDITOR (frontmatter and body); with flags, change a task's fields instead (`none` clears)",
  },
  args: {
    id: {
      type: "positional",
      description: "id, id prefix, title or alias",
      required: true,
      complete: { dynamic: "node" } satisfies CompletionHint,
    },
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
      const outcome = await withClient(args, (client) => editInEditor(client, args.id));
      if (args.json) return printJson(outcome);
      printLine(outcome.saved ? `Saved (${outcome.updated_at}).` : "No changes.");
      return;
    }
    const [task, today] = await withClient(args, async (client, daemon) => {
      const node = await client.call("node.find", { ref: args.id });
      return Promise.all([client.call("task.update", { id: node.id, ...changes }), daemon.today()]);
    });
    if (args.json) return printJson(task);
    printLine(taskDetails(task, today));
  },
});
