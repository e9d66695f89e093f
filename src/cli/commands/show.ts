import { jsonArg, socketArg } from "../args.ts";
import { defineCommand } from "../command.ts";
import type { CompletionHint } from "../completion/hint.ts";
import { printJson, printLine } from "../output.ts";
import { withClient } from "../session.ts";
import { logLines, taskDetails } from "../task-format.ts";

export default defineCommand({
  meta: { name: "show", description: "A task with its context doc and the end of its log" },
  args: {
    id: {
      type: "positional",
      description: "Task id or unique prefix",
      required: true,
      complete: { dynamic: "task" } satisfies CompletionHint,
    },
    ...jsonArg,
    ...socketArg,
  },
  async run({ args }) {
    const shown = await withClient(args, async (client, daemon) => {
      const task = await client.call("task.get", { id: args.id });
      const [context, log, today] = await Promise.all([
        task.context_id ? client.call("node.get", { id: task.context_id }) : Promise.resolve(null),
        client.call("log.tail", { id: task.id, limit: 10 }),
        daemon.today(),
      ]);
      return { task, context, log, today };
    });
    if (args.json)
      return printJson({ ...shown.task, context: shown.context?.body ?? null, log: shown.log });
    printLine(taskDetails(shown.task, shown.today));
    if (shown.context && shown.context.body.trim() !== "") {
      printLine("\ncontext:");
      printLine(shown.context.body.replace(/\n$/, "").replace(/^/gm, "  "));
    }
    if (shown.log.length > 0) {
      printLine("\nlog:");
      printLine(logLines(shown.log));
    }
  },
});
