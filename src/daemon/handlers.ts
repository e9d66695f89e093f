import type { Clock } from "../core/clock.ts";
import type { LocalDate } from "../core/task-types.ts";
import { describeMethods } from "../protocol/discover.ts";
import { ERROR_CODES, RpcFailure } from "../protocol/envelope.ts";
import { methods } from "../protocol/methods.ts";
import type { DaemonInfo } from "../protocol/schemas.ts";
import type { Task } from "../protocol/task-schemas.ts";
import type { Store } from "../store/store.ts";
import { VERSION } from "../version.ts";
import { describeIssues, type Handlers } from "./dispatch.ts";
import { createEditorHandlers } from "./editor-handlers.ts";
import { createEventHandlers, type EventHub } from "./events.ts";
import { createImportHandlers } from "./import/handlers.ts";
import { createListingHandlers } from "./listing-handlers.ts";
import type { Logger } from "./log.ts";
import { createNodeHandlers } from "./node-handlers.ts";
import { createProjectHandlers } from "./project-handlers.ts";
import { createSyncHandlers, type SyncRuntime } from "./sync-handlers.ts";
import { createTaskHandlers } from "./task-handlers.ts";

/** The method implementations: validated params in, plain results out. */
export function createHandlers(context: {
  store: Store;
  /** The daemon's calendar date now, in its time zone: what "today" means to every method. */
  today: () => LocalDate;
  info: () => DaemonInfo;
  /** Live events: who is subscribed, and what each commit tells them. */
  events: EventHub;
  /** Begins a graceful stop after the current reply has gone out. */
  requestStop: (reason: string) => void;
  /** The daemon's clock, for timestamps the handlers write themselves (exports, imports). */
  clock?: Clock;
  logger?: Logger;
  /** What the daemon runs of sync (nothing unless it is a hub or a spoke). */
  sync?: () => SyncRuntime;
}): Handlers {
  const tasks = createTaskHandlers(context);

  /** A task's frontmatter fields, applied with the same rules as the task methods. */
  const applyTaskFields = (id: string, fields: Record<string, string | null>) => {
    const { state, ...rest } = fields;
    if (Object.keys(rest).length > 0) {
      const parsed = methods["task.update"].params.safeParse({ id, ...rest });
      if (!parsed.success) {
        throw new RpcFailure(
          ERROR_CODES.invalidParams,
          `Invalid params: body: frontmatter: ${describeIssues(parsed.error.issues)}`,
          {
            kind: "invalid_params",
            issues: parsed.error.issues.map((issue) => ({
              path: ["body", ...issue.path.map(String)],
              code: issue.code,
              message: issue.message,
            })),
          },
        );
      }
      tasks["task.update"](parsed.data);
    }
    if (state === undefined || state === null) return;
    // Task handlers are synchronous (bun:sqlite is), so this is the task itself.
    const current = tasks["task.get"]({ id }) as Task;
    if (current.state === state) return;
    if (state === "done") tasks["task.done"]({ id });
    else if (state === "dropped") tasks["task.drop"]({ id });
    else if (state === "outstanding") tasks["task.reopen"]({ id });
    else {
      throw new RpcFailure(
        ERROR_CODES.invalidParams,
        `Invalid params: body: frontmatter: state must be outstanding, done or dropped, not ${state}`,
        {
          kind: "invalid_params",
          issues: [
            {
              path: ["body", "state"],
              code: "custom",
              message: "must be outstanding, done or dropped",
            },
          ],
        },
      );
    }
  };

  return {
    ...tasks,
    ...createProjectHandlers(context.store),
    ...createNodeHandlers({ ...context, applyTaskFields }),
    ...createListingHandlers(context.store),
    ...createEventHandlers(context.events),
    ...createEditorHandlers({
      store: context.store,
      // Task handlers are synchronous (bun:sqlite is), so this is the task itself.
      addTask: (line) => tasks["task.add"]({ line }) as Task,
    }),
    ...createImportHandlers({ ...context, clock: context.clock ?? (() => new Date()) }),
    ...createSyncHandlers({
      store: context.store,
      sync: context.sync ?? (() => ({ role: "off", replica: null })),
      clock: context.clock ?? (() => new Date()),
    }),
    "daemon.info": () => context.info(),
    "daemon.shutdown": () => {
      context.requestStop("daemon.shutdown");
      return { stopping: true as const, pid: process.pid };
    },
    "rpc.discover": () => describeMethods(VERSION),
  };
}
