import type { Database } from "bun:sqlite";
import type { Clock } from "../core/clock.ts";
import { createIdFactory } from "../core/ids.ts";
import { ChangeTracker } from "./changes.ts";
import { ImportStore } from "./imports.ts";
import { LinkStore } from "./links.ts";
import { NodeStore } from "./nodes.ts";
import { openDatabase, schemaVersion } from "./open.ts";
import { ProjectStore } from "./projects.ts";
import { TaskStore } from "./tasks.ts";

/** Everything the daemon keeps in SQLite, behind one object. Only hephd ever opens it. */
export interface Store {
  readonly path: string;
  readonly db: Database;
  readonly nodes: NodeStore;
  readonly links: LinkStore;
  readonly tasks: TaskStore;
  readonly projects: ProjectStore;
  /** Which nodes each committed transaction wrote (the daemon's events hear of it). */
  readonly changes: ChangeTracker;
  readonly imports: ImportStore;
  /** Runs `work` in one transaction: all of it is stored, or none of it. */
  transaction<T>(work: () => T): T;
  /** transaction, with no savepoints inside: for a write that fails whole or not at all. */
  bulkTransaction<T>(work: () => T): T;
  schemaVersion(): number;
  close(): void;
}

export function openStore(path: string, clock: Clock): Store {
  const db = openDatabase(path);
  const links = new LinkStore(db, clock);
  runBackfills(db, links);
  const changes = new ChangeTracker(db);
  const nodes = new NodeStore(db, clock, createIdFactory(), changes, links);
  return {
    path,
    db,
    nodes,
    links,
    tasks: new TaskStore(db, clock, nodes, changes),
    projects: new ProjectStore(db, clock, nodes, changes),
    imports: new ImportStore(db, clock),
    changes,
    transaction: (work) => changes.transaction(work),
    bulkTransaction: (work) => changes.bulk(work),
    schemaVersion: () => schemaVersion(db),
    close: () => {
      // Folds the WAL back into the main file so a clean stop leaves one file behind.
      db.run("PRAGMA wal_checkpoint(TRUNCATE)");
      db.close();
    },
  };
}

/** Runs the code-side steps migrations left in pending_backfills, each in one transaction. */
function runBackfills(db: Database, links: LinkStore) {
  const pending = db.query<{ name: string }, []>("SELECT name FROM pending_backfills").all();
  for (const { name } of pending) {
    db.transaction(() => {
      if (name === "derive-links") links.deriveAll();
      db.query("DELETE FROM pending_backfills WHERE name = ?").run(name);
    })();
  }
}
