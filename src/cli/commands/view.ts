import { VIEW_NAMES } from "../../core/task-types.ts";
import { UsageError } from "../../errors.ts";
import { jsonArg, socketArg } from "../args.ts";
import { defineCommand } from "../command.ts";
import type { CompletionHint } from "../completion/hint.ts";
import { printJson, printLine } from "../output.ts";
import { withClient } from "../session.ts";
import { taskTable } from "../task-format.ts";

const DESCRIPTIONS: Record<(typeof VIEW_NAMES)[number], string> = {
  inbox: "outstanding tasks in no project",
  ondeck: "outstanding blue tasks: alive, but not now",
  today: "outstanding, not blue, with a do-date or late-on date of today or earlier",
  late: "outstanding and past their late-on date",
  upcoming: "outstanding with a do-date in the next 7 days",
};

export default defineCommand({
  meta: { name: "view", description: "A built-in view: inbox, ondeck, today, late, upcoming" },
  args: {
    name: {
      type: "positional",
      description: VIEW_NAMES.join(" | "),
      required: false,
      complete: { values: VIEW_NAMES } satisfies CompletionHint,
    },
    ...jsonArg,
    ...socketArg,
  },
  async run({ args }) {
    if (!args.name) {
      if (args.json)
        return printJson(VIEW_NAMES.map((name) => ({ name, description: DESCRIPTIONS[name] })));
      for (const name of VIEW_NAMES) printLine(`${name.padEnd(9)} ${DESCRIPTIONS[name]}`);
      return;
    }
    const name = args.name as (typeof VIEW_NAMES)[number];
    if (!VIEW_NAMES.includes(name))
      throw new UsageError(
        `Unknown view ${JSON.stringify(args.name)}: use one of ${VIEW_NAMES.join(", ")}.`,
      );
    const [tasks, today] = await withClient(args, (client, daemon) =>
      Promise.all([client.call("view", { name }), daemon.today()]),
    );
    if (args.json) return printJson(tasks);
    printLine(tasks.length === 0 ? `Nothing in ${name}.` : taskTable(tasks, today));
  },
});
