import { probeDaemon, waitForDaemon } from "../../../service/control.ts";
import { spawnUnmanaged } from "../../../service/unmanaged.ts";
import { jsonArg } from "../../args.ts";
import { defineCommand } from "../../command.ts";
import { daemonContext, START_TIMEOUT_MS, startHint } from "../../daemon-support.ts";
import { printJson, printLine, warn } from "../../output.ts";

export default defineCommand({
  meta: {
    name: "start",
    description: "Install the user service (or refresh it) and start the daemon",
  },
  args: { ...jsonArg },
  async run({ args }) {
    const context = await daemonContext();
    const { manager, detection, paths } = context;
    const running = await probeDaemon(paths.socket);
    if (manager && detection.ok && running && running.managed_by === null) {
      // A daemon started by hand holds the store: the service could only fail to start.
      await warn(
        `hephd (pid ${running.pid}) is already running but was not started by ${manager.name}; leaving it be. To hand it over: \`heph daemon stop\` then \`heph daemon start\`.`,
      );
      report(args.json, {
        managed_by: "unmanaged",
        pid: running.pid,
        version: running.version,
        actions: [],
      });
      return;
    }
    if (manager && detection.ok) {
      const outcome = await manager.start(context.spec);
      const info = await waitForDaemon(paths.socket, {
        timeoutMs: START_TIMEOUT_MS,
        hint: startHint(context),
      });
      report(args.json, {
        managed_by: manager.name,
        pid: info.pid,
        version: info.version,
        actions: outcome.actions,
      });
      return;
    }
    if (!detection.ok)
      await warn(`No usable service manager: ${detection.check}. To fix: ${detection.fix}.`);
    if (running) {
      report(args.json, {
        managed_by: running.managed_by ?? "unmanaged",
        pid: running.pid,
        version: running.version,
        actions: [],
      });
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
    report(args.json, {
      managed_by: "unmanaged",
      pid: info.pid,
      version: info.version,
      actions: [`started hephd (pid ${pid}) detached`],
    });
  },
});

function report(
  json: boolean | undefined,
  outcome: { managed_by: string; pid: number; version: string; actions: string[] },
) {
  if (json) {
    printJson({ running: true, ...outcome });
    return;
  }
  for (const action of outcome.actions) printLine(`  ${action}`);
  const how =
    outcome.managed_by === "unmanaged" ? "unmanaged" : `as a ${outcome.managed_by} service`;
  printLine(`hephd ${outcome.version} is running ${how} (pid ${outcome.pid}).`);
}
