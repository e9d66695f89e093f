import type { DaemonInfo } from "../../../protocol/schemas.ts";
import { probeDaemon, waitForDaemon } from "../../../service/control.ts";
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
    name: "start",
    description: "Install the user service (or refresh it) and start the daemon",
  },
  args: { ...syncArgs, ...jsonArg },
  async run({ args }) {
    // Checked before anything is touched: a bad flag must not leave a service that cannot start.
    const chosen = daemonFlags(args);
    const context = await daemonContext(undefined, chosen.flags);
    const { manager, detection, paths } = context;
    const running = await probeDaemon(paths.socket);
    const actions = keepDaemonFlags(chosen);
    if (manager && detection.ok && running && running.managed_by === null) {
      // A daemon started by hand holds the store: the service could only fail to start.
      await warn(
        `hephd (pid ${running.pid}) is already running but was not started by ${manager.name}; leaving it be. To hand it over: \`heph daemon stop\` then \`heph daemon start\`.`,
      );
      report(args.json, "unmanaged", running, actions);
      return;
    }
    if (manager && detection.ok) {
      const outcome = await manager.start(context.spec);
      const info = await waitForDaemon(paths.socket, {
        timeoutMs: START_TIMEOUT_MS,
        hint: startHint(context),
      });
      report(args.json, manager.name, info, [...actions, ...outcome.actions]);
      return;
    }
    if (!detection.ok)
      await warn(`No usable service manager: ${detection.check}. To fix: ${detection.fix}.`);
    if (running) {
      if (actions.length > 0)
        await warn(
          "hephd is already running, with the flags it was started with; `heph daemon restart` runs it with the new ones.",
        );
      report(args.json, running.managed_by ?? "unmanaged", running, actions);
      return;
    }
    const pid = spawnUnmanaged(context.spec);
    const info = await waitForDaemon(paths.socket, {
      timeoutMs: START_TIMEOUT_MS,
      hint: startHint(context),
    });
    await warn(
      "hephd runs unmanaged: nothing restarts it if it crashes, and it will not survive logout or a reboot. `heph daemon stop` ends it.",
    );
    report(args.json, "unmanaged", info, [...actions, `started hephd (pid ${pid}) detached`]);
  },
});

function report(json: boolean | undefined, managedBy: string, info: DaemonInfo, actions: string[]) {
  if (json) {
    printJson({
      running: true,
      managed_by: managedBy,
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
  const how = managedBy === "unmanaged" ? "unmanaged" : `as a ${managedBy} service`;
  printLine(`hephd ${info.version} is running ${how} (pid ${info.pid}${describeMode(info)}).`);
}
