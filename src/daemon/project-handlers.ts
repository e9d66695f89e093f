import type { Project } from "../protocol/task-schemas.ts";
import type { Store } from "../store/store.ts";
import type { Handlers } from "./dispatch.ts";
import { conflict, invalidState, notFound } from "./failures.ts";

type ProjectHandlers = Pick<
  Handlers,
  "project.create" | "project.list" | "project.move" | "project.rename"
>;

/** A project by name (any case) or id, or not_found. */
export function findProject(store: Store, ref: string): Project {
  const project = store.projects.find(ref);
  if (!project) throw notFound(`No project named ${ref}.`, { project: ref });
  return project;
}

/** A project's id by name or id, without building its path and counts (list filters need only this). */
export function findProjectId(store: Store, ref: string): string {
  const id = store.projects.findId(ref);
  if (!id) throw notFound(`No project named ${ref}.`, { project: ref });
  return id;
}

/** Project names are unique whatever their case: `name` may be taken only by `except`. */
export function refuseProjectClash(store: Store, name: string, except?: string) {
  const clash = store.projects.findId(name);
  if (clash && clash !== except)
    throw conflict(`A project named ${name} already exists.`, { project: name });
}

/** Projects nest through parent links; a move under its own subtree is refused. */
export function createProjectHandlers(store: Store): ProjectHandlers {
  const refuseClash = (name: string, except?: string) => refuseProjectClash(store, name, except);
  return {
    "project.create": ({ name, parent }) =>
      store.transaction(() => {
        refuseClash(name);
        return store.projects.create(name, parent === null ? null : findProject(store, parent).id);
      }),
    "project.list": () => store.projects.list(),
    "project.move": ({ project, parent }) =>
      store.transaction(() => {
        const moving = findProject(store, project);
        const target = parent === null ? null : findProject(store, parent);
        if (target && store.projects.subtree(moving.id).includes(target.id)) {
          throw invalidState(
            `Cannot move ${moving.name} under ${target.name}: ${target.id === moving.id ? "a project cannot contain itself" : `${target.name} is inside ${moving.name}`}.`,
          );
        }
        store.projects.setParent(moving.id, target?.id ?? null);
        return findProject(store, moving.id);
      }),
    "project.rename": ({ project, name }) =>
      store.transaction(() => {
        const renaming = findProject(store, project);
        refuseClash(name, renaming.id);
        store.projects.rename(renaming.id, name.trim());
        return findProject(store, renaming.id);
      }),
  };
}
