import { defineCommand } from "../../command.ts";

export default defineCommand({
  meta: { name: "hub", description: "Manage a sync hub (run against the hub's daemon)" },
  subCommands: {
    token: () => import("./token.ts").then((m) => m.default),
    subject: () => import("./subject.ts").then((m) => m.default),
  },
});
