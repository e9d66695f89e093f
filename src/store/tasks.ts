import type { Database } from "bun:sqlite";
import { type Clock, nextTimestamp, toTimestamp } from "../core/clock.ts";
import { describeRecurrence } from "../core/recurrence.ts";
import { type Attention, type LocalDate, TASK_STATES, type TaskState } from "../core/task-types.ts";
import type { CountFilter, ListFilter, LogEntry, Task } from "../protocol/task-schemas.ts";
import type { ChangeTracker } from "./changes.ts";
import type { NewNode, NodeRow, NodeStore } from "./nodes.ts";

/** A task's node columns, its task fields, its project and its context doc, in one row. */
interface TaskRow extends Omit<NodeRow, "kind"> {
  state: TaskState;
  attention: Attention;
  do_date: string | null;
  late_on: string | null;
  recurrence: string | null;
  closed_at: string | null;
  project_id: string | null;
  project: string | null;
  context_id: string | null;
}

const TASK_COLUMNS = `
  n.id, n.title, n.body, n.properties, n.folder, n.created_at, n.updated_at, n.deleted_at,
  t.state, t.attention, t.do_date, t.late_on, t.recurrence, t.closed_at,
  p.id AS project_id, p.title AS project,
  (SELECT c.dst FROM links c WHERE c.src = n.id AND c.type = 'canonical-context') AS context_id`;

const TASK_FROM = `
  FROM tasks t
  JOIN nodes n ON n.id = t.node_id
  LEFT JOIN nodes p ON p.id = t.project_id`;

/** Attention as a number in the next order: red 0, orange 1, white 2, blue 3. */
const RANK =
  "CASE t.attention WHEN 'red' THEN 0 WHEN 'orange' THEN 1 WHEN 'white' THEN 2 ELSE 3 END";

/**
 * The "what is next?" order in SQL, the mirror of core/ranking.ts compareForNext, on the tasks
 * table alone (created_at is copied there): late tasks first, the longer late the earlier (an
 * older late_on is longer late), then red, orange, white, then oldest, then id. A test checks
 * both orders agree on random stores.
 */
export const NEXT_ORDER = `
  CASE WHEN t.late_on IS NOT NULL AND t.late_on < $today THEN t.late_on ELSE '9999-99-99' END,
  ${RANK},
  t.created_at, t.node_id`;

/** The attention colours in the next order: red first, blue (never in `next`) last. */
const BANDS = ["red", "orange", "white", "blue"] as const satisfies readonly Attention[];

const OUTSTANDING = "t.state = 'outstanding' AND t.deleted = 0";

/**
 * The same order as NEXT_ORDER, in parts that each come out of an index in order (schema 6,
 * with the project beside them since schema 7), so a store with 20,000 outstanding tasks reads
 * a few dozen index entries instead of sorting them all: late tasks (by late_on), then the
 * tasks of each colour in `bands` that are not late, each by age. `terms` are further filters
 * on the tasks table (checked on the index entries); `late: false` leaves out the late part
 * when the filter rules it out. Every part is cut to `$limit` before the parts are put
 * together: the first `$limit` of the whole are among them. The store test checks this equals
 * the pure ranking at every limit.
 */
function rankedByParts(terms: string, bands: readonly Attention[], late = true): string {
  const parts: string[] = [];
  if (late) {
    parts.push(
      `SELECT t.node_id, 0 AS part, t.late_on AS late_key, ${RANK} AS rank, t.created_at
       FROM tasks t INDEXED BY tasks_open_by_late_on
       WHERE ${OUTSTANDING} AND t.late_on < $today${terms}
       ORDER BY t.late_on, rank, t.created_at, t.node_id LIMIT $limit`,
    );
  }
  parts.push(
    ...BANDS.filter((band) => bands.includes(band)).map(
      (band) =>
        `SELECT t.node_id, ${BANDS.indexOf(band) + 1} AS part, '' AS late_key, 0 AS rank, t.created_at
         FROM tasks t INDEXED BY tasks_open_by_age
         WHERE ${OUTSTANDING} AND t.attention = '${band}'
           AND (t.late_on IS NULL OR t.late_on >= $today)${terms}
         ORDER BY t.created_at, t.node_id LIMIT $limit`,
    ),
  );
  // Nothing can match: still one well-formed query, with no rows.
  if (parts.length === 0) return "SELECT node_id FROM tasks WHERE 0";
  return `SELECT node_id FROM (${parts.map((part) => `SELECT * FROM (${part})`).join(" UNION ALL ")})
    ORDER BY part, late_key, rank, created_at, node_id LIMIT $limit`;
}

