import { defineCommand } from "../../command.ts";

export default defineCommand({
  meta: { name: "project", description: "Create, list, move and rename projects" },
  subCommands: {
    add: () => import("./add.ts").then((m) => m.default),
    list: () => import("./list.ts").then((m) => m.default),
    move: () => import("./move.ts").then((m) => m.default),
    rename: () => import("./rename.ts").then((m) => m.default),
  },
});
