import { userInfo } from "node:os";
import { EXIT } from "../../../errors.ts";
import { selfDescription } from "../../../self.ts";
import { probeDaemon } from "../../../service/control.ts";
import { gatherStatus, type StatusReport } from "../../../service/status.ts";
import { VERSION } from "../../../version.ts";
import { jsonArg } from "../../args.ts";
import { defineCommand } from "../../command.ts";
import { daemonContext } from "../../daemon-support.ts";
import { formatDuration, table } from "../../format.ts";
import { printJson, printLine, warn } from "../../output.ts";

export default defineCommand({
  meta: {
    name: "status",
    description:
      "Is the service installed, is the daemon running, and where are its socket, store and log (exit 0 running, 3 not)",
  },
  args: { ...jsonArg },
  async run({ args }) {
    const context = await daemonContext();
    const report = await gatherStatus({
      manager: context.manager,
      detection: context.detection,
      paths: context.paths,
      daemon: await probeDaemon(context.paths.socket),
      cli: { version: VERSION, binary: selfDescription() },
      program: context.spec.program,
      lingerFile:
        process.platform === "linux" ? `/var/lib/systemd/linger/${userInfo().username}` : null,
    });
    if (args.json) printJson(report);
    else await printReport(report);
    return report.running ? EXIT.ok : EXIT.unreachable;
  },
});

async function printReport(report: StatusReport) {
  const { service, daemon } = report;
  const headline = daemon
    ? `hephd is running (${report.managed_by === "unmanaged" ? "unmanaged" : `${report.managed_by} service`}, pid ${daemon.pid})`
    : "hephd is not running";
  printLine(headline);
  const rows: Array<[string, string]> = [];
  if (report.manager && !report.manager.available)
    rows.push(["manager", `${report.manager.name}: not usable — ${report.manager.problem}`]);
  if (service) {
    rows.push([
      "service",
      service.installed
        ? `${service.file} (${service.enabled ? "enabled" : "not enabled"}, ${service.state})`
        : `not installed (${service.file})`,
    ]);
  }
  if (daemon) {
    rows.push(["version", daemon.version]);
    rows.push(["binary", daemon.binary]);
    rows.push(["uptime", formatDuration(daemon.uptime_ms)]);
  }
  rows.push(["store", report.paths.db], ["socket", report.paths.socket], ["log", report.paths.log]);
  printLine(table(rows));
  for (const warning of report.warnings) await warn(warning);
}