const NEXT_QUERY = rankedByParts(
  " AND t.attention != 'blue' AND (t.do_date IS NULL OR t.do_date <= $today)",
  ["red", "orange", "white"],
);

/** A list filter as SQL on the tasks table alone, with its parameters. */
interface FilterSql {
  /** The states, each one of TASK_STATES (so safe to write into the SQL). */
  states: TaskState[];
  /** Filters besides state and tombstone, each starting with " AND ". */
  terms: string;
  /** The colours whose not-late tasks the filter lets through (none if it wants only late ones). */
  bands: Attention[];
  /** Whether the filter lets late tasks through. */
  late: boolean;
  params: Record<string, string | number>;
}

function filterSql(filter: CountFilter, today: LocalDate, projectIds: string[] | null): FilterSql {
  const states = TASK_STATES.filter((state) => filter.state.includes(state));
  const terms: string[] = [];
  const params: Record<string, string | number> = { today };
  const inList = (name: string, values: readonly string[]) => {
    values.forEach((value, index) => {
      params[`${name}${index}`] = value;
    });
    return values.map((_, index) => `$${name}${index}`).join(", ");
  };
  if (projectIds) terms.push(`t.project_id IN (${inList("project", projectIds)})`);
  if (filter.unfiled) terms.push("t.project_id IS NULL");
  if (filter.attention?.length)
    terms.push(`t.attention IN (${inList("attention", filter.attention)})`);
  if (filter.exclude_attention?.length)
    terms.push(`t.attention NOT IN (${inList("exclude", filter.exclude_attention)})`);
  if (filter.actionable) {
    terms.push(
      "t.state = 'outstanding' AND t.attention != 'blue' AND (t.do_date IS NULL OR t.do_date <= $today)",
    );
  }
  const range = (column: string, from: string | undefined, to: string | undefined, key: string) => {
    if (from !== undefined) {
      params[`${key}_from`] = from;
      terms.push(`${column} >= $${key}_from`);
    }
    if (to !== undefined) {
      params[`${key}_to`] = to;
      terms.push(`${column} <= $${key}_to`);
    }
  };
  range("t.do_date", filter.do_from, filter.do_to, "do");
  range("t.late_on", filter.late_from, filter.late_to, "late");
  // A late-on window before today wants only late tasks; one from today on, none of them.
  const notLate = filter.late_to === undefined || filter.late_to >= today;
  const late = filter.late_from === undefined || filter.late_from < today;
  const bands = BANDS.filter(
    (band) =>
      notLate &&
      (!filter.attention?.length || filter.attention.includes(band)) &&
      !filter.exclude_attention?.includes(band) &&
      !(filter.actionable && band === "blue"),
  );
  return { states, terms: terms.map((term) => ` AND ${term}`).join(""), bands, late, params };
}

/** `t.state = 'x'` for one state (so the partial indexes of outstanding tasks apply), else IN. */
function stateTerm(states: readonly TaskState[]): string {
  if (states.length === 0) return "0";
  return states.length === 1
    ? `t.state = '${states[0]}'`
    : `t.state IN (${states.map((state) => `'${state}'`).join(", ")})`;
}

export interface NewTask {
  title: string;
  body: string;
  attention: Attention;
  do_date: LocalDate | null;
  late_on: LocalDate | null;
  recurrence: string | null;
  project_id: string | null;
  tags: string[];
}

/** What an import knows beyond a new task's fields: its state, history and origin. */
export interface ImportedTaskFields {
  state: TaskState;
  closed_at: string | null;
  created_at?: string;
  aliases: string[];
  properties: Record<string, unknown>;
  folder: string | null;
  /** The id to take if free (an import of a heph export). */
  id?: string | undefined;
  /** The context doc as exported (its id and fields); a new empty one otherwise. */
  context?: Omit<NewNode, "kind" | "title"> | null;
  /** The import brings the whole log: no created entry is added. */
  logComplete?: boolean;
}

/** Any of a new task's fields; null clears a date, the rule or the project. */
export type TaskPatch = Partial<NewTask>;

