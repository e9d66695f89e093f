/**
 * `heph export json [FILE|-]`: the whole store as one heph-export document
 * (docs/reference/export-format.md), put together from `export` pages. One node or link per
 * line inside the document, so it can be read line by line and diffed.
 */
import { resolve } from "node:path";
import type { RpcClient } from "../../../client/client.ts";
import { writeFileAtomic } from "../../../fs-atomic.ts";
import type { ExportPage } from "../../../protocol/import-methods.ts";
import { socketArg } from "../../args.ts";
import { defineCommand } from "../../command.ts";
import { printLine, printRaw, warn } from "../../output.ts";
import { withClient } from "../../session.ts";

/** How often the export starts over when the store changed while its pages were read. */
const ATTEMPTS = 3;
const PAGE = 2000;

interface Assembled {
  text: string;
  nodes: number;
  links: number;
  consistent: boolean;
}

async function assemble(client: RpcClient, includeDeleted: boolean): Promise<Assembled> {
  const nodes: string[] = [];
  const links: string[] = [];
  let first: ExportPage | undefined;
  let last: ExportPage | undefined;
  let after: string | null = null;
  do {
    const page: ExportPage = await client.call(
      "export",
      { include_deleted: includeDeleted, after, limit: PAGE },
      { timeoutMs: 120_000 },
    );
    first ??= page;
    last = page;
    for (const node of page.nodes) nodes.push(JSON.stringify(node));
    for (const link of page.links) links.push(JSON.stringify(link));
    after = page.next_after;
  } while (after !== null);
  const head = first as ExportPage;
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
    consistent: last?.store_changes === head.store_changes,
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
    const result = await withClient(args, async (client) => {
      let assembled = await assemble(client, args["include-deleted"] === true);
      for (let attempt = 1; !assembled.consistent && attempt < ATTEMPTS; attempt++)
        assembled = await assemble(client, args["include-deleted"] === true);
      return assembled;
    });
    if (!result.consistent)
      await warn(
        `The store changed while it was being exported (${ATTEMPTS} tries); the file may mix moments. Run it again when nothing writes, or use \`heph backup\` for a snapshot.`,
      );
    if (file === undefined || file === "-") return printRaw(result.text);
    const path = resolve(file);
    // The export is everything in the store: readable by its owner only, like the store.
    writeFileAtomic(path, result.text, 0o600);
    printLine(`Exported ${result.nodes} nodes and ${result.links} links to ${path}`);
  },
});
