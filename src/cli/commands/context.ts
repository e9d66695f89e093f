import { UsageError } from "../../errors.ts";
import { jsonArg, socketArg } from "../args.ts";
import { defineCommand } from "../command.ts";
import type { CompletionHint } from "../completion/hint.ts";
import { printJson, printLine, printRaw } from "../output.ts";
import { withClient } from "../session.ts";
import { valueOrStdin } from "../task-args.ts";

export default defineCommand({
  meta: {
    name: "context",
    description: "Show, append to, or replace a task's context doc (`-` reads stdin)",
  },
  args: {
    id: {
      type: "positional",
      description: "Task id or unique prefix",
      required: true,
      complete: { dynamic: "task" } satisfies CompletionHint,
    },
    append: { type: "string", description: "Append this text (a new line)", valueHint: "text|-" },
    body: { type: "string", description: "Replace the whole body", valueHint: "text|-" },
    ...jsonArg,
    ...socketArg,
  },
  async run({ args }) {
    if (args.append !== undefined && args.body !== undefined)
      throw new UsageError("Give --append or --body, not both.");
    const append = args.append === undefined ? undefined : await valueOrStdin(args.append);
    const body = args.body === undefined ? undefined : await valueOrStdin(args.body);
    const context = await withClient(args, async (client) => {
      const task = await client.call("task.get", { id: args.id });
      if (!task.context_id) throw new UsageError(`Task ${task.id} has no context doc.`);
      if (append !== undefined)
        return client.call("node.append", { id: task.context_id, text: append });
      if (body !== undefined) return client.call("node.update", { id: task.context_id, body });
      return client.call("node.get", { id: task.context_id });
    });
    if (args.json) return printJson(context);
    if (append === undefined && body === undefined) await printRaw(context.body);
    else printLine(`Saved the context of ${args.id} (${context.body.length} characters).`);
  },
});
