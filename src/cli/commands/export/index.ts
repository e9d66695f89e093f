import { defineCommand } from "../../command.ts";

export default defineCommand({
  meta: {
    name: "export",
    description: "Get every byte out: the whole store as JSON, or as an Obsidian vault",
  },
  subCommands: {
    markdown: () => import("./markdown.ts").then((m) => m.default),
    json: () => import("./json.ts").then((m) => m.default),
  },
});
