/** done, skip, drop and reopen: one verb over one or more tasks. */

import type { RpcClient } from "../../client/client.ts";
import { EXIT } from "../../errors.ts";
import type { Task } from "../../protocol/task-schemas.ts";
import { jsonArg, socketArg } from "../args.ts";
import { defineCommand } from "../command.ts";
import type { CompletionHint } from "../completion/hint.ts";
import { messageOf } from "../exit.ts";
import { printError, printJson, printLine } from "../output.ts";
import { withClient } from "../session.ts";
import { dateChip } from "../task-format.ts";

type Verb = "done" | "skip" | "drop" | "reopen";

const DESCRIPTIONS: Record<Verb, string> = {
  done: "Complete tasks; a recurring one moves to its next occurrence",
  skip: "Move recurring tasks to their next occurrence without completing",
  drop: "End tasks without doing them",
  reopen: "Make done or dropped tasks outstanding again",
};

function outcome(verb: Verb, task: Task, today: string): string {
  if (task.state === "outstanding" && task.recurrence && (verb === "done" || verb === "skip")) {
    return `${verb === "done" ? "Done" : "Skipped"}: ${task.title} ↻ next ${dateChip(task.do_date, today)} (${task.do_date})`;
  }
  const word = { done: "Done", skip: "Skipped", drop: "Dropped", reopen: "Reopened" }[verb];
  return `${word}: ${task.title}`;
}

function verbCommand(verb: Verb) {
  return defineCommand({
    meta: { name: verb, description: DESCRIPTIONS[verb] },
    args: {
      ids: {
        type: "positional",
        description: "Task ids or unique prefixes",
        required: true,
        valueHint: "id…",
        complete: { dynamic: verb === "reopen" ? "closed-task" : "task" } satisfies CompletionHint,
      },
      ...jsonArg,
      ...socketArg,
    },
    async run({ args }) {
      const ids = [args.ids, ...args._.slice(1)];
      const [results, today] = await withClient(args, (client: RpcClient, daemon) =>
        Promise.all([
          Promise.all(
            ids.map((id) =>
              client.call(`task.${verb}`, { id }).then(
                (task) => ({ id, task, error: null }),
                (error: unknown) => ({ id, task: null, error: messageOf(error) }),
              ),
            ),
          ),
          daemon.today(),
        ]),
      );
      if (args.json) printJson(results);
      for (const result of results) {
        if (result.task && !args.json) printLine(outcome(verb, result.task, today));
        if (result.error) await printError(`${result.id}: ${result.error}`);
      }
      return results.some((result) => result.error) ? EXIT.failure : EXIT.ok;
    },
  });
}

export const done = verbCommand("done");
export const skip = verbCommand("skip");
export const drop = verbCommand("drop");
export const reopen = verbCommand("reopen");
