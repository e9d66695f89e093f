import { UsageError } from "../../errors.ts";
import { jsonArg, socketArg } from "../args.ts";
import { defineCommand } from "../command.ts";
import { printJson, printLine } from "../output.ts";
import { withClient } from "../session.ts";
import { taskTable } from "../task-format.ts";

export default defineCommand({
  meta: {
    name: "next",
    description: "What should I do next? Late first, then red, orange, white; oldest first",
  },
  args: {
    limit: { type: "string", description: "How many tasks (default 10)", valueHint: "n" },
    explain: { type: "boolean", description: "Say why each task sits where it does" },
    ...jsonArg,
    ...socketArg,
  },
  async run({ args }) {
    const limit = args.limit === undefined ? 10 : Number(args.limit);
    if (!Number.isInteger(limit) || limit < 1)
      throw new UsageError(
        `--limit takes a whole number of 1 or more, not ${JSON.stringify(args.limit)}.`,
      );
    const [tasks, today] = await withClient(args, (client, daemon) =>
      Promise.all([client.call("next", { limit, explain: Boolean(args.explain) }), daemon.today()]),
    );
    if (args.json) return printJson(tasks);
    if (tasks.length === 0) {
      printLine(
        "Nothing to do right now: no outstanding task is due. (`heph view upcoming` shows what is coming.)",
      );
      return;
    }
    printLine(taskTable(tasks, today, { explain: Boolean(args.explain) }));
  },
});
