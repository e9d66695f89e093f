import { Database } from "bun:sqlite";
import { chmodSync, closeSync, openSync, readSync, statSync } from "node:fs";
import { StartupError } from "../errors.ts";
import {
  HEPH_APPLICATION_ID,
  LATEST_SCHEMA_VERSION,
  type Migration,
  migrations,
} from "./migrations.ts";

const SQLITE_HEADER = "SQLite format 3\0";

type FileState = "absent" | "empty" | "sqlite";

/** Looks at what is at the store path without changing it; refuses anything that is not ours. */
function inspectFile(path: string): FileState {
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) {
      throw new StartupError(`The store path ${path} is not a regular file; refusing to use it.`);
    }
    size = stat.size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "absent";
    if (error instanceof StartupError) throw error;
    throw new StartupError(`Cannot inspect the store ${path}: ${(error as Error).message}`);
  }
  let fd: number;
  try {
    fd = openSync(path, "r+");
  } catch (error) {
    throw new StartupError(
      `Cannot open the store ${path} for reading and writing (${(error as NodeJS.ErrnoException).code}); check its owner and mode.`,
    );
  }
  try {
    if (size === 0) return "empty";
    const header = Buffer.alloc(16);
    const read = readSync(fd, header, 0, 16, 0);
    if (read < 16 || header.toString("latin1") !== SQLITE_HEADER) {
      throw new StartupError(
        `The store path ${path} holds a file that is not a SQLite database; refusing to touch it. Move it away or point --db / HEPH_DB elsewhere.`,
      );
    }
    return "sqlite";
  } finally {
    closeSync(fd);
  }
}

function pragmaNumber(db: Database, pragma: string): number {
  const row = db.query(`PRAGMA ${pragma}`).get() as Record<string, number> | null;
  return row ? Number(Object.values(row)[0]) : 0;
}

/** Refuses a SQLite file that belongs to another program or to a newer heph. Reads only. */
function checkOwnership(db: Database, path: string, latest: number) {
  const applicationId = pragmaNumber(db, "application_id");
  const userVersion = pragmaNumber(db, "user_version");
  const objects = (db.query("SELECT count(*) AS n FROM sqlite_schema").get() as { n: number }).n;
  if (applicationId !== HEPH_APPLICATION_ID && (applicationId !== 0 || objects > 0)) {
    throw new StartupError(
      `The store path ${path} is a SQLite database of another program (application_id ${applicationId}, ${objects} schema objects); refusing to touch it. Point --db / HEPH_DB at a heph store.`,
    );
  }
  if (userVersion > latest) {
    throw new StartupError(
      `The store ${path} has schema version ${userVersion}, newer than this heph understands (${latest}). Upgrade heph; the store was left untouched.`,
    );
  }
}

/** Runs every migration above the store's version, each in its own transaction. */
export function migrate(db: Database, list: readonly Migration[] = migrations): number {
  let current = pragmaNumber(db, "user_version");
  for (const migration of list) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.run(migration.sql);
      db.run(`PRAGMA user_version = ${migration.version}`);
    })();
    current = migration.version;
  }
  return current;
}

export interface OpenStoreOptions {
  migrations?: readonly Migration[];
}

/**
 * Opens (creating when absent) and migrates the store. WAL with synchronous=FULL: a write is
 * on disk before its transaction returns, so an acknowledged write survives kill -9.
 */
export function openDatabase(path: string, options: OpenStoreOptions = {}): Database {
  const list = options.migrations ?? migrations;
  const latest = list.at(-1)?.version ?? LATEST_SCHEMA_VERSION;
  const state = inspectFile(path);
  const db = new Database(path, { readwrite: true, create: state === "absent", strict: true });
  try {
    if (state === "sqlite") checkOwnership(db, path, latest);
    if (state === "absent") chmodSync(path, 0o600);
    const mode = (db.query("PRAGMA journal_mode = WAL").get() as { journal_mode: string })
      .journal_mode;
    if (mode !== "wal")
      throw new StartupError(`Could not put the store ${path} in WAL mode (got ${mode}).`);
    db.run("PRAGMA synchronous = FULL");
    db.run("PRAGMA foreign_keys = ON");
    db.run("PRAGMA busy_timeout = 5000");
    // 64 MiB of page cache (the default is 2 MiB): a big import or export reads the same index
    // pages over and over, and at 100k nodes the indexes alone outgrow 2 MiB many times over.
    db.run("PRAGMA cache_size = -65536");
    // Statement journals in memory: with foreign keys and triggers, every INSERT of a write
    // that holds several statements keeps one, and on disk they spilled past 64 KiB into a temp
    // file — 60 writes a task in an import, half its system time.
    db.run("PRAGMA temp_store = MEMORY");
    migrate(db, list);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

export function schemaVersion(db: Database): number {
  return pragmaNumber(db, "user_version");
}
