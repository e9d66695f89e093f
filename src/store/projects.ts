import type { Database } from "bun:sqlite";
import { type Clock, toTimestamp } from "../core/clock.ts";
import type { Project } from "../protocol/task-schemas.ts";
import type { ChangeTracker } from "./changes.ts";
import type { NodeStore } from "./nodes.ts";

interface ProjectRow {
  id: string;
  name: string;
  parent_id: string | null;
  created_at: string;
  outstanding: number;
}

/** Projects: `project` nodes; nesting is a `parent` link from child to parent. */
export class ProjectStore {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly nodes: NodeStore,
    private readonly changes: ChangeTracker,
  ) {}

  private rows(): ProjectRow[] {
    // One grouped pass over the project copied beside each outstanding task (schema 7), in
    // the partial index of outstanding tasks: not one count per project, nor a join with the
    // in-project links of every task.
    return this.db
      .query<ProjectRow, []>(
        `WITH counts AS (
           SELECT t.project_id, count(*) AS outstanding FROM tasks t INDEXED BY tasks_open_by_age
           WHERE t.project_id IS NOT NULL AND t.state = 'outstanding' AND t.deleted = 0
           GROUP BY t.project_id)
         SELECT n.id, n.title AS name, l.dst AS parent_id, n.created_at, coalesce(c.outstanding, 0) AS outstanding
         FROM nodes n LEFT JOIN links l ON l.src = n.id AND l.type = 'parent'
         LEFT JOIN counts c ON c.project_id = n.id
         WHERE n.kind = 'project' AND n.deleted_at IS NULL`,
      )
      .all();
  }

  /** A project's id by id or by name ignoring case, without counting anything. */
  findId(ref: string): string | undefined {
    const wanted = ref.trim();
    const lower = wanted.toLowerCase();
    return this.plain().find(
      (row) => row.id === wanted.toUpperCase() || row.name.toLowerCase() === lower,
    )?.id;
  }

  /** Every live project, each with its path from the top, sorted by path. */
  list(): Project[] {
    const rows = this.rows();
    const byId = new Map(rows.map((row) => [row.id, row]));
    const pathOf = (row: ProjectRow): string[] => {
      const path = [row.name];
      const seen = new Set([row.id]);
      let parent = row.parent_id ? byId.get(row.parent_id) : undefined;
      while (parent && !seen.has(parent.id)) {
        path.unshift(parent.name);
        seen.add(parent.id);
        parent = parent.parent_id ? byId.get(parent.parent_id) : undefined;
      }
      return path;
    };
    return rows
      .map((row) => ({
        id: row.id,
        name: row.name,
        parent_id: row.parent_id,
        parent: row.parent_id ? (byId.get(row.parent_id)?.name ?? null) : null,
        path: pathOf(row),
        outstanding: row.outstanding,
        created_at: row.created_at,
      }))
      .sort((a, b) => a.path.join("\u0000").localeCompare(b.path.join("\u0000")));
  }

  /** By id, or by name ignoring case. */
  find(ref: string): Project | undefined {
    // The id first, cheaply; the full project (path, counts) only when there is one.
    const id = this.findId(ref);
    return id ? this.list().find((project) => project.id === id) : undefined;
  }

  /** Live projects' ids and names, without counts. */
  private plain(): Array<{ id: string; name: string }> {
    return this.db
      .query<{ id: string; name: string }, []>(
        "SELECT id, title AS name FROM nodes WHERE kind = 'project' AND deleted_at IS NULL",
      )
      .all();
  }

  names(): string[] {
    return this.plain().map((row) => row.name);
  }

  /** `id` is taken if free: an import of a heph export keeps its ids. */
  create(name: string, parentId: string | null, id?: string): Project {
    const node = this.nodes.create({
      kind: "project",
      title: name,
      body: "",
      aliases: [],
      tags: [],
      id,
    });
    if (parentId) this.setParent(node.id, parentId);
    return this.find(node.id) as Project;
  }

  /** The project and every project below it. */
  subtree(id: string): string[] {
    return this.db
      .query<{ id: string }, [string]>(
        `WITH RECURSIVE below(id) AS (
           SELECT ?
           UNION SELECT l.src FROM links l JOIN below b ON l.dst = b.id WHERE l.type = 'parent'
         ) SELECT id FROM below`,
      )
      .all(id)
      .map((row) => row.id);
  }

  setParent(id: string, parentId: string | null) {
    this.changes.record(id);
    this.db.query("DELETE FROM links WHERE src = ? AND type = 'parent'").run(id);
    if (parentId) {
      this.db
        .query(
          "INSERT INTO links (src, type, target, dst, created_at) VALUES (?, 'parent', ?, ?, ?)",
        )
        .run(id, parentId, parentId, toTimestamp(this.clock()));
    }
  }

  rename(id: string, name: string) {
    this.nodes.update(id, { title: name });
  }
}
