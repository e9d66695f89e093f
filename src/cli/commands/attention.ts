import { ATTENTIONS } from "../../core/task-types.ts";
import { UsageError } from "../../errors.ts";
import { jsonArg, socketArg } from "../args.ts";
import { defineCommand } from "../command.ts";
import type { CompletionHint } from "../completion/hint.ts";
import { printJson, printLine } from "../output.ts";
import { withClient } from "../session.ts";

export default defineCommand({
  meta: {
    name: "attention",
    description: "Set a task's attention: white, orange, red, blue (on deck)",
  },
  args: {
    id: {
      type: "positional",
      description: "Task id or unique prefix",
      required: true,
      complete: { dynamic: "task" } satisfies CompletionHint,
    },
    colour: {
      type: "positional",
      description: ATTENTIONS.join(" | "),
      required: true,
      complete: { values: ATTENTIONS } satisfies CompletionHint,
    },
    ...jsonArg,
    ...socketArg,
  },
  async run({ args }) {
    const colour = args.colour.toLowerCase() as (typeof ATTENTIONS)[number];
    if (!ATTENTIONS.includes(colour))
      throw new UsageError(
        `Unknown colour ${JSON.stringify(args.colour)}: use ${ATTENTIONS.join(", ")}.`,
      );
    const task = await withClient(args, (client) =>
      client.call("task.set_attention", { id: args.id, attention: colour }),
    );
    if (args.json) return printJson(task);
    printLine(`${task.title}: attention ${task.attention}`);
  },
});
