import { VERSION } from "../version.ts";
import { defineCommand } from "./command.ts";
import { runCli } from "./run.ts";

/**
 * Sub-commands load lazily: a command pays only for the modules it uses. Most never load zod
 * at all (they do not check replies; the daemon checks every request).
 */
export const root = defineCommand({
  meta: {
    name: "heph",
    version: VERSION,
    description: "heph — tasks and notes, served by the hephd daemon",
  },
  subCommands: {
    add: () => import("./commands/add.ts").then((m) => m.default),
    task: () => import("./commands/task.ts").then((m) => m.default),
    next: () => import("./commands/next.ts").then((m) => m.default),
    list: () => import("./commands/list.ts").then((m) => m.default),
    view: () => import("./commands/view.ts").then((m) => m.default),
    show: () => import("./commands/show.ts").then((m) => m.default),
    done: () => import("./commands/finish.ts").then((m) => m.done),
    skip: () => import("./commands/finish.ts").then((m) => m.skip),
    drop: () => import("./commands/finish.ts").then((m) => m.drop),
    reopen: () => import("./commands/finish.ts").then((m) => m.reopen),
    attention: () => import("./commands/attention.ts").then((m) => m.default),
    edit: () => import("./commands/edit.ts").then((m) => m.default),
    context: () => import("./commands/context.ts").then((m) => m.default),
    log: () => import("./commands/log.ts").then((m) => m.default),
    project: () => import("./commands/project/index.ts").then((m) => m.default),
    doc: () => import("./commands/doc/index.ts").then((m) => m.default),
    links: () => import("./commands/links.ts").then((m) => m.links),
    backlinks: () => import("./commands/links.ts").then((m) => m.backlinks),
    resolve: () => import("./commands/resolve.ts").then((m) => m.default),
    today: () => import("./commands/journal.ts").then((m) => m.today),
    journal: () => import("./commands/journal.ts").then((m) => m.journal),
    search: () => import("./commands/search.ts").then((m) => m.default),
    tag: () => import("./commands/tag/index.ts").then((m) => m.default),
    health: () => import("./commands/health.ts").then((m) => m.default),
    import: () => import("./commands/import/index.ts").then((m) => m.default),
    export: () => import("./commands/export/index.ts").then((m) => m.default),
    backup: () => import("./commands/backup.ts").then((m) => m.default),
    sync: () => import("./commands/sync.ts").then((m) => m.default),
    undo: () => import("./commands/undo.ts").then((m) => m.undo),
    redo: () => import("./commands/undo.ts").then((m) => m.redo),
    conflicts: () => import("./commands/conflicts.ts").then((m) => m.default),
    hub: () => import("./commands/hub/index.ts").then((m) => m.default),
    auth: () => import("./commands/auth/index.ts").then((m) => m.default),
    daemon: () => import("./commands/daemon/index.ts").then((m) => m.default),
    completion: () => import("./commands/completion.ts").then((m) => m.default),
    // Hidden: the completion scripts' helper, left out of --help and of the scripts themselves.
    __complete: () => import("./commands/complete.ts").then((m) => m.default),
  },
});

export function cliMain(argv: string[]): Promise<number> {
  return runCli(root, argv);
}
