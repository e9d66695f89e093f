import { type Clock, toTimestamp } from "../../core/clock.ts";
import type { LocalDate } from "../../core/task-types.ts";
import { exportPage, storeChanges } from "../../store/export.ts";
import type { Store } from "../../store/store.ts";
import { VERSION } from "../../version.ts";
import { backupStore } from "../backup.ts";
import type { Handlers } from "../dispatch.ts";
import type { Logger } from "../log.ts";
import { applyImport } from "./apply.ts";

type ImportHandlers = Pick<Handlers, "import.apply" | "export" | "store.backup">;

/** An export page ends once its nodes' text passes this, so a reply stays far below 64 MiB. */
const EXPORT_PAGE_BYTES = 8 * 1024 * 1024;

/** import.apply, export and store.backup. */
export function createImportHandlers(context: {
  store: Store;
  today: () => LocalDate;
  clock: Clock;
  logger?: Logger;
}): ImportHandlers {
  const { store, clock } = context;
  return {
    "import.apply": (params) =>
      applyImport(
        { store, today: context.today, now: () => toTimestamp(clock()), logger: context.logger },
        params,
      ),
    export: ({ after, limit, include_deleted }) => {
      // One read transaction: the page, its links and the change counter agree.
      return store.transaction(() => ({
        format: "heph-export" as const,
        format_version: 1 as const,
        exported_at: toTimestamp(clock()),
        heph_version: VERSION,
        schema_version: store.schemaVersion(),
        include_deleted,
        ...exportPage(store.db, {
          after: after?.toUpperCase() ?? null,
          limit,
          includeDeleted: include_deleted,
          maxBytes: EXPORT_PAGE_BYTES,
        }),
        store_changes: storeChanges(store.db),
      }));
    },
    "store.backup": (params) => backupStore(store, params),
  };
}
