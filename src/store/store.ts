import type { Database } from "bun:sqlite";
import type { Clock } from "../core/clock.ts";
import { createIdFactory } from "../core/ids.ts";
import { NodeStore } from "./nodes.ts";
import { openDatabase, schemaVersion } from "./open.ts";

/** Everything the daemon keeps in SQLite, behind one object. Only hephd ever opens it. */
export interface Store {
  readonly path: string;
  readonly db: Database;
  readonly nodes: NodeStore;
  schemaVersion(): number;
  close(): void;
}

export function openStore(path: string, clock: Clock): Store {
  const db = openDatabase(path);
  const nodes = new NodeStore(db, clock, createIdFactory());
  return {
    path,
    db,
    nodes,
    schemaVersion: () => schemaVersion(db),
    close: () => {
      // Folds the WAL back into the main file so a clean stop leaves one file behind.
      db.run("PRAGMA wal_checkpoint(TRUNCATE)");
      db.close();
    },
  };
}
