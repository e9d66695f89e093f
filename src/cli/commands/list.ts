import { ATTENTIONS, TASK_STATES } from "../../core/task-types.ts";
import { UsageError } from "../../errors.ts";
import { jsonArg, socketArg } from "../args.ts";
import { defineCommand } from "../command.ts";
import type { CompletionHint } from "../completion/hint.ts";
import { printJson, printLine } from "../output.ts";
import { withClient } from "../session.ts";
import { taskTable } from "../task-format.ts";

function listOf<T extends string>(
  flag: string,
  value: string | undefined,
  allowed: readonly T[],
): T[] | undefined {
  if (value === undefined) return undefined;
  const items = value
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
  const wrong = items.filter((item) => !allowed.includes(item as T));
  if (wrong.length > 0)
    throw new UsageError(
      `--${flag} takes ${allowed.join(", ")} (comma-separated), not ${wrong.join(", ")}.`,
    );
  return items as T[];
}

export default defineCommand({
  meta: {
    name: "list",
    description: "Tasks matching filters (default: outstanding), in the next order",
  },
  args: {
    project: {
      type: "string",
      description: "Only this project and its sub-projects",
      valueHint: "name",
      complete: { dynamic: "project" } satisfies CompletionHint,
    },
    "no-subprojects": { type: "boolean", description: "With --project: not its sub-projects" },
    unfiled: { type: "boolean", description: "Only tasks in no project" },
    attention: {
      type: "string",
      description: "Only these colours, e.g. red,orange",
      valueHint: "colours",
      complete: { values: ATTENTIONS, list: true } satisfies CompletionHint,
    },
    "exclude-attention": {
      type: "string",
      description: "Not these colours, e.g. blue",
      valueHint: "colours",
      complete: { values: ATTENTIONS, list: true } satisfies CompletionHint,
    },
    state: {
      type: "string",
      description: "outstanding, done, dropped (comma-separated)",
      valueHint: "states",
      complete: { values: TASK_STATES, list: true } satisfies CompletionHint,
    },
    all: { type: "boolean", description: "Every state" },
    actionable: {
      type: "boolean",
      description: "Only what next considers: not blue, do-date reached",
    },
    "do-from": { type: "string", description: "Do-date on or after", valueHint: "date" },
    "do-to": { type: "string", description: "Do-date on or before", valueHint: "date" },
    "late-from": { type: "string", description: "Late-on on or after", valueHint: "date" },
    "late-to": { type: "string", description: "Late-on on or before", valueHint: "date" },
    limit: { type: "string", description: "At most this many (default 1000)", valueHint: "n" },
    ...jsonArg,
    ...socketArg,
  },
  async run({ args }) {
    const limit = args.limit === undefined ? undefined : Number(args.limit);
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1))
      throw new UsageError(`--limit takes a whole number of 1 or more, not ${args.limit}.`);
    if (args.all && args.state) throw new UsageError("Give --all or --state, not both.");
    const filter = {
      // citty reads --no-subprojects as "subprojects: false".
      ...(args.project
        ? {
            project: args.project,
            subprojects:
              (args as { subprojects?: boolean }).subprojects !== false && !args["no-subprojects"],
          }
        : {}),
      ...(args.unfiled ? { unfiled: true } : {}),
      ...(args.attention ? { attention: listOf("attention", args.attention, ATTENTIONS) } : {}),
      ...(args["exclude-attention"]
        ? { exclude_attention: listOf("exclude-attention", args["exclude-attention"], ATTENTIONS) }
        : {}),
      ...(args.all
        ? { state: [...TASK_STATES] }
        : args.state
          ? { state: listOf("state", args.state, TASK_STATES) }
          : {}),
      ...(args.actionable ? { actionable: true } : {}),
      ...(args["do-from"] ? { do_from: args["do-from"] } : {}),
      ...(args["do-to"] ? { do_to: args["do-to"] } : {}),
      ...(args["late-from"] ? { late_from: args["late-from"] } : {}),
      ...(args["late-to"] ? { late_to: args["late-to"] } : {}),
      ...(limit ? { limit } : {}),
    };
    const [tasks, today] = await withClient(args, (client, daemon) =>
      Promise.all([client.call("list", filter), daemon.today()]),
    );
    if (args.json) return printJson(tasks);
    printLine(tasks.length === 0 ? "No tasks match." : taskTable(tasks, today));
  },
});
