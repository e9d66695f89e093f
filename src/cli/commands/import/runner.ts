/**
 * What every `heph import <source>` does once its importer has read the input: send the items
 * (src/import/run.ts), show progress on stderr, print the summary (or --json), and choose the
 * exit status: 0 when every record is in heph (or would be, with --dry-run), 1 when some were
 * skipped or could not be read — the others landed all the same.
 */
import { EXIT } from "../../../errors.ts";
import { groupBy, type ImporterOutput, type ImportReport, runImport } from "../../../import/run.ts";
import type { ImportSource } from "../../../protocol/import-schemas.ts";
import { printJson, printLine } from "../../output.ts";
import { withClient } from "../../session.ts";
import { isTerminal } from "../../terminal.ts";

export const importArgs = {
  "dry-run": {
    type: "boolean",
    description: "Show what would be created, updated or skipped; write nothing",
  },
  json: { type: "boolean", description: "Print the summary and every result as JSON on stdout" },
  socket: {
    type: "string",
    description: "The daemon's socket (default: $HEPH_SOCKET, else the XDG default)",
    valueHint: "path",
  },
} as const;

export interface ImportArgs {
  "dry-run"?: boolean;
  json?: boolean;
  socket?: string | undefined;
}

/** What an importer is told about the daemon: its today and time zone, which dates follow. */
export interface DaemonCalendar {
  today: string;
  timeZone: string;
}

const SOURCE_NAMES: Record<ImportSource, string> = {
  obsidian: "Obsidian",
  taskwarrior: "Taskwarrior",
  todoist: "Todoist",
};

/** A progress bar on a terminal; plain lines at every tenth otherwise. Both on stderr. */
function progressReporter(label: string) {
  const terminal = isTerminal(2);
  let lastTenth = -1;
  return {
    update(done: number, total: number) {
      if (total === 0 || done === 0) return;
      if (terminal) {
        const width = 30;
        const filled = Math.round((done / total) * width);
        process.stderr.write(
          `\r${label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total}`,
        );
      } else {
        const tenth = Math.floor((done / total) * 10);
        if (tenth !== lastTenth) {
          lastTenth = tenth;
          process.stderr.write(`${label}: ${done}/${total} records\n`);
        }
      }
    },
    end() {
      if (terminal) process.stderr.write("\n");
    },
  };
}

const SHOWN = 5;

function printGroups(title: string, groups: Array<{ text: string; labels: string[] }>) {
  const total = groups.reduce((n, g) => n + g.labels.length, 0);
  if (total === 0) return;
  printLine(`\n${title} (${total}):`);
  for (const group of groups) {
    printLine(`  ${group.text}${group.labels.length > 1 ? ` (${group.labels.length})` : ""}`);
    for (const label of group.labels.slice(0, SHOWN)) printLine(`    ${label}`);
    if (group.labels.length > SHOWN) printLine(`    … and ${group.labels.length - SHOWN} more`);
  }
}

function printReport(
  source: ImportSource,
  inputName: string,
  report: ImportReport,
  where: Map<string, string>,
) {
  const c = report.counts;
  printLine(
    `${SOURCE_NAMES[source]} import of ${inputName}${report.dry_run ? " — dry run, nothing was written" : ""}:`,
  );
  const verb = report.dry_run ? "would be " : "";
  for (const [name, n] of [
    [`${verb}created`, c.created],
    [`${verb}updated`, c.updated],
    ["unchanged", c.unchanged],
    [`${verb}skipped`, c.skipped],
    ["unreadable", c.unreadable],
  ] as const)
    printLine(`  ${String(n).padStart(7)}  ${name}`);
  const label = (key: string) => (where.get(key) ? `${key} (${where.get(key)})` : key);
  printGroups(
    "Skipped",
    groupBy(
      report.results.filter((r) => r.outcome === "skipped"),
      (r) => r.reason ?? "",
      (r) => label(r.key),
    ),
  );
  printGroups(
    "Unreadable",
    groupBy(
      report.problems,
      (p) => p.reason,
      (p) => p.where,
    ),
  );
  printGroups(
    "Imported with a change",
    groupBy(
      report.notes,
      (n) => n.message,
      (n) => label(n.key),
    ),
  );
  const warnings = report.results.flatMap((r) =>
    (r.warnings ?? []).map((w) => ({ key: r.key, w })),
  );
  printGroups(
    "Warnings",
    groupBy(
      warnings,
      (w) => w.w,
      (w) => label(w.key),
    ),
  );
}

/** Connects, asks the daemon's calendar, maps with `read`, sends, reports. Returns the exit status. */
export async function runImportCommand(
  source: ImportSource,
  inputName: string,
  args: ImportArgs,
  read: (calendar: DaemonCalendar) => ImporterOutput | Promise<ImporterOutput>,
): Promise<number> {
  const dryRun = args["dry-run"] === true;
  return withClient(args, async (client) => {
    const info = await client.call("daemon.info", {});
    const output = await read({ today: info.today, timeZone: info.time_zone });
    const progress = progressReporter(`importing from ${source}`);
    let report: ImportReport;
    try {
      report = await runImport(output, {
        dryRun,
        send: async (items) =>
          (
            await client.call(
              "import.apply",
              { source, dry_run: dryRun, items: items as Array<Record<string, unknown>> },
              { timeoutMs: 600_000 },
            )
          ).results,
        progress: (done, total) => progress.update(done, total),
      });
    } finally {
      progress.end();
    }
    if (!dryRun && output.afterImport) {
      const late = await output.afterImport({
        results: report.results,
        addLink: async (src, type, dst) => {
          await client.call("links.add", { src, type, dst });
        },
      });
      report.notes.push(...late);
    }
    const where = output.where ?? new Map<string, string>();
    if (args.json) {
      printJson({
        source,
        input: inputName,
        dry_run: dryRun,
        counts: report.counts,
        results: report.results.map((r) => ({ ...r, where: where.get(r.key) ?? null })),
        problems: report.problems,
        notes: report.notes,
        ...output.summary?.json,
      });
    } else {
      printReport(source, inputName, report, where);
      for (const line of output.summary?.lines ?? []) printLine(line);
    }
    return report.counts.skipped + report.counts.unreadable === 0 ? EXIT.ok : EXIT.failure;
  });
}
