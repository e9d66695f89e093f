import { defineCommand } from "../../command.ts";

export default defineCommand({
  meta: { name: "doc", description: "Create and show docs (notes)" },
  subCommands: {
    new: () => import("./new.ts").then((m) => m.default),
    show: () => import("./show.ts").then((m) => m.default),
  },
});
