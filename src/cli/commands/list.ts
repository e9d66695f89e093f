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

/** How many rows `heph list` shows when neither --limit nor --all says otherwise. */
export const PAGE_SIZE = 50;

/** 19950 → "19,950". */
function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/**
 * The line after a page that did not hold every match, on stderr: `more` is a number, or null
 * when the daemon cannot count (one older than list.count). It names the flag that shows the
 * rest, which depends on the flags given: --all alone also adds done and dropped tasks.
 */
export function moreHint(
  more: number | null,
  given: { all: boolean; state: boolean; limit: boolean },
): string {
  const how =
    given.all && given.limit
      ? "--all without --limit for all of them"
      : given.state || given.all
        ? "--limit N for more, --all for all of them"
        : "--limit N for more, --all for every task in every state";
  return `… ${more === null ? "more may match" : `${grouped(more)} more`} (${how})`;
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
    all: {
      type: "boolean",
      description: "Every task: no page limit, and every state unless --state names some",
    },
    actionable: {
      type: "boolean",
      description: "Only what next considers: not blue, do-date reached",
    },
    "do-from": { type: "string", description: "Do-date on or after", valueHint: "date" },
    "do-to": { type: "string", description: "Do-date on or before", valueHint: "date" },
    "late-from": { type: "string", description: "Late-on on or after", valueHint: "date" },
    "late-to": { type: "string", description: "Late-on on or before", valueHint: "date" },
    limit: {
      type: "string",
      description: `At most this many (default ${PAGE_SIZE}, or all with --all)`,
      valueHint: "n",
    },
    ...jsonArg,
    ...socketArg,
  },
  async run({ args }) {
    const limit = args.limit === undefined ? undefined : Number(args.limit);
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1))
      throw new UsageError(`--limit takes a whole number of 1 or more, not ${args.limit}.`);
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
      // --all: every state, unless --state narrows it.
      ...(args.state
        ? { state: listOf("state", args.state, TASK_STATES) }
        : args.all
          ? { state: [...TASK_STATES] }
          : {}),
      ...(args.actionable ? { actionable: true } : {}),
      ...(args["do-from"] ? { do_from: args["do-from"] } : {}),
      ...(args["do-to"] ? { do_to: args["do-to"] } : {}),
      ...(args["late-from"] ? { late_from: args["late-from"] } : {}),
      ...(args["late-to"] ? { late_to: args["late-to"] } : {}),
    };
    // A page unless --all lifts the cap; an explicit --limit wins over both.
    const pageLimit = limit ?? (args.all ? null : PAGE_SIZE);
    await withClient(args, async (client, daemon) => {
      const tasks = client.call("list", { ...filter, limit: pageLimit });
      // The count goes on the same connection once the page is in, and only when the page is
      // full: the daemon counts while the rows are printed (asked together, the daemon would
      // run both before sending either reply). It only adds a hint, so any failure of it (a
      // daemon older than list.count, say) leaves the hint without a number.
      const counted: Promise<number | null> =
        pageLimit === null
          ? Promise.resolve(null)
          : tasks
              .then((rows) =>
                rows.length < pageLimit
                  ? rows.length
                  : client.call("list.count", filter).then((reply) => reply.count),
              )
              .catch(() => null);
      const [page, today] = await Promise.all([tasks, daemon.today()]);
      if (args.json) printJson(page);
      else printLine(page.length === 0 ? "No tasks match." : taskTable(page, today));
      const count = await counted;
      // On stderr: stdout stays the rows (or the JSON) alone, for pipes and scripts.
      const full = pageLimit !== null && page.length === pageLimit;
      if (count === null ? full : count > page.length) {
        const hint = moreHint(count === null ? null : count - page.length, {
          all: Boolean(args.all),
          state: Boolean(args.state),
          limit: limit !== undefined,
        });
        console.error(hint);
      }
    });
  },
});
