import { probeDaemon, shutdownDaemon } from "../../../service/control.ts";
import { defaultManagerContext } from "../../../service/select.ts";
import { daemonSettingsFile, removeSavedSyncFlags } from "../../../service/sync-settings.ts";
import { jsonArg } from "../../args.ts";
import { defineCommand } from "../../command.ts";
import { daemonContext } from "../../daemon-support.ts";
import { printJson, printLine } from "../../output.ts";

export default defineCommand({
  meta: {
    name: "uninstall",
    description: "Stop the daemon and remove the service for good (your data stays)",
  },
  args: { ...jsonArg },
  async run({ args }) {
    const { manager, detection, paths } = await daemonContext();
    const actions: string[] = [];
    if (manager && detection.ok) actions.push(...(await manager.uninstall()).actions);
    if (await probeDaemon(paths.socket))
      actions.push(...(await shutdownDaemon(paths.socket, paths.db)));
    // The saved sync flags go with the service: a later `start` is a plain local daemon.
    const { env, home } = defaultManagerContext();
    actions.push(...removeSavedSyncFlags(daemonSettingsFile(env, home)));
    if (args.json) {
      printJson({
        installed: false,
        running: false,
        actions,
        kept: { db: paths.db, log: paths.log },
      });
      return;
    }
    for (const action of actions) printLine(`  ${action}`);
    printLine(
      actions.length > 0
        ? "The heph service is uninstalled."
        : "The heph service was not installed.",
    );
    printLine(`Your data stays: ${paths.db} (log: ${paths.log}).`);
  },
});
