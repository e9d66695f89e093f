import type { Store } from "../../store/store.ts";
import { skip } from "./skip.ts";

interface ProjectRow {
  id: string;
  name: string;
  parent_id: string | null;
}

/**
 * Project paths for imports. Project names are unique in heph whatever their case and wherever
 * they sit, but sources repeat names under different parents (Home.Admin and Work.Admin). The
 * rules, for each part of a path from the top:
 *
 * - a project of that name (any case) under the same parent is reused; at the top, a project of
 *   that name anywhere is reused (the user may have moved it);
 * - a name taken elsewhere gets its parent in brackets, "Admin (Home)", reused the same way;
 * - otherwise the project is created.
 */
export function projectPath(store: Store, path: readonly string[]): string {
  return resolvePath(store, path).id;
}

/** projectPath, also telling whether the last project of the path was created just now. */
export function resolvePath(
  store: Store,
  path: readonly string[],
  /** The id the last project takes if it is made now and the id is free. */
  lastId?: string,
): { id: string; created: boolean } {
  const byName = store.db.query<ProjectRow, [string]>(
    `SELECT n.id, n.title AS name, l.dst AS parent_id FROM nodes n
     LEFT JOIN links l ON l.src = n.id AND l.type = 'parent'
     WHERE n.kind = 'project' AND n.deleted_at IS NULL AND lower(n.title) = lower(?)`,
  );
  let parent: ProjectRow | null = null;
  let created = false;
  for (const [index, raw] of path.entries()) {
    const name = raw.trim();
    const found = byName.get(name);
    created = false;
    if (found && (index === 0 || found.parent_id === parent?.id)) {
      parent = found;
      continue;
    }
    const wanted: string = found && parent ? `${name} (${parent.name})` : name;
    const alternative: ProjectRow | null | undefined =
      wanted === name ? undefined : byName.get(wanted);
    if (alternative) {
      if (alternative.parent_id !== (parent?.id ?? null))
        skip(
          `project ${path.join(" / ")}: the names ${name} and ${wanted} are both taken by projects elsewhere; rename one and import again`,
        );
      parent = alternative;
      continue;
    }
    const made = store.projects.create(
      wanted,
      parent?.id ?? null,
      index === path.length - 1 ? lastId : undefined,
    );
    parent = { id: made.id, name: made.name, parent_id: made.parent_id };
    created = true;
  }
  if (!parent) skip("project: an empty path");
  return { id: parent.id, created };
}
