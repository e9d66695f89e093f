/** `heph conflicts [ID] [--keep kept|lost] [--all]`: what two devices changed at once, and settling it. */
import { HephError, UsageError } from "../../errors.ts";
import type { ConflictView } from "../../protocol/sync-methods.ts";
import { jsonArg, socketArg } from "../args.ts";
import { defineCommand } from "../command.ts";
import type { CompletionHint } from "../completion/hint.ts";
import { printJson, printLine } from "../output.ts";
import { withClient } from "../session.ts";

const KEEP = ["kept", "lost"] as const;

function describe(conflict: ConflictView): string {
  const state = conflict.resolved_at ? ` [${conflict.resolution} ${conflict.resolved_at}]` : "";
  const title = conflict.title ?? "(gone)";
  if (conflict.field === "deleted")
    return `#${conflict.id} ${title} (${conflict.node_id}): deleted on one device (${JSON.stringify(conflict.lost)}) while edited on another; kept${state}`;
  return `#${conflict.id} ${title} (${conflict.node_id}) ${conflict.field}: kept ${JSON.stringify(conflict.kept)}, lost ${JSON.stringify(conflict.lost)}${state}`;
}

export default defineCommand({
  meta: {
    name: "conflicts",
    description:
      "List changes two devices made at once (the value kept, the one lost); with ID --keep, settle one",
  },
  args: {
    id: { type: "positional", description: "A conflict's number (from the list)", required: false },
    keep: {
      type: "string",
      description: "kept (the value every device kept) | lost (write the lost value back)",
      complete: { values: KEEP } satisfies CompletionHint,
    },
    all: { type: "boolean", description: "Include settled conflicts" },
    ...jsonArg,
    ...socketArg,
  },
  async run({ args }) {
    const id = args.id === undefined ? undefined : Number(args.id);
    if (id !== undefined && !(Number.isInteger(id) && id > 0))
      throw new UsageError(
        `${JSON.stringify(args.id)} is not a conflict number: give the #N from \`heph conflicts\`.`,
      );
    const keep = args.keep as string | undefined;
    if (keep !== undefined && !KEEP.includes(keep as (typeof KEEP)[number]))
      throw new UsageError(`--keep must be kept or lost, not ${JSON.stringify(keep)}.`);
    if (keep !== undefined && id === undefined)
      throw new UsageError(
        "--keep settles one conflict: give its number, e.g. `heph conflicts 3 --keep lost`.",
      );
    if (id !== undefined && keep !== undefined) {
      const { conflict } = await withClient(args, (client) =>
        client.call("conflicts.resolve", { id, keep: keep as (typeof KEEP)[number] }),
      );
      if (args.json) return printJson(conflict);
      printLine(`Settled: ${describe(conflict)}`);
      return;
    }
    const { conflicts } = await withClient(args, (client) =>
      client.call("conflicts.list", { all: args.all === true || id !== undefined }),
    );
    const shown = id === undefined ? conflicts : conflicts.filter((c) => c.id === id);
    if (id !== undefined && shown.length === 0)
      // Exit 1, as conflicts.resolve says for an unknown number: a fact, not a usage mistake.
      throw new HephError(`No conflict #${id}: see \`heph conflicts --all\`.`);
    if (args.json) return printJson(id === undefined ? { conflicts: shown } : shown[0]);
    if (shown.length === 0) return printLine("No open conflicts.");
    for (const conflict of shown) printLine(describe(conflict));
    if (id === undefined && shown.some((conflict) => conflict.resolved_at === null))
      printLine("Settle one with `heph conflicts N --keep kept` or `--keep lost`.");
  },
});
