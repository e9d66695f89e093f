/** `heph sync [--status]`: sync with the hub now, or say where sync stands. */
import type { SyncStatus } from "../../protocol/sync-methods.ts";
import { jsonArg, socketArg } from "../args.ts";
import { defineCommand } from "../command.ts";
import { table } from "../format.ts";
import { printJson, printLine } from "../output.ts";
import { withClient } from "../session.ts";

export function describeStatus(status: SyncStatus): string {
  const rows: Array<[string, string]> = [["role", status.role]];
  if (status.hub_url)
    rows.push(["hub", `${status.hub_url} (${status.online ? "online" : "offline"})`]);
  if (status.device) rows.push(["device", status.device]);
  if (status.role === "spoke") {
    rows.push(["last success", status.last_success_at ?? "never"]);
    rows.push([
      "last error",
      status.last_error ? `${status.last_error.at}: ${status.last_error.message}` : "none",
    ]);
  }
  // A store that synced before, run without its hub, still has changes waiting for it.
  if (status.role === "spoke" || status.pending > 0)
    rows.push(["pending", `${status.pending} change(s) not yet on the hub`]);
  rows.push(["hub log", String(status.hub_seq)]);
  rows.push([
    "conflicts",
    `${status.conflicts} open${status.conflicts > 0 ? " (heph conflicts)" : ""}`,
  ]);
  rows.push(["auth failures", String(status.auth_failures)]);
  if (status.devices !== null) rows.push(["devices", `${status.devices} live token(s)`]);
  return table(rows);
}

export default defineCommand({
  meta: {
    name: "sync",
    description:
      "Sync with the hub now (push this device's changes, pull the others'); --status reports",
  },
  args: {
    status: {
      type: "boolean",
      description: "Only report: last success and error, pending changes, conflicts",
    },
    ...jsonArg,
    ...socketArg,
  },
  async run({ args }) {
    const status = await withClient(args, (client) =>
      args.status
        ? client.call("sync.status", {})
        : client.call("sync.now", {}, { timeoutMs: 600_000 }),
    );
    if (args.json) return printJson(status);
    if (!args.status) printLine(`Synced with ${status.hub_url}.`);
    printLine(describeStatus(status));
  },
});
