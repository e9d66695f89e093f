import { defineCommand } from "../../command.ts";

export default defineCommand({
  meta: {
    name: "import",
    description: "Bring data in: Obsidian, Taskwarrior, Todoist (idempotent; --dry-run first)",
  },
  subCommands: {
    obsidian: () => import("./obsidian.ts").then((m) => m.default),
    taskwarrior: () => import("./taskwarrior.ts").then((m) => m.default),
    todoist: () => import("./todoist.ts").then((m) => m.default),
  },
});
