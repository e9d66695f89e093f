import { probeDaemon, shutdownDaemon } from "../../../service/control.ts";
import { jsonArg } from "../../args.ts";
import { defineCommand } from "../../command.ts";
import { daemonContext } from "../../daemon-support.ts";
import { printJson, printLine } from "../../output.ts";

export default defineCommand({
  meta: {
    name: "stop",
    description: "Stop the daemon now; the service stays installed and starts again at next login",
  },
  args: { ...jsonArg },
  async run({ args }) {
    const { manager, detection, paths } = await daemonContext();
    const actions: string[] = [];
    if (manager && detection.ok) actions.push(...(await manager.stop()).actions);
    // Whatever still answers (a daemon started by hand or unmanaged) is asked to stop too.
    if (await probeDaemon(paths.socket))
      actions.push(...(await shutdownDaemon(paths.socket, paths.db)));
    if (args.json) {
      printJson({ running: false, actions });
      return;
    }
    for (const action of actions) printLine(`  ${action}`);
    printLine(actions.length > 0 ? "hephd is stopped." : "hephd was not running.");
  },
});
