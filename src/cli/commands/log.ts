import { jsonArg, socketArg } from "../args.ts";
import { defineCommand } from "../command.ts";
import type { CompletionHint } from "../completion/hint.ts";
import { printJson, printLine } from "../output.ts";
import { withClient } from "../session.ts";
import { logLines } from "../task-format.ts";

export default defineCommand({
  meta: { name: "log", description: "Append a note to a task's log, or show the log's end" },
  args: {
    id: {
      type: "positional",
      description: "Task id or unique prefix",
      required: true,
      complete: { dynamic: "task" } satisfies CompletionHint,
    },
    text: { type: "positional", description: "A note to append", required: false },
    ...jsonArg,
    ...socketArg,
  },
  async run({ args }) {
    if (args.text) {
      const entry = await withClient(args, (client) =>
        client.call("log.append", { id: args.id, text: args.text as string }),
      );
      if (args.json) return printJson(entry);
      printLine(`Logged at ${entry.at}.`);
      return;
    }
    const entries = await withClient(args, (client) =>
      client.call("log.tail", { id: args.id, limit: 20 }),
    );
    if (args.json) return printJson(entries);
    printLine(entries.length === 0 ? "The log is empty." : logLines(entries));
  },
});
