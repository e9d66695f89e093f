/**
 * `heph export json [FILE|-]`: the whole store as one heph-export document
 * (docs/reference/export-format.md), put together from `export` pages. One node or link per
 * line inside the document, so it can be read line by line and diffed.
 */
import { resolve } from "node:path";
import { writeFileAtomic } from "../../../fs-atomic.ts";
import type { ExportPage } from "../../../protocol/import-methods.ts";
import { socketArg } from "../../args.ts";
import { defineCommand } from "../../command.ts";
import { printLine, printRaw, warn } from "../../output.ts";
import { withClient } from "../../session.ts";
import { EXPORT_ATTEMPTS, type ExportPages, readExportPages } from "./pages.ts";

interface Assembled {
  text: string;
  nodes: number;
  links: number;
  consistent: boolean;
}

/** The pages as one document: each node and link on a line of its own. */
function assemble({ pages, consistent }: ExportPages): Assembled {
  const nodes = pages.flatMap((page) => page.nodes.map((node) => JSON.stringify(node)));
  const links = pages.flatMap((page) => page.links.map((link) => JSON.stringify(link)));
  const head = pages[0] as ExportPage;
  const header = JSON.stringify({
    format: head.format,
    format_version: head.format_version,
    exported_at: head.exported_at,
    heph_version: head.heph_version,
    schema_version: head.schema_version,
    include_deleted: head.include_deleted,
  }).slice(0, -1);
  const list = (items: string[]) => (items.length === 0 ? "[]" : `[\n${items.join(",\n")}\n]`);
  return {
    text: `${header},"nodes":${list(nodes)},"links":${list(links)}}\n`,
    nodes: nodes.length,
    links: links.length,
    consistent,
  };
}

export default defineCommand({
  meta: { name: "json", description: "The whole store as one JSON document (FILE, or stdout)" },
  args: {
    file: {
      type: "positional",
      description: "Where to write it; - or none: stdout",
      required: false,
    },
    "include-deleted": { type: "boolean", description: "Include tombstoned (deleted) nodes" },
    ...socketArg,
  },
  async run({ args }) {
    const file = args.file as string | undefined;
    const result = assemble(
      await withClient(args, (client) => readExportPages(client, args["include-deleted"] === true)),
    );
    if (!result.consistent)
      await warn(
        `The store changed while it was being exported (${EXPORT_ATTEMPTS} tries); the file may mix moments. Run it again when nothing writes, or use \`heph backup\` for a snapshot.`,
      );
    if (file === undefined || file === "-") return printRaw(result.text);
    const path = resolve(file);
    // The export is everything in the store: readable by its owner only, like the store.
    writeFileAtomic(path, result.text, 0o600);
    printLine(`Exported ${result.nodes} nodes and ${result.links} links to ${path}`);
  },
});
