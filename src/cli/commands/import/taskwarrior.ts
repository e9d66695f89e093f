import { UsageError } from "../../../errors.ts";
import { readInput } from "../../../import/input.ts";
import { mapTaskwarrior, readTaskwarriorRecords } from "../../../import/taskwarrior.ts";
import { defineCommand } from "../../command.ts";
import { importArgs, runImportCommand } from "./runner.ts";

export default defineCommand({
  meta: {
    name: "taskwarrior",
    description: "Import the JSON of `task export` (a file, or - / nothing for stdin)",
  },
  args: {
    file: {
      type: "positional",
      description: "The export file; - or none reads stdin",
      required: false,
    },
    ...importArgs,
  },
  async run({ args }) {
    const file = args.file as string | undefined;
    if (file === undefined && process.stdin.isTTY)
      throw new UsageError(
        "Give the export file, or pipe it in: `task export | heph import taskwarrior -`.",
      );
    const input = await readInput(file);
    const { records, problems } = readTaskwarriorRecords(input);
    return runImportCommand("taskwarrior", input.name, args, ({ timeZone }) => {
      const output = mapTaskwarrior(records, { timeZone });
      return { ...output, problems: [...problems, ...output.problems] };
    });
  },
});
