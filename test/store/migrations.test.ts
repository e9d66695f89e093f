import { Database } from "bun:sqlite";
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { StartupError } from "../../src/errors.ts";
import {
  HEPH_APPLICATION_ID,
  LATEST_SCHEMA_VERSION,
  type Migration,
  migrations,
} from "../../src/store/migrations.ts";
import { migrate, openDatabase, schemaVersion } from "../../src/store/open.ts";
import { openStore } from "../../src/store/store.ts";
import { tempDir } from "../helpers/tmp.ts";

let dir: { path: string; cleanup(): void };
let dbPath: string;

beforeEach(() => {
  dir = tempDir();
  dbPath = join(dir.path, "heph.db");
});
afterEach(() => dir.cleanup());

function pragma(db: Database, name: string): unknown {
  const row = db.query(`PRAGMA ${name}`).get() as Record<string, unknown> | null;
  return row ? Object.values(row)[0] : undefined;
}

function tableNames(db: Database): string[] {
  return (
    db.query("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as {
      name: string;
    }[]
  ).map((row) => row.name);
}

/** Runs `fn` on a store opened with openDatabase, closing it afterwards. */
function withOpened<T>(path: string, fn: (db: Database) => T): T {
  const db = openDatabase(path);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** The error openDatabase throws, or a test failure when it does not throw. */
function openError(path: string): Error {
  try {
    openDatabase(path).close();
  } catch (error) {
    return error as Error;
  }
  throw new Error(`openDatabase(${path}) should have refused`);
}

/** Asserts openDatabase refuses `path` with a StartupError and leaves its bytes alone. */
function expectRefusedUnchanged(path: string): StartupError {
  const before = readFileSync(path);
  const error = openError(path);
  expect(error).toBeInstanceOf(StartupError);
  expect(error.message).toContain(path);
  expect(readFileSync(path).equals(before)).toBe(true);
  expect(existsSync(`${path}-wal`)).toBe(false);
  expect(existsSync(`${path}-shm`)).toBe(false);
  expect(existsSync(`${path}-journal`)).toBe(false);
  return error as StartupError;
}

describe("the migration list", () => {
  test("versions run 1, 2, … with no gaps, and LATEST is the last", () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
    expect(LATEST_SCHEMA_VERSION).toBe(migrations.length);
    expect(LATEST_SCHEMA_VERSION).toBeGreaterThanOrEqual(1);
  });
});

describe("upgrading an older store", () => {
  for (let k = 0; k < LATEST_SCHEMA_VERSION; k++) {
    test(`version ${k} → ${LATEST_SCHEMA_VERSION}, keeping its data`, () => {
      const old = new Database(dbPath, { create: true, strict: true });
      expect(migrate(old, migrations.slice(0, k))).toBe(k);
      if (k >= 1) {
        old.run(
          "INSERT INTO nodes (id, kind, title, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
          [
            "01JD3QZ5N6X4W8Y2T7R9M0K1AB",
            "doc",
            `made at v${k}`,
            "body",
            "2026-01-02T03:04:05.678Z",
            "2026-01-02T03:04:05.678Z",
          ],
        );
      }
      expect(pragma(old, "user_version")).toBe(k);
      old.close();

      withOpened(dbPath, (db) => {
        expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
        expect(pragma(db, "application_id")).toBe(HEPH_APPLICATION_ID);
        expect(pragma(db, "journal_mode")).toBe("wal");
        expect(pragma(db, "synchronous")).toBe(2);
        expect(tableNames(db)).toEqual(
          expect.arrayContaining(["nodes", "node_aliases", "node_tags", "links"]),
        );
        const rows = db.query("SELECT id, title, body FROM nodes").all();
        expect(rows).toEqual(
          k >= 1
            ? [{ id: "01JD3QZ5N6X4W8Y2T7R9M0K1AB", title: `made at v${k}`, body: "body" }]
            : [],
        );
      });
    });
  }

  test("a SQLite file at version 0 with no schema (header written, application_id 0) is adopted", () => {
    const blank = new Database(dbPath, { create: true });
    blank.run("VACUUM");
    blank.close();
    expect(readFileSync(dbPath).subarray(0, 16).toString("latin1")).toBe("SQLite format 3\0");
    withOpened(dbPath, (db) => {
      expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
      expect(pragma(db, "application_id")).toBe(HEPH_APPLICATION_ID);
    });
  });

  test("an up-to-date store is opened again without change to its version", () => {
    withOpened(dbPath, (db) => expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION));
    withOpened(dbPath, (db) => expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION));
  });
});

