import { checklistItems } from "../core/checklist.ts";
import { isLocalDate, parseDate } from "../core/dates.ts";
import { renderFrontmatter } from "../core/frontmatter.ts";
import type { LocalDate } from "../core/task-types.ts";
import { ERROR_CODES, RpcFailure } from "../protocol/envelope.ts";
import type { Node } from "../protocol/schemas.ts";
import { DERIVED_LINK_TYPES, MANAGED_LINK_TYPES } from "../store/links.ts";
import { SearchStore } from "../store/search.ts";
import type { Store } from "../store/store.ts";
import type { Handlers } from "./dispatch.ts";
import { conflict, invalidParam } from "./failures.ts";
import { project } from "./frontmatter-projection.ts";
import { findNode, noNode } from "./node-ref.ts";
import { refuseProjectClash } from "./project-handlers.ts";

const missing = noNode;

type NodeHandlers = Pick<
  Handlers,
  | "node.create"
  | "node.get"
  | "node.update"
  | "node.delete"
  | "node.resolve"
  | "node.find"
  | "links.out"
  | "links.back"
  | "links.unresolved"
  | "links.add"
  | "tag.add"
  | "tag.remove"
  | "journal.get"
  | "search"
  | "node.append"
>;

/** Nodes, links, tags, journals and search. */
export function createNodeHandlers(context: {
  store: Store;
  /** The daemon's calendar date now (its time zone). */
  today: () => LocalDate;
  /** Task fields from a task's frontmatter go through the task methods' own rules. */
  applyTaskFields: (id: string, fields: Record<string, string | null>) => void;
}): NodeHandlers {
  const { store, today } = context;
  const search = new SearchStore(store.db);

  /** By id or unique prefix (4+ characters). */
  const byId = (ref: string, includeDeleted = false): Node => findNode(store, ref, includeDeleted);

  const write = <T>(work: () => T): T => store.transaction(work);

  /**
   * A rename must keep what the title means elsewhere: project names stay unique, a journal's
   * title stays its date, and a task's context doc follows its task.
   */
  const guardRename = (node: Node, title: string) => {
    if (node.kind === "project") refuseProjectClash(store, title, node.id);
    if (node.kind === "journal")
      throw invalidParam("title", "a journal's title is its date and cannot change");
    if (node.kind === "task") {
      const contextId = store.tasks.get(node.id)?.context_id;
      if (contextId) store.nodes.update(contextId, { title: `Context: ${title}` });
    }
  };

  const journalFor = (date: string): string | undefined =>
    store.db
      .query<{ id: string }, [string]>(
        "SELECT id FROM nodes WHERE kind = 'journal' AND title = ? AND deleted_at IS NULL",
      )
      .get(date)?.id;

  return {
    "node.create": (params) =>
      write(() => {
        if (params.kind === "task" || params.kind === "project") {
          throw new RpcFailure(
            ERROR_CODES.invalidParams,
            `Invalid params for node.create: kind: a ${params.kind} is made with ${params.kind}.create, which also sets up its ${params.kind === "task" ? "state, context doc and log" : "place in the project tree"}.`,
            {
              kind: "invalid_params",
              issues: [{ path: ["kind"], code: "custom", message: `use ${params.kind}.create` }],
            },
          );
        }
        const projection = project(params.body);
        const title = projection.title ?? params.title;
        if (!title || title.trim() === "")
          throw invalidParam("title", "a node needs a title (or a title: line in its frontmatter)");
        if (params.kind === "journal") {
          if (!isLocalDate(title.trim()))
            throw invalidParam(
              "title",
              "a journal's title is its date, YYYY-MM-DD (journal.get makes them)",
            );
          const existing = journalFor(title.trim());
          if (existing) {
            throw conflict(
              `The journal for ${title.trim()} already exists; journal.get returns it.`,
              {
                current: store.nodes.get(existing),
              },
            );
          }
        }
        return store.nodes.create({
          kind: params.kind,
          title: title.trim(),
          body: projection.body,
          aliases: projection.hasBlock
            ? [...(projection.aliases ?? []), ...params.aliases]
            : params.aliases,
          tags: projection.hasBlock ? [...(projection.tags ?? []), ...params.tags] : params.tags,
          // On a doc, task-named keys (project: in an Obsidian note, say) are just properties.
          properties: { ...(projection.properties ?? {}), ...projection.task },
        });
      }),
    "node.get": (params) => {
      const node = byId(params.id, params.include_deleted);
      const task = node.kind === "task" ? store.tasks.get(node.id) : undefined;
      const body = params.frontmatter
        ? `${renderFrontmatter({
            title: node.title,
            aliases: node.aliases,
            tags: node.tags,
            properties: node.properties,
            ...(task
              ? {
                  task: {
                    state: task.state,
                    attention: task.attention,
                    do_date: task.do_date,
                    late_on: task.late_on,
                    recurrence: task.recurrence,
                    project: task.project,
                  },
                }
              : {}),
          })}${node.body}`
        : node.body;
      return {
        ...node,
        body,
        ...(params.checklist
          ? {
              checklist: checklistItems(node.body).map(({ line, checked, text }) => ({
                line,
                checked,
                text,
              })),
            }
          : {}),
      };
    },
    "node.update": (params) =>
      write(() => {
        const node = byId(params.id);
        const projection = params.body === undefined ? undefined : project(params.body);
        const title = projection?.title ?? params.title;
        if (title !== undefined && title !== node.title) guardRename(node, title);
        const outcome = store.nodes.update(
          node.id,
          {
            title,
            body: projection?.body,
            aliases: projection?.hasBlock ? projection.aliases : params.aliases,
            tags: projection?.hasBlock ? projection.tags : params.tags,
            properties: projection?.hasBlock
              ? { ...projection.properties, ...(node.kind === "task" ? {} : projection.task) }
              : undefined,
          },
          params.base_updated_at,
        );
        if (outcome.status === "not_found") throw missing(params.id);
        if (outcome.status === "conflict") {
          throw conflict(
            `Node ${node.id} changed since ${params.base_updated_at} (now ${outcome.current.updated_at}); reload it and apply your change again.`,
            { current: outcome.current },
          );
        }
        if (projection && node.kind === "task" && Object.keys(projection.task).length > 0) {
          context.applyTaskFields(node.id, projection.task);
        }
        return store.nodes.get(node.id) as Node;
      }),
    "node.delete": (params) => write(() => store.nodes.delete(byId(params.id, true).id) as Node),
    "node.resolve": (params) => {
      const id = store.links.resolve(params.title);
      return id ? (store.nodes.get(id) ?? null) : null;
    },
    "node.find": (params) => {
      const id = store.links.resolve(params.ref);
      if (id) return store.nodes.get(id) as Node;
      if (/^[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{4,26}$/.test(params.ref)) return byId(params.ref);
      throw missing(params.ref);
    },
    "links.out": (params) => store.links.out(byId(params.id).id),
    "links.back": (params) => store.links.back(byId(params.id).id),
    "links.unresolved": () => store.links.unresolved(),
    "links.add": (params) =>
      write(() => {
        const type = params.type.toLowerCase();
        if ((DERIVED_LINK_TYPES as readonly string[]).includes(type)) {
          throw invalidParam(
            "type",
            `${type} links are derived from bodies: write [[Target]] or #tag in the body instead`,
          );
        }
        if ((MANAGED_LINK_TYPES as readonly string[]).includes(type)) {
          throw invalidParam(
            "type",
            `${type} links are managed by the task and project methods (task.set_project, project.move)`,
          );
        }
        const src = byId(params.src);
        const dst = byId(params.dst);
        store.links.add(src.id, type, dst.id);
        return store.links
          .out(src.id)
          .find((link) => link.type === type && link.dst === dst.id) as ReturnType<
          typeof store.links.out
        >[number];
      }),
    "tag.add": (params) =>
      write(() => {
        const node = byId(params.id);
        const tag = params.tag.replace(/^#/, "");
        if (node.tags.includes(tag)) return node;
        store.nodes.update(node.id, { tags: [...node.tags, tag] });
        return store.nodes.get(node.id) as Node;
      }),
    "tag.remove": (params) =>
      write(() => {
        const node = byId(params.id);
        const tag = params.tag.replace(/^#/, "");
        if (!node.tags.includes(tag)) return node;
        store.nodes.update(node.id, { tags: node.tags.filter((t) => t !== tag) });
        return store.nodes.get(node.id) as Node;
      }),
    "journal.get": (params) =>
      write(() => {
        const day = today();
        const date =
          params.date === undefined
            ? day
            : isLocalDate(params.date)
              ? params.date
              : parseDate(params.date, day);
        if (!date)
          throw invalidParam(
            "date",
            `${JSON.stringify(params.date)} is not a date: use YYYY-MM-DD, today, yesterday, friday…`,
          );
        const existing = journalFor(date);
        if (existing) return store.nodes.get(existing) as Node;
        return store.nodes.create({
          kind: "journal",
          title: date,
          body: "",
          aliases: [],
          tags: [],
        });
      }),
    "node.append": ({ id, text }) =>
      write(() => {
        const node = byId(id);
        const separator = node.body === "" || node.body.endsWith("\n") ? "" : "\n";
        const outcome = store.nodes.update(node.id, {
          body: `${node.body}${separator}${text.endsWith("\n") ? text : `${text}\n`}`,
        });
        if (outcome.status !== "updated")
          throw new Error(`node ${id} changed state inside its transaction`);
        return outcome.node;
      }),
    search: (params) => {
      const kinds =
        params.kind === undefined
          ? undefined
          : Array.isArray(params.kind)
            ? params.kind
            : [params.kind];
      return search.search({
        query: params.query,
        ...(kinds ? { kinds } : {}),
        limit: params.limit,
      });
    },
  };
}
