/** `heph undo` / `heph redo`: this device's last change, with the sync engine's undo. */
import type { UndoResult } from "../../protocol/sync-methods.ts";
import { jsonArg, socketArg } from "../args.ts";
import { defineCommand } from "../command.ts";
import { printJson, printLine } from "../output.ts";
import { withClient } from "../session.ts";

function report(which: "undo" | "redo", result: UndoResult) {
  if (!result.done) return printLine(`Nothing to ${which}.`);
  const verb = which === "undo" ? "Undid" : "Redid";
  for (const node of result.nodes)
    printLine(`${verb}: ${node.title} (${node.id})${node.deleted ? " — now deleted" : ""}`);
  printLine(`${result.remaining} more to ${which}.`);
}

function command(which: "undo" | "redo", description: string) {
  return defineCommand({
    meta: { name: which, description },
    args: { ...jsonArg, ...socketArg },
    async run({ args }) {
      const result = await withClient(args, (client) => client.call(which, {}));
      if (args.json) return printJson(result);
      report(which, result);
    },
  });
}

export const undo = command("undo", "Undo this device's last change (it syncs like any change)");
export const redo = command("redo", "Redo what the last undo undid");
