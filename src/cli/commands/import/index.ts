import { defineCommand } from "../../command.ts";

export default defineCommand({
  meta: {
    name: "import",
    description: "Bring data in: Taskwarrior, Todoist (idempotent; --dry-run first)",
  },
  subCommands: {
    taskwarrior: () => import("./taskwarrior.ts").then((m) => m.default),
    todoist: () => import("./todoist.ts").then((m) => m.default),
  },
});
