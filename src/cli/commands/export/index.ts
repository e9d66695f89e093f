import { defineCommand } from "../../command.ts";

export default defineCommand({
  meta: { name: "export", description: "Get every byte out: the whole store as JSON" },
  subCommands: {
    json: () => import("./json.ts").then((m) => m.default),
  },
});
