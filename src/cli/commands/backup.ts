/** `heph backup <file>`: a consistent snapshot of the running daemon's store, checked. */
import { resolve } from "node:path";
import { EXIT } from "../../errors.ts";
import { jsonArg, socketArg } from "../args.ts";
import { defineCommand } from "../command.ts";
import { printError, printJson, printLine } from "../output.ts";
import { withClient } from "../session.ts";

const HEPH_APPLICATION_ID = 0x68657068;

export default defineCommand({
  meta: {
    name: "backup",
    description: "Copy the store while the daemon runs (SQLite VACUUM INTO) and check the copy",
  },
  args: {
    file: { type: "positional", description: "The backup file to write", required: true },
    force: { type: "boolean", description: "Replace the file if it exists" },
    ...jsonArg,
    ...socketArg,
  },
  async run({ args }) {
    // The daemon's working directory is not the user's: it gets an absolute path.
    const path = resolve(args.file as string);
    const report = await withClient(args, (client) =>
      client.call("store.backup", { path, force: args.force === true }, { timeoutMs: 600_000 }),
    );
    const valid = report.ok && report.application_id === HEPH_APPLICATION_ID;
    if (args.json) printJson(report);
    else {
      printLine(`Backed up the store to ${report.path} (${report.bytes} bytes).`);
      printLine(
        `integrity_check: ${report.ok ? "ok" : `${report.integrity.length} problem(s)`}; heph store, schema ${report.schema_version}.`,
      );
      if (!report.ok) for (const problem of report.integrity) printLine(`  ${problem}`);
    }
    // Like an import's summary, the report is printed either way; a copy that fails its check
    // is exit status 1.
    if (valid) return EXIT.ok;
    await printError(
      `The copy at ${report.path} did not pass its check${report.ok ? " (not a heph store)" : ""}; keep your previous backup.`,
    );
    return EXIT.failure;
  },
});
