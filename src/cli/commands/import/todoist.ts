import { statSync } from "node:fs";
import { readInput } from "../../../import/input.ts";
import { readTodoist } from "../../../import/todoist.ts";
import { defineCommand } from "../../command.ts";
import { importArgs, runImportCommand } from "./runner.ts";

export default defineCommand({
  meta: {
    name: "todoist",
    description: "Import a Todoist project template (CSV) or a Sync API backup (JSON)",
  },
  args: {
    file: { type: "positional", description: "The .csv template or .json backup", required: true },
    ...importArgs,
  },
  async run({ args }) {
    const input = await readInput(args.file as string);
    // The CSV has no times: its comments are dated when the file was written, the same every run.
    const fileTime = statSync(args.file as string).mtime.toISOString();
    return runImportCommand("todoist", input.name, args, ({ today, timeZone }) =>
      readTodoist(input, { today, timeZone, fileTime }),
    );
  },
});
