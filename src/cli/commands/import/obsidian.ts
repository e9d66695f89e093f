import { resolve } from "node:path";
import { mapObsidianVault } from "../../../import/obsidian/map.ts";
import { defineCommand } from "../../command.ts";
import { importArgs, runImportCommand } from "./runner.ts";

export default defineCommand({
  meta: {
    name: "obsidian",
    description: "Import an Obsidian vault (or a heph Markdown export): notes, daily notes, links",
  },
  args: {
    vault: { type: "positional", description: "The vault's folder", required: true },
    tasks: {
      type: "boolean",
      description: "Make heph tasks of Obsidian Tasks checklist lines (📅 ⏳ 🔁 ⏫ …)",
    },
    "global-filter": {
      type: "string",
      description:
        "Only lines with this text are tasks (default: the Tasks plugin's own setting, else every checklist line)",
      valueHint: "text",
    },
    ...importArgs,
  },
  async run({ args }) {
    const vault = resolve(args.vault as string);
    return runImportCommand("obsidian", vault, args, ({ today }) => {
      const output = mapObsidianVault(vault, {
        today,
        tasks: args.tasks === true,
        globalFilter: args["global-filter"] as string | undefined,
      });
      const a = output.attachments;
      return {
        ...output,
        summary: {
          lines:
            a.files + a.links === 0
              ? []
              : [
                  `\nAttachments: ${a.links} links from notes to ${a.files} files in the vault (${a.missing} to files it does not have). heph keeps the links as written; the files stay in the vault and are not copied.`,
                ],
          json: { attachments: a },
        },
      };
    });
  },
});
