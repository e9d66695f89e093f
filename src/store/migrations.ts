/**
 * Forward-only schema migrations. The store's version is `PRAGMA user_version`; migration N
 * takes a store from version N-1 to N inside one transaction. Never edit a released migration:
 * add the next one.
 */

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Marks a SQLite file as a heph store (`PRAGMA application_id`), so a foreign database is refused. */
export const HEPH_APPLICATION_ID = 0x68657068; // "heph"

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: "nodes with aliases and tags",
    sql: `
      PRAGMA application_id = ${HEPH_APPLICATION_ID};
      CREATE TABLE nodes (
        id         TEXT PRIMARY KEY,
        kind       TEXT NOT NULL CHECK (kind IN ('doc', 'task', 'project', 'tag', 'journal')),
        title      TEXT NOT NULL,
        body       TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        deleted_at TEXT
      ) STRICT;
      CREATE INDEX nodes_kind_title ON nodes (kind, title) WHERE deleted_at IS NULL;
      CREATE INDEX nodes_title ON nodes (title) WHERE deleted_at IS NULL;

      -- Aliases and tags are structured fields of a node, kept in order.
      CREATE TABLE node_aliases (
        node_id  TEXT NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        alias    TEXT NOT NULL,
        PRIMARY KEY (node_id, position),
        UNIQUE (node_id, alias)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX node_aliases_alias ON node_aliases (alias);

      CREATE TABLE node_tags (
        node_id  TEXT NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        tag      TEXT NOT NULL,
        PRIMARY KEY (node_id, position),
        UNIQUE (node_id, tag)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX node_tags_tag ON node_tags (tag);
    `,
  },
  {
    version: 2,
    name: "links",
    sql: `
      -- (src, type, target): target is the text as written ([[Target]] or an id); dst is the
      -- node it resolves to, or NULL while unresolved (BRIEF §6).
      CREATE TABLE links (
        src        TEXT NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
        type       TEXT NOT NULL CHECK (length(type) > 0),
        target     TEXT NOT NULL,
        dst        TEXT REFERENCES nodes (id) ON DELETE SET NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (src, type, target)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX links_dst ON links (dst, type);
      CREATE INDEX links_unresolved ON links (target) WHERE dst IS NULL;
    `,
  },
  {
    version: 3,
    name: "tasks, projects and task logs",
    sql: `
      -- Task fields beside the task's node. Dates are local calendar dates, YYYY-MM-DD.
      CREATE TABLE tasks (
        node_id    TEXT PRIMARY KEY REFERENCES nodes (id) ON DELETE CASCADE,
        state      TEXT NOT NULL DEFAULT 'outstanding' CHECK (state IN ('outstanding', 'done', 'dropped')),
        attention  TEXT NOT NULL DEFAULT 'white' CHECK (attention IN ('white', 'orange', 'red', 'blue')),
        do_date    TEXT CHECK (do_date IS NULL OR do_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
        late_on    TEXT CHECK (late_on IS NULL OR late_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
        recurrence TEXT,
        closed_at  TEXT
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX tasks_open ON tasks (state, attention, do_date);

      -- The append-only log of each task: notes and lifecycle events, in order.
      CREATE TABLE task_log (
        seq     INTEGER PRIMARY KEY,
        task_id TEXT NOT NULL REFERENCES nodes (id),
        at      TEXT NOT NULL,
        kind    TEXT NOT NULL CHECK (kind IN ('note', 'created', 'done', 'dropped', 'reopened')),
        text    TEXT NOT NULL
      ) STRICT;
      CREATE INDEX task_log_task ON task_log (task_id, seq);
      CREATE TRIGGER task_log_no_update BEFORE UPDATE ON task_log
        BEGIN SELECT RAISE(ABORT, 'task_log is append-only'); END;
      CREATE TRIGGER task_log_no_delete BEFORE DELETE ON task_log
        BEGIN SELECT RAISE(ABORT, 'task_log is append-only'); END;

      -- Project names are unique among live projects, whatever their case.
      CREATE UNIQUE INDEX nodes_project_name ON nodes (lower(title)) WHERE kind = 'project' AND deleted_at IS NULL;
      CREATE INDEX links_type_dst ON links (type, dst);
    `,
  },
  {
    version: 4,
    name: "full-text search, journals, link resolution indexes",
    sql: `
      -- Titles and bodies of live nodes, kept in step with nodes by triggers, inside the same
      -- transaction as the write. Accents fold (remove_diacritics 2): "cafe" finds "Café".
      CREATE VIRTUAL TABLE nodes_fts USING fts5(
        title, body, content = 'nodes', content_rowid = 'rowid',
        tokenize = 'unicode61 remove_diacritics 2'
      );
      CREATE TRIGGER nodes_fts_insert AFTER INSERT ON nodes WHEN new.deleted_at IS NULL BEGIN
        INSERT INTO nodes_fts (rowid, title, body) VALUES (new.rowid, new.title, new.body);
      END;
      -- One trigger, so the old row leaves the index before the new one enters (two triggers
      -- may fire in either order, and a late 'delete' would strip words the new row shares).
      CREATE TRIGGER nodes_fts_update AFTER UPDATE OF title, body, deleted_at ON nodes BEGIN
        INSERT INTO nodes_fts (nodes_fts, rowid, title, body)
          SELECT 'delete', old.rowid, old.title, old.body WHERE old.deleted_at IS NULL;
        INSERT INTO nodes_fts (rowid, title, body)
          SELECT new.rowid, new.title, new.body WHERE new.deleted_at IS NULL;
      END;
      CREATE TRIGGER nodes_fts_delete AFTER DELETE ON nodes WHEN old.deleted_at IS NULL BEGIN
        INSERT INTO nodes_fts (nodes_fts, rowid, title, body) VALUES ('delete', old.rowid, old.title, old.body);
      END;
      INSERT INTO nodes_fts (rowid, title, body) SELECT rowid, title, body FROM nodes WHERE deleted_at IS NULL;

      -- One journal per local date, even under concurrent calls.
      CREATE UNIQUE INDEX nodes_journal_date ON nodes (title) WHERE kind = 'journal' AND deleted_at IS NULL;

      -- Link resolution: exact title or alias, ASCII case folded (NOCASE).
      CREATE INDEX nodes_title_nocase ON nodes (title COLLATE NOCASE) WHERE deleted_at IS NULL;
      CREATE INDEX node_aliases_nocase ON node_aliases (alias COLLATE NOCASE);
      -- The name a link target ends in ([[Folder/Note.md]] → note), lower-cased, so unresolved
      -- links can be found by the name of a node that appears later without a table scan.
      ALTER TABLE links ADD COLUMN target_key TEXT;
      CREATE INDEX links_target_key ON links (target_key);

      -- Work that needs code, not SQL, done once by the daemon right after migrating: bodies
      -- written before links were derived get their links now.
      CREATE TABLE pending_backfills (name TEXT PRIMARY KEY) STRICT;
      INSERT INTO pending_backfills (name) VALUES ('derive-links');

      -- Frontmatter keys heph has no field for (Obsidian's created, status, …), kept as JSON so
      -- they survive a round trip through an editor.
      ALTER TABLE nodes ADD COLUMN properties TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(properties));
    `,
  },
  {
    version: 5,
    name: "next without joins",
    sql: `
      -- "What is next?" reads only the tasks table: the node's creation time and tombstone are
      -- copied beside the task fields (triggers keep them right), and one covering index holds
      -- every column the ranking and its filters need.
      ALTER TABLE tasks ADD COLUMN created_at TEXT NOT NULL DEFAULT '';
      ALTER TABLE tasks ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
      UPDATE tasks SET
        created_at = (SELECT n.created_at FROM nodes n WHERE n.id = tasks.node_id),
        deleted = (SELECT n.deleted_at IS NOT NULL FROM nodes n WHERE n.id = tasks.node_id);
      CREATE TRIGGER tasks_copy_created AFTER INSERT ON tasks BEGIN
        UPDATE tasks SET created_at = (SELECT created_at FROM nodes WHERE id = new.node_id)
        WHERE node_id = new.node_id;
      END;
      CREATE TRIGGER tasks_copy_deleted AFTER UPDATE OF deleted_at ON nodes WHEN new.kind = 'task' BEGIN
        UPDATE tasks SET deleted = (new.deleted_at IS NOT NULL) WHERE node_id = new.id;
      END;
      CREATE INDEX tasks_next ON tasks (state, deleted, attention, do_date, late_on, created_at, node_id);
    `,
  },
  {
    version: 6,
    name: "next from ordered indexes",
    sql: `
      -- "What is next?" reads outstanding tasks already in its order, and stops after the few it
      -- returns: late ones by late_on, the others by age within each attention. Partial
      -- indexes: done and deleted tasks, most of a long-used store, are not in them.
      CREATE INDEX tasks_open_by_age ON tasks (attention, created_at, node_id, do_date, late_on)
        WHERE state = 'outstanding' AND deleted = 0;
      CREATE INDEX tasks_open_by_late_on ON tasks (late_on, attention, created_at, node_id, do_date)
        WHERE state = 'outstanding' AND deleted = 0;
    `,
  },
  {
    version: 7,
    name: "project beside the task, for list pages and counts",
    sql: `
      -- A task's project (the dst of its in-project link; NULL for none) copied into tasks, so
      -- list and list.count filter by project or inbox on the tasks table and its indexes
      -- instead of probing links once per task. Triggers on links keep it right, whatever
      -- writes the link (insert, INSERT OR REPLACE, delete, a project row deleted under it).
      ALTER TABLE tasks ADD COLUMN project_id TEXT;
      UPDATE tasks SET project_id =
        (SELECT l.dst FROM links l WHERE l.src = tasks.node_id AND l.type = 'in-project');
      CREATE TRIGGER tasks_project_link_insert AFTER INSERT ON links WHEN new.type = 'in-project' BEGIN
        UPDATE tasks SET project_id =
          (SELECT l.dst FROM links l WHERE l.src = new.src AND l.type = 'in-project')
        WHERE node_id = new.src;
      END;
      CREATE TRIGGER tasks_project_link_update AFTER UPDATE OF src, type, dst ON links
        WHEN old.type = 'in-project' OR new.type = 'in-project' BEGIN
        UPDATE tasks SET project_id =
          (SELECT l.dst FROM links l WHERE l.src = tasks.node_id AND l.type = 'in-project')
        WHERE node_id IN (old.src, new.src);
      END;
      CREATE TRIGGER tasks_project_link_delete AFTER DELETE ON links WHEN old.type = 'in-project' BEGIN
        UPDATE tasks SET project_id =
          (SELECT l.dst FROM links l WHERE l.src = old.src AND l.type = 'in-project')
        WHERE node_id = old.src;
      END;
      -- A task row written after its link still starts with the right project.
      CREATE TRIGGER tasks_copy_project AFTER INSERT ON tasks BEGIN
        UPDATE tasks SET project_id =
          (SELECT l.dst FROM links l WHERE l.src = new.node_id AND l.type = 'in-project')
        WHERE node_id = new.node_id;
      END;

      -- The ordered partial indexes of schema 6 also carry the project, so a page of a
      -- project's or the inbox's outstanding tasks is read out of them without a row lookup.
      DROP INDEX tasks_open_by_age;
      DROP INDEX tasks_open_by_late_on;
      CREATE INDEX tasks_open_by_age ON tasks (attention, created_at, node_id, do_date, late_on, project_id)
        WHERE state = 'outstanding' AND deleted = 0;
      CREATE INDEX tasks_open_by_late_on ON tasks (late_on, attention, created_at, node_id, do_date, project_id)
        WHERE state = 'outstanding' AND deleted = 0;
      -- Counts and pages by project in any state: a range of this index, every column the
      -- filters and the next order read included.
      CREATE INDEX tasks_by_project ON tasks (project_id, state, deleted, attention, late_on, created_at, do_date);
    `,
  },
  {
    version: 8,
    name: "imports: where each imported node came from, and source folders",
    sql: `
      -- One row per imported node: the (source, key) it was read from (a vault path, a
      -- Taskwarrior uuid, a Todoist id), the hash of the record as last imported (an unchanged
      -- hash leaves the node alone), and when. merged_hash is set only where an import met a
      -- node that had text of its own (a journal written in heph): the hash of the section the
      -- import appended, so a later import replaces that section only while it is untouched.
      CREATE TABLE import_sources (
        source      TEXT NOT NULL CHECK (length(source) > 0),
        key         TEXT NOT NULL CHECK (length(key) > 0),
        node_id     TEXT NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
        hash        TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        merged_hash TEXT,
        PRIMARY KEY (source, key)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX import_sources_node ON import_sources (node_id);

      -- The folder a node was imported from ("Projects/2025"; "" is the top), so an export can
      -- write it back where it was; NULL for nodes made in heph.
      ALTER TABLE nodes ADD COLUMN folder TEXT;

      -- An import may correct a node's creation time (the source knows it); the copy beside a
      -- task follows, as it follows the tombstone.
      -- The task row is written with its created_at now; the copy is only for rows without one.
      DROP TRIGGER tasks_copy_created;
      CREATE TRIGGER tasks_copy_created AFTER INSERT ON tasks WHEN new.created_at = '' BEGIN
        UPDATE tasks SET created_at = (SELECT created_at FROM nodes WHERE id = new.node_id)
        WHERE node_id = new.node_id;
      END;

      -- A bulk write (an import batch) builds the full-text index of the nodes it creates once,
      -- at its end, in one statement: an FTS5 insert fired by a trigger costs several times one
      -- made in bulk. While it runs, the one row of fts_deferred holds the highest nodes rowid
      -- from before it; the triggers leave rows above it alone. The row lives only inside that
      -- write's transaction (src/store/imports.ts), so the index is never behind once committed.
      CREATE TABLE fts_deferred (above INTEGER NOT NULL) STRICT;
      DROP TRIGGER nodes_fts_insert;
      CREATE TRIGGER nodes_fts_insert AFTER INSERT ON nodes WHEN new.deleted_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM fts_deferred WHERE new.rowid > above) BEGIN
        INSERT INTO nodes_fts (rowid, title, body) VALUES (new.rowid, new.title, new.body);
      END;
      DROP TRIGGER nodes_fts_update;
      CREATE TRIGGER nodes_fts_update AFTER UPDATE OF title, body, deleted_at ON nodes
        WHEN NOT EXISTS (SELECT 1 FROM fts_deferred WHERE new.rowid > above) BEGIN
        INSERT INTO nodes_fts (nodes_fts, rowid, title, body)
          SELECT 'delete', old.rowid, old.title, old.body WHERE old.deleted_at IS NULL;
        INSERT INTO nodes_fts (rowid, title, body)
          SELECT new.rowid, new.title, new.body WHERE new.deleted_at IS NULL;
      END;
      DROP TRIGGER nodes_fts_delete;
      CREATE TRIGGER nodes_fts_delete AFTER DELETE ON nodes WHEN old.deleted_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM fts_deferred WHERE old.rowid > above) BEGIN
        INSERT INTO nodes_fts (nodes_fts, rowid, title, body) VALUES ('delete', old.rowid, old.title, old.body);
      END;

      -- The project copy is written only when it changes: an UPDATE of project_id rewrites
      -- every index holding it even when the value stays, and a task insert with its link
      -- (an import's every task) paid that twice.
      DROP TRIGGER tasks_project_link_insert;
      CREATE TRIGGER tasks_project_link_insert AFTER INSERT ON links WHEN new.type = 'in-project' BEGIN
        UPDATE tasks SET project_id = new.dst
        WHERE node_id = new.src AND project_id IS NOT new.dst;
      END;
      -- A row written after its link takes the link's project; one written first (with its
      -- project, as the store writes them) is left to the link's own trigger.
      DROP TRIGGER tasks_copy_project;
      CREATE TRIGGER tasks_copy_project AFTER INSERT ON tasks
        WHEN EXISTS (SELECT 1 FROM links WHERE src = new.node_id AND type = 'in-project') BEGIN
        UPDATE tasks SET project_id =
          (SELECT l.dst FROM links l WHERE l.src = new.node_id AND l.type = 'in-project')
        WHERE node_id = new.node_id AND project_id IS NOT
          (SELECT l.dst FROM links l WHERE l.src = new.node_id AND l.type = 'in-project');
      END;

      -- Only wiki links have a target key; typed and tag links indexed NULL for nothing, an
      -- index write per task link an import makes.
      DROP INDEX links_target_key;
      CREATE INDEX links_target_key ON links (target_key) WHERE target_key IS NOT NULL;

      CREATE TRIGGER tasks_copy_created_update AFTER UPDATE OF created_at ON nodes
        WHEN new.kind = 'task' AND new.created_at IS NOT old.created_at BEGIN
        UPDATE tasks SET created_at = new.created_at WHERE node_id = new.id;
      END;
    `,
  },
  {
    version: 9,
    name: "sync: per-node engine state, the update log, conflicts, hub tokens",
    sql: `
      -- Settings and progress of sync on this store: its device's engine client id, whether
      -- sync is on, how far it has pushed and pulled, its last success and error.
      CREATE TABLE sync_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT, WITHOUT ROWID;
      -- Each node's Yjs document (its encoded state), written in the same transaction as the
      -- node's rows: the merge engine's view of the node, the tables are the query index.
      -- A rowid table: its rows (KiBs of state) are too big for WITHOUT ROWID to pay off.
      CREATE TABLE sync_docs (node_id TEXT PRIMARY KEY, state BLOB NOT NULL) STRICT;
      -- Every engine update this store made (received = 0) or took in (received = 1), in order:
      -- a spoke pushes its own past its cursor, a hub serves all of it past a spoke's cursor.
      CREATE TABLE sync_log (
        seq          INTEGER PRIMARY KEY AUTOINCREMENT,
        node_id      TEXT NOT NULL,
        update_bytes BLOB NOT NULL,
        origin       TEXT NOT NULL,
        received     INTEGER NOT NULL CHECK (received IN (0, 1))
      ) STRICT;
      -- A scalar changed concurrently on two devices: the value every replica kept, the one it
      -- did not, and the engine items that wrote each (so detection on a later merge is idempotent).
      CREATE TABLE conflicts (
        id          INTEGER PRIMARY KEY,
        node_id     TEXT NOT NULL,
        field       TEXT NOT NULL,
        kept        TEXT NOT NULL,
        lost        TEXT NOT NULL,
        lost_item   TEXT NOT NULL,
        winner_item TEXT NOT NULL,
        detected_at TEXT NOT NULL,
        resolved_at TEXT,
        resolution  TEXT,
        UNIQUE (node_id, field, lost_item)
      ) STRICT;
      CREATE INDEX conflicts_open ON conflicts (node_id, field) WHERE resolved_at IS NULL;
      -- Bearer tokens a hub accepts, one per device: only a SHA-256 of each is kept.
      CREATE TABLE hub_tokens (
        id           TEXT PRIMARY KEY,
        name         TEXT NOT NULL,
        hash         TEXT NOT NULL UNIQUE,
        created_at   TEXT NOT NULL,
        last_used_at TEXT,
        revoked_at   TEXT
      ) STRICT;
      CREATE UNIQUE INDEX hub_tokens_live_name ON hub_tokens (name) WHERE revoked_at IS NULL;
      -- This device's undo and redo steps: the sync_log entries each step wrote (undone by the
      -- engine's UndoManager), and the nodes it created (undone by a delete).
      CREATE TABLE sync_undo (
        id      INTEGER PRIMARY KEY,
        stack   TEXT NOT NULL CHECK (stack IN ('undo', 'redo')),
        entries TEXT NOT NULL CHECK (json_valid(entries)),
        created TEXT NOT NULL CHECK (json_valid(created)),
        at      TEXT NOT NULL
      ) STRICT;
      CREATE INDEX sync_undo_stack ON sync_undo (stack, id);
      -- OIDC subjects revoked on the hub: their tokens issued until revoked_at are refused.
      CREATE TABLE hub_revoked_subjects (subject TEXT PRIMARY KEY, revoked_at TEXT NOT NULL) STRICT, WITHOUT ROWID;
    `,
  },
];

export const LATEST_SCHEMA_VERSION = migrations.at(-1)?.version ?? 0;
