/**
 * Reading the whole store through `export` pages, as both `heph export` commands do: every
 * page in id order, and whether the store stayed still meanwhile (the first and last pages'
 * `store_changes` agree), tried again up to three times when it did not.
 */
import type { RpcClient } from "../../../client/client.ts";
import type { ExportPage } from "../../../protocol/import-methods.ts";

const PAGE = 2000;
export const EXPORT_ATTEMPTS = 3;

export interface ExportPages {
  pages: ExportPage[];
  consistent: boolean;
}

async function readOnce(client: RpcClient, includeDeleted: boolean): Promise<ExportPages> {
  const pages: ExportPage[] = [];
  let after: string | null = null;
  do {
    const page: ExportPage = await client.call(
      "export",
      { include_deleted: includeDeleted, after, limit: PAGE },
      { timeoutMs: 120_000 },
    );
    pages.push(page);
    after = page.next_after;
  } while (after !== null);
  return {
    pages,
    consistent: pages[0]?.store_changes === pages.at(-1)?.store_changes,
  };
}

export async function readExportPages(
  client: RpcClient,
  includeDeleted: boolean,
): Promise<ExportPages> {
  let read = await readOnce(client, includeDeleted);
  for (let attempt = 1; !read.consistent && attempt < EXPORT_ATTEMPTS; attempt++)
    read = await readOnce(client, includeDeleted);
  return read;
}
