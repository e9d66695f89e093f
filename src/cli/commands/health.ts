import { jsonArg, socketArg } from "../args.ts";
import { defineCommand } from "../command.ts";
import { formatDuration, table } from "../format.ts";
import { printJson, printLine } from "../output.ts";
import { withClient } from "../session.ts";

export default defineCommand({
  meta: {
    name: "health",
    description: "Ask the running daemon who it is: version, pid, uptime and paths",
  },
  args: { ...jsonArg, ...socketArg },
  async run({ args }) {
    const info = await withClient(args, (client) => client.call("daemon.info", {}));
    if (args.json) {
      printJson(info);
      return;
    }
    printLine(
      `hephd ${info.version} is running (pid ${info.pid}, mode ${info.mode}, up ${formatDuration(info.uptime_ms)})`,
    );
    const sync: Array<[string, string]> = [];
    if (info.http_url) sync.push(["hub at", info.http_url]);
    if (info.hub_url)
      sync.push([info.mode === "client" ? "forwards to" : "syncs with", info.hub_url]);
    printLine(
      table([
        [
          "store",
          info.mode === "client"
            ? "none (client mode)"
            : `${info.db} (schema ${info.schema_version})`,
        ],
        ...sync,
        ["socket", info.socket],
        ["log", info.log],
        ["binary", info.binary],
        ["started", info.started_at],
      ]),
    );
  },
});
