import { jsonArg, socketArg } from "../args.ts";
import { defineCommand } from "../command.ts";
import { nodeHeader } from "../node-format.ts";
import { printJson, printLine } from "../output.ts";
import { withClient } from "../session.ts";

function journalCommand(name: "journal" | "today") {
  return defineCommand({
    meta: {
      name,
      description:
        name === "today"
          ? "Today's journal (created on first use)"
          : "The journal for a date (default today): YYYY-MM-DD, yesterday, friday…",
    },
    args: {
      ...(name === "journal"
        ? { date: { type: "positional" as const, description: "The date", required: false } }
        : {}),
      ...jsonArg,
      ...socketArg,
    },
    async run({ args }) {
      const date = (args as { date?: string }).date;
      const node = await withClient(args, (client) =>
        client.call("journal.get", date ? { date } : {}),
      );
      if (args.json) return printJson(node);
      printLine(nodeHeader(node));
      if (node.body !== "") printLine(`\n${node.body.replace(/\n$/, "")}`);
    },
  });
}

export const journal = journalCommand("journal");
export const today = journalCommand("today");