/** Tasks: a `task` node, its row in `tasks`, its project link, its context doc and its log. */
export class TaskStore {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly nodes: NodeStore,
    private readonly changes: ChangeTracker,
  ) {}

  private link(src: string, type: string, dst: string) {
    this.db
      .query(
        "INSERT OR REPLACE INTO links (src, type, target, dst, created_at) VALUES (?, ?, ?, ?, ?)",
      )
      .run(src, type, dst, dst, toTimestamp(this.clock()));
  }

  /** Creates the task, its context doc (canonical-context) and its first log entry. */
  create(input: NewTask): Task {
    return this.get(this.insert(input)) as Task;
  }

  /**
   * create without reading the task back: its id. An import passes what it knows besides: the
   * state, when it was made and closed (the log's created entry is dated then), aliases,
   * properties and the source folder.
   */
  insert(input: NewTask, imported?: ImportedTaskFields): string {
    const { id, created_at } = this.nodes.insertStamped({
      kind: "task",
      title: input.title,
      body: input.body,
      aliases: imported?.aliases ?? [],
      tags: input.tags,
      ...(imported
        ? {
            properties: imported.properties,
            folder: imported.folder,
            id: imported.id,
            ...(imported.created_at ? { created_at: imported.created_at } : {}),
          }
        : {}),
    });
    this.db
      .query(
        "INSERT INTO tasks (node_id, created_at, state, attention, do_date, late_on, recurrence, closed_at, project_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      )
      .run(
        id,
        created_at,
        imported?.state ?? "outstanding",
        input.attention,
        input.do_date,
        input.late_on,
        input.recurrence,
        imported?.closed_at ?? null,
        // Written with the row (the link below then changes nothing): see migration 8.
        input.project_id ?? null,
      );
    const context = this.nodes.insert({
      body: "",
      aliases: [],
      tags: [],
      ...(imported?.context ?? {}),
      kind: "doc",
      title: `Context: ${input.title}`,
    });
    // A new task has no links yet: plain inserts, not the replacing ones of later changes.
    const insertLink = this.db.query(
      "INSERT INTO links (src, type, target, dst, created_at) VALUES (?, ?, ?, ?, ?)",
    );
    insertLink.run(id, "canonical-context", context, context, created_at);
    if (input.project_id)
      insertLink.run(id, "in-project", input.project_id, input.project_id, created_at);
    if (!imported?.logComplete) this.appendLog(id, "created", "", imported?.created_at);
    return id;
  }

  get(id: string): Task | undefined {
    const row = this.db
      .query<TaskRow, [string]>(`SELECT ${TASK_COLUMNS} ${TASK_FROM} WHERE n.id = ?`)
      .get(id);
    return row ? this.toTasks([row])[0] : undefined;
  }

  update(id: string, patch: TaskPatch): Task {
    const current = this.get(id);
    if (!current) throw new Error(`task ${id} vanished inside its transaction`);
    if (patch.title !== undefined || patch.body !== undefined || patch.tags !== undefined) {
      this.nodes.update(id, { title: patch.title, body: patch.body, tags: patch.tags });
      if (patch.title !== undefined && current.context_id) {
        this.nodes.update(current.context_id, { title: `Context: ${patch.title}` });
      }
    } else {
      this.touch(id, current.updated_at);
    }
    const fields: Array<[string, unknown]> = [];
    for (const key of ["attention", "do_date", "late_on", "recurrence"] as const) {
      if (patch[key] !== undefined) fields.push([key, patch[key]]);
    }
    if (fields.length > 0) {
      this.db
        .query(
          `UPDATE tasks SET ${fields.map(([key]) => `${key} = ?`).join(", ")} WHERE node_id = ?`,
        )
        .run(...(fields.map(([, value]) => value) as Array<string | null>), id);
    }
    if (patch.project_id !== undefined) {
      this.db.query("DELETE FROM links WHERE src = ? AND type = 'in-project'").run(id);
      if (patch.project_id !== null) this.link(id, "in-project", patch.project_id);
    }
    return this.get(id) as Task;
  }

  /** Moves a task between outstanding, done and dropped. */
  setState(id: string, state: TaskState) {
    const closedAt = state === "outstanding" ? null : toTimestamp(this.clock());
    this.db
      .query("UPDATE tasks SET state = ?, closed_at = ? WHERE node_id = ?")
      .run(state, closedAt, id);
    const current = this.nodes.get(id);
    if (current) this.touch(id, current.updated_at);
  }

  private touch(id: string, previous: string) {
    this.changes.record(id);
    this.db
      .query("UPDATE nodes SET updated_at = ? WHERE id = ?")
      .run(nextTimestamp(this.clock(), previous), id);
  }

  /** Appends to the log, dated now unless `at` says when it happened (an imported note). */
  appendLog(taskId: string, kind: LogEntry["kind"], text: string, at?: string): LogEntry {
    return this.db
      .query<LogEntry, [string, string, string, string]>(
        "INSERT INTO task_log (task_id, at, kind, text) VALUES (?, ?, ?, ?) RETURNING *",
      )
      .get(taskId, at ?? toTimestamp(this.clock()), kind, text) as LogEntry;
  }

  /** The last `limit` entries, oldest first. */
  tailLog(taskId: string, limit: number): LogEntry[] {
    return this.db
      .query<LogEntry, [string, number]>(
        "SELECT * FROM (SELECT * FROM task_log WHERE task_id = ? ORDER BY seq DESC LIMIT ?) ORDER BY seq",
      )
      .all(taskId, limit);
  }

  /** Candidates for "what is next?", in the next order. */
  next(today: LocalDate, limit: number): Task[] {
    // Two steps: rank on the tasks table alone, then read in full only the rows that made the
    // cut. The ranking never sorts every candidate: rankedByParts walks indexes already in order
    // and stops after `limit` rows of each part.
    const ids = this.db
      .query<{ node_id: string }, Record<string, string | number>>(NEXT_QUERY)
      .all({ today, limit })
      .map((row) => row.node_id);
    return this.byIds(ids);
  }

  /**
   * Tasks matching a filter, in the next order, at most `filter.limit` (null: all of them).
   * `projectIds` is the resolved project subtree.
   */
  list(filter: ListFilter, today: LocalDate, projectIds: string[] | null): Task[] {
    const { states, terms, bands, late, params } = filterSql(filter, today, projectIds);
    params.limit = filter.limit ?? -1; // LIMIT -1: no limit
    // As in next(): rank on the tasks table alone, then read in full only the rows that made
    // the cut. Outstanding tasks come out of the ordered partial indexes and a page stops
    // early; closed ones (not in those indexes) are sorted.
    const outstandingOnly =
      states.includes("outstanding") && (states.length === 1 || filter.actionable === true);
    const sql = outstandingOnly
      ? rankedByParts(terms, bands, late)
      : `SELECT t.node_id FROM tasks t WHERE t.deleted = 0 AND ${stateTerm(states)}${terms}
         ORDER BY ${NEXT_ORDER} LIMIT $limit`;
    const ids = this.db
      .query<{ node_id: string }, Record<string, string | number>>(sql)
      .all(params)
      .map((row) => row.node_id);
    return this.byIds(ids);
  }

  /** How many tasks match a filter, whatever its limit: the size of the whole list. */
  count(filter: CountFilter, today: LocalDate, projectIds: string[] | null): number {
    const { states, terms, params } = filterSql(filter, today, projectIds);
    const row = this.db
      .query<{ n: number }, Record<string, string | number>>(
        `SELECT count(*) AS n FROM tasks t WHERE t.deleted = 0 AND ${stateTerm(states)}${terms}`,
      )
      .get(params);
    return row?.n ?? 0;
  }

  /** Full rows for ids, in the order given. */
  private byIds(ids: string[]): Task[] {
    if (ids.length === 0) return [];
    const rows = this.db
      .query<TaskRow, [string]>(
        `SELECT ${TASK_COLUMNS} ${TASK_FROM} WHERE n.id IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify(ids));
    const byId = new Map(rows.map((row) => [row.id, row]));
    return this.toTasks(
      ids.map((id) => byId.get(id)).filter((row): row is TaskRow => row !== undefined),
    );
  }

  /** Rows to wire tasks, with tags and aliases fetched for all rows at once. */
  private toTasks(rows: TaskRow[]): Task[] {
    if (rows.length === 0) return [];
    const ids = JSON.stringify(rows.map((row) => row.id));
    const tags = new Map<string, string[]>();
    for (const { node_id, tag } of this.db
      .query<{ node_id: string; tag: string }, [string]>(
        "SELECT node_id, tag FROM node_tags WHERE node_id IN (SELECT value FROM json_each(?)) ORDER BY node_id, position",
      )
      .all(ids)) {
      tags.set(node_id, [...(tags.get(node_id) ?? []), tag]);
    }
    const aliases = new Map<string, string[]>();
    for (const { node_id, alias } of this.db
      .query<{ node_id: string; alias: string }, [string]>(
        "SELECT node_id, alias FROM node_aliases WHERE node_id IN (SELECT value FROM json_each(?)) ORDER BY node_id, position",
      )
      .all(ids)) {
      aliases.set(node_id, [...(aliases.get(node_id) ?? []), alias]);
    }
    return rows.map((row) => ({
      ...row,
      properties: JSON.parse(row.properties) as Record<string, unknown>,
      kind: "task" as const,
      aliases: aliases.get(row.id) ?? [],
      tags: tags.get(row.id) ?? [],
      recurrence_text: row.recurrence ? describeRecurrence(row.recurrence) : null,
    }));
  }
}