describe("migrations are transactional", () => {
  const broken: Migration[] = [
    { version: 1, name: "ok", sql: "CREATE TABLE first (x INTEGER);" },
    {
      version: 2,
      name: "broken halfway",
      sql: "CREATE TABLE second (x INTEGER); INSERT INTO first VALUES (1); CREATE TABLE oops (;",
    },
  ];

  test("a failing migration rolls back entirely and leaves the version before it", () => {
    const db = new Database(dbPath, { create: true, strict: true });
    try {
      expect(() => migrate(db, broken)).toThrow();
      expect(pragma(db, "user_version")).toBe(1);
      expect(tableNames(db)).toEqual(["first"]);
      expect(db.query("SELECT count(*) AS n FROM first").get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });

  test("openDatabase with a failing migration throws and leaves the store at the last good version", () => {
    expect(() => openDatabase(dbPath, { migrations: broken })).toThrow();
    const db = new Database(dbPath, { readonly: true });
    try {
      expect(pragma(db, "user_version")).toBe(1);
      expect(tableNames(db)).toEqual(["first"]);
    } finally {
      db.close();
    }
  });

  test("migrations at or below the store's version are skipped", () => {
    const db = new Database(dbPath, { create: true, strict: true });
    try {
      migrate(db, broken.slice(0, 1));
      // Migration 1 is re-listed with SQL that would fail if it ran again.
      const list = [{ version: 1, name: "again", sql: "CREATE TABLE first (x INTEGER);" }];
      expect(migrate(db, list)).toBe(1);
    } finally {
      db.close();
    }
  });
});

describe("a new store", () => {
  test("is created when absent: WAL, synchronous FULL, foreign keys, application_id, mode 0600", () => {
    withOpened(dbPath, (db) => {
      expect(pragma(db, "journal_mode")).toBe("wal");
      expect(pragma(db, "synchronous")).toBe(2);
      expect(pragma(db, "foreign_keys")).toBe(1);
      expect(pragma(db, "application_id")).toBe(HEPH_APPLICATION_ID);
      expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    });
    expect(statSync(dbPath).mode & 0o777).toBe(0o600);
  });

  test("an empty 0-byte file is accepted and becomes a store", () => {
    writeFileSync(dbPath, "");
    withOpened(dbPath, (db) => {
      expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
      expect(pragma(db, "application_id")).toBe(HEPH_APPLICATION_ID);
      expect(pragma(db, "journal_mode")).toBe("wal");
    });
  });
});

describe("refusing what is not ours", () => {
  test("a text file is refused and left byte for byte", () => {
    writeFileSync(dbPath, "these are my notes, not a database\n".repeat(20));
    const error = expectRefusedUnchanged(dbPath);
    expect(error.message).toContain("not a SQLite database");
  });

  test("a file shorter than the SQLite header is refused", () => {
    writeFileSync(dbPath, "SQLite");
    expectRefusedUnchanged(dbPath);
  });

  test("another program's SQLite database (application_id 0, with a table) is refused unchanged", () => {
    const foreign = new Database(dbPath, { create: true });
    foreign.run("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('ada');");
    foreign.close();
    const error = expectRefusedUnchanged(dbPath);
    expect(error.message).toContain("another program");
  });

  test("a SQLite database with a foreign application_id is refused unchanged, even when empty", () => {
    const foreign = new Database(dbPath, { create: true });
    foreign.run("PRAGMA application_id = 12345");
    foreign.close();
    expectRefusedUnchanged(dbPath);
  });

  test("a heph store from a newer heph is refused with advice to upgrade, unchanged", () => {
    const newer = new Database(dbPath, { create: true });
    migrate(newer);
    newer.run(`PRAGMA user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    newer.close();
    const error = expectRefusedUnchanged(dbPath);
    expect(error.message).toContain(`schema version ${LATEST_SCHEMA_VERSION + 1}`);
    expect(error.message).toContain("Upgrade heph");
  });

  test("a directory at the store path is refused", () => {
    mkdirSync(dbPath);
    const error = openError(dbPath);
    expect(error).toBeInstanceOf(StartupError);
    expect(error.message).toContain(dbPath);
    expect(error.message).toContain("not a regular file");
  });

  test("a path whose parent is a file is refused with a StartupError", () => {
    const parent = join(dir.path, "plain-file");
    writeFileSync(parent, "x");
    const error = openError(join(parent, "heph.db"));
    expect(error).toBeInstanceOf(StartupError);
    expect(error.message).toContain(join(parent, "heph.db"));
    expect(readFileSync(parent, "utf8")).toBe("x");
  });

  // A file without read/write permission is not tested here: the suite runs as root, for whom
  // open(2) ignores mode bits, so the refusal cannot be observed.
});

describe("code-side backfills after migrating", () => {
  test("bodies written before schema 4 get their wiki links derived once", () => {
    const dir = tempDir();
    const path = join(dir.path, "heph.db");
    const old = new Database(path);
    migrate(old, migrations.slice(0, 3));
    const stamp = "2026-01-01T00:00:00.000Z";
    old.run(
      "INSERT INTO nodes (id, kind, title, body, created_at, updated_at) VALUES ('01JD3QZ5N6X4W8Y2T7R9M0K1AA', 'doc', 'Source', 'see [[Target]] and [[Nowhere]]', ?, ?)",
      [stamp, stamp],
    );
    old.run(
      "INSERT INTO nodes (id, kind, title, body, created_at, updated_at) VALUES ('01JD3QZ5N6X4W8Y2T7R9M0K1AB', 'doc', 'Target', '', ?, ?)",
      [stamp, stamp],
    );
    old.close();
    const store = openStore(path, () => new Date(stamp));
    try {
      const links = store.links.out("01JD3QZ5N6X4W8Y2T7R9M0K1AA").map((l) => [l.target, l.dst]);
      expect(links).toEqual([
        ["Nowhere", null],
        ["Target", "01JD3QZ5N6X4W8Y2T7R9M0K1AB"],
      ]);
      expect(store.db.query("SELECT count(*) AS n FROM pending_backfills").get()).toEqual({ n: 0 });
    } finally {
      store.close();
      dir.cleanup();
    }
  });
});

describe("schema 7: the project beside the task", () => {
  const stamp = "2026-01-01T00:00:00.000Z";
  const ids = {
    home: "01JD3QZ5N6X4W8Y2T7R9M0K1P1",
    work: "01JD3QZ5N6X4W8Y2T7R9M0K1P2",
    filed: "01JD3QZ5N6X4W8Y2T7R9M0K1T1",
    unfiled: "01JD3QZ5N6X4W8Y2T7R9M0K1T2",
    late: "01JD3QZ5N6X4W8Y2T7R9M0K1T3",
  };
  const node = (db: Database, id: string, kind: string, title: string) =>
    db.run(
      "INSERT INTO nodes (id, kind, title, body, created_at, updated_at) VALUES (?, ?, ?, '', ?, ?)",
      [id, kind, title, stamp, stamp],
    );
  const fileIn = (db: Database, task: string, project: string) =>
    db.run(
      "INSERT INTO links (src, type, target, dst, created_at) VALUES (?, 'in-project', ?, ?, ?)",
      [task, project, project, stamp],
    );
  const projectOf = (db: Database, task: string) =>
    (
      db.query("SELECT project_id FROM tasks WHERE node_id = ?").get(task) as {
        project_id: unknown;
      }
    ).project_id;

  test("a schema 6 store gets each task's project copied from its link, and triggers keep it right", () => {
    const old = new Database(dbPath, { create: true, strict: true });
    migrate(old, migrations.slice(0, 6));
    node(old, ids.home, "project", "Home");
    node(old, ids.work, "project", "Work");
    node(old, ids.filed, "task", "Filed");
    node(old, ids.unfiled, "task", "Unfiled");
    old.run("INSERT INTO tasks (node_id) VALUES (?), (?)", [ids.filed, ids.unfiled]);
    fileIn(old, ids.filed, ids.home);
    old.close();

    const store = openStore(dbPath, () => new Date(stamp));
    try {
      const db = store.db;
      expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
      expect(projectOf(db, ids.filed)).toBe(ids.home);
      expect(projectOf(db, ids.unfiled)).toBeNull();
      expect(store.tasks.get(ids.filed)?.project).toBe("Home");

      // Filed, moved (INSERT OR REPLACE after a delete), unfiled: the copy follows the link.
      store.tasks.update(ids.unfiled, { project_id: ids.work });
      expect(projectOf(db, ids.unfiled)).toBe(ids.work);
      store.tasks.update(ids.filed, { project_id: ids.work });
      expect(projectOf(db, ids.filed)).toBe(ids.work);
      store.tasks.update(ids.filed, { project_id: null });
      expect(projectOf(db, ids.filed)).toBeNull();
      db.run(
        "INSERT OR REPLACE INTO links (src, type, target, dst, created_at) VALUES (?, 'in-project', ?, ?, ?)",
        [ids.unfiled, ids.work, ids.home, stamp],
      );
      expect(projectOf(db, ids.unfiled)).toBe(ids.home);

      // A task row written after its link starts with the project.
      node(db, ids.late, "task", "Late row");
      fileIn(db, ids.late, ids.work);
      db.run("INSERT INTO tasks (node_id) VALUES (?)", [ids.late]);
      expect(projectOf(db, ids.late)).toBe(ids.work);

      // A project row deleted outright sets its links' dst to NULL, and the copy with it.
      db.run("DELETE FROM nodes WHERE id = ?", [ids.work]);
      expect(projectOf(db, ids.late)).toBeNull();
      expect(projectOf(db, ids.unfiled)).toBe(ids.home);

      // The ordered indexes of outstanding tasks carry the project.
      const columns = (index: string) =>
        (db.query(`PRAGMA index_info(${index})`).all() as { name: string }[]).map((c) => c.name);
      expect(columns("tasks_open_by_age")).toContain("project_id");
      expect(columns("tasks_open_by_late_on")).toContain("project_id");
      expect(columns("tasks_by_project")[0]).toBe("project_id");
    } finally {
      store.close();
    }
  });
});

describe("schema 8: imports", () => {
  test("a version-7 store gains import_sources and nodes.folder, keeping its rows (folder null)", () => {
    const old = new Database(dbPath, { create: true, strict: true });
    migrate(old, migrations.slice(0, 7));
    const stamp = "2026-01-01T00:00:00.000Z";
    old.run(
      "INSERT INTO nodes (id, kind, title, body, created_at, updated_at) VALUES ('01JD3QZ5N6X4W8Y2T7R9M0K1AA', 'task', 'Old task', '', ?, ?)",
      [stamp, stamp],
    );
    old.run("INSERT INTO tasks (node_id) VALUES ('01JD3QZ5N6X4W8Y2T7R9M0K1AA')");
    old.close();
    withOpened(dbPath, (db) => {
      expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
      expect(tableNames(db)).toContain("import_sources");
      expect(db.query("SELECT title, folder FROM nodes").all()).toEqual([
        { title: "Old task", folder: null },
      ]);
      const columns = (
        db.query("PRAGMA table_info(import_sources)").all() as Array<{ name: string }>
      ).map((c) => c.name);
      expect(columns).toEqual(["source", "key", "node_id", "hash", "imported_at", "merged_hash"]);
      // (source, key) is the identity of an imported record: a second row for it is refused.
      const insert = db.query(
        "INSERT INTO import_sources (source, key, node_id, hash, imported_at) VALUES ('taskwarrior', 'k', '01JD3QZ5N6X4W8Y2T7R9M0K1AA', 'h', ?)",
      );
      insert.run(stamp);
      expect(() => insert.run(stamp)).toThrow();
      // A corrected creation time reaches the copy beside the task that `next` ranks by.
      db.run(
        "UPDATE nodes SET created_at = '2020-05-05T00:00:00.000Z' WHERE id = '01JD3QZ5N6X4W8Y2T7R9M0K1AA'",
      );
      expect(db.query("SELECT created_at FROM tasks").get()).toEqual({
        created_at: "2020-05-05T00:00:00.000Z",
      });
    });
  });
});
