import { defineCommand } from "../../command.ts";

export default defineCommand({
  meta: { name: "tag", description: "Add or remove a node's tags" },
  subCommands: {
    add: () => import("./change.ts").then((m) => m.add),
    rm: () => import("./change.ts").then((m) => m.rm),
  },
});
