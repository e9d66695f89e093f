import { probeDaemon, shutdownDaemon, waitForDaemon } from "../../../service/control.ts";
import { spawnUnmanaged } from "../../../service/unmanaged.ts";
import { jsonArg } from "../../args.ts";
import { defineCommand } from "../../command.ts";
import {
  daemonContext,
  daemonFlags,
  describeMode,
  keepDaemonFlags,
  START_TIMEOUT_MS,
  startHint,
  syncArgs,
} from "../../daemon-support.ts";
import { printJson, printLine, warn } from "../../output.ts";

export default defineCommand({
  meta: {
    name: "restart",
    description:
      "Rewrite the service for this binary and restart the daemon (the step after an upgrade)",
  },
  args: { ...syncArgs, ...jsonArg },
  async run({ args }) {
    const chosen = daemonFlags(args);
    const context = await daemonContext(undefined, chosen.flags);
    const { manager, detection, paths } = context;
    const before = await probeDaemon(paths.socket);
    const actions = keepDaemonFlags(chosen);
    if (manager && detection.ok) {
      // A hand-started daemon would hold the store lock against the service.
      if (before && before.managed_by === null)
        actions.push(...(await shutdownDaemon(paths.socket, paths.db)));
      actions.push(...(await manager.restart(context.spec)).actions);
    } else {
      if (!detection.ok)
        await warn(`No usable service manager: ${detection.check}. To fix: ${detection.fix}.`);
      if (before) actions.push(...(await shutdownDaemon(paths.socket, paths.db)));
      actions.push(`started hephd (pid ${spawnUnmanaged(context.spec)}) detached`);
      await warn(
        "hephd runs unmanaged: nothing restarts it if it crashes, and it will not survive logout or a reboot. `heph daemon stop` ends it.",
      );
    }
    const info = await waitForDaemon(paths.socket, {
      timeoutMs: START_TIMEOUT_MS,
      replacing: before?.pid ?? null,
      hint: startHint(context),
    });
    if (args.json) {
      printJson({
        running: true,
        managed_by: info.managed_by ?? "unmanaged",
        pid: info.pid,
        version: info.version,
        mode: info.mode,
        hub_url: info.hub_url ?? null,
        http_url: info.http_url ?? null,
        actions,
      });
      return;
    }
    for (const action of actions) printLine(`  ${action}`);
    printLine(
      `hephd ${info.version} restarted (pid ${info.pid}, ${info.binary}${describeMode(info)}).`,
    );
  },
});
