/** Nodes, links, tags, journals and search: the knowledge-base methods (BRIEF §5–§6). */
import { z } from "zod";
import { spec } from "./method-spec.ts";
import { Label, Node, NodeKind, Timestamp, Title } from "./schemas.ts";
import { IdRef } from "./task-schemas.ts";

/** A node with, on request, its checklist items (derived from `- [ ]` lines outside code). */
export const NodeDetail = Node.extend({
  checklist: z
    .array(z.object({ line: z.number().int(), checked: z.boolean(), text: z.string() }))
    .optional(),
});

export const LinkView = z.object({
  src: z.string(),
  src_title: z.string(),
  src_kind: z.string(),
  type: z.string(),
  target: z.string(),
  dst: z.string().nullable(),
  dst_title: z.string().nullable(),
  dst_kind: z.string().nullable(),
});

export const SearchHit = z.object({
  id: z.string(),
  kind: NodeKind,
  title: z.string(),
  /** Body text around the match; the matched words are wrapped in [ and ]. */
  snippet: z.string(),
  /** Higher is better (bm25, title weighted 10×). */
  score: z.number(),
});

/** A node without its body: what a picker or shell completion lists. */
export const NodeSummary = z.object({ id: z.string(), kind: NodeKind, title: z.string() });

export const TagCount = z.object({
  tag: z.string(),
  /** Live nodes carrying it, in their tags field or as an inline #tag in the body. */
  count: z.number().int(),
});

/** A node by id or unique id prefix (4+ characters). */
const NodeId = IdRef;
const LinkType = z
  .string()
  .trim()
  .min(1, "must name a link type")
  .max(100)
  .regex(
    /^[\p{L}\p{N}_-]+$/u,
    "must be one word of letters, digits, - or _ (e.g. related, blocks)",
  );

export const nodeMethods = {
  "node.create": spec(
    "Creates a node (doc, tag or journal; tasks and projects have their own methods). A leading YAML frontmatter block in the body sets title, aliases, tags and properties and is not kept in the body.",
    z.strictObject({
      kind: NodeKind,
      title: Title.optional(),
      body: z.string().default(""),
      aliases: z.array(Label).max(100).default([]),
      tags: z.array(Label).max(100).default([]),
    }),
    Node,
    true,
  ),
  "node.get": spec(
    "Reads a node by id or unique prefix. frontmatter: true puts a YAML block (title, aliases, tags, properties, and task fields for tasks) before the body; checklist: true adds its checklist items. A deleted node is not found unless include_deleted.",
    z.strictObject({
      id: NodeId,
      include_deleted: z.boolean().default(false),
      frontmatter: z.boolean().default(false),
      checklist: z.boolean().default(false),
    }),
    NodeDetail,
    false,
  ),
  "node.update": spec(
    "Replaces the given fields (the body as a whole). A body with a leading YAML block applies its fields. With base_updated_at, a write against a newer version is refused with a conflict carrying the current node.",
    z.strictObject({
      id: NodeId,
      title: Title.optional(),
      body: z.string().optional(),
      aliases: z.array(Label).max(100).optional(),
      tags: z.array(Label).max(100).optional(),
      base_updated_at: Timestamp.optional(),
    }),
    Node,
    true,
  ),
  "node.delete": spec(
    "Tombstones a node: it stays in the store with deleted_at set. Deleting twice is fine.",
    z.strictObject({ id: NodeId }),
    Node,
    true,
  ),
  "node.resolve": spec(
    "The node a [[link]] text names, exactly: an id, else an alias, else a title (same case first, then ignoring ASCII case); null when none.",
    z.strictObject({ title: z.string().trim().min(1, "must not be empty").max(1000) }),
    Node.nullable(),
    false,
  ),
  "node.find": spec(
    "A node by id, unique id prefix, exact title or alias — what a CLI argument <id|title> means. Ambiguous prefixes are an error listing the matches.",
    z.strictObject({ ref: z.string().trim().min(1, "must not be empty").max(1000) }),
    Node,
    false,
  ),
  "node.list": spec(
    "Live nodes whose title starts with title_prefix (ASCII case ignored; empty: every node), ordered by title, as id, kind and title only: for pickers and shell completion. Tasks' context docs only with include_contexts.",
    z.strictObject({
      title_prefix: z.string().max(1000).default(""),
      kind: z.union([NodeKind, z.array(NodeKind)]).optional(),
      include_contexts: z.boolean().default(false),
      limit: z.number().int().min(1).max(1000).default(100),
    }),
    z.array(NodeSummary),
    false,
  ),
  "links.out": spec(
    "Links from a node: wiki links (resolved or not), tags and typed links.",
    z.strictObject({ id: NodeId }),
    z.array(LinkView),
    false,
  ),
  "links.back": spec(
    "Backlinks: live nodes that link to this one.",
    z.strictObject({ id: NodeId }),
    z.array(LinkView),
    false,
  ),
  "links.unresolved": spec(
    "[[Targets]] no node answers to yet, with the nodes that name them.",
    z.strictObject({}),
    z.array(
      z.object({
        target: z.string(),
        sources: z.array(z.object({ id: z.string(), title: z.string() })),
      }),
    ),
    false,
  ),
  "links.add": spec(
    "Adds a typed link between two nodes (e.g. related, blocks). wiki and tag links come from bodies, and in-project, parent, canonical-context and log-of are managed by their own methods.",
    z.strictObject({ src: NodeId, type: LinkType, dst: NodeId }),
    LinkView,
    true,
  ),
  "tag.add": spec(
    "Adds a tag to a node's tags.",
    z.strictObject({ id: NodeId, tag: Label }),
    Node,
    true,
  ),
  "tag.remove": spec(
    "Removes a tag from a node's tags (fine if it was not there).",
    z.strictObject({ id: NodeId, tag: Label }),
    Node,
    true,
  ),
  "tag.list": spec(
    "Tags in use on live nodes (the tags field and inline #tags), each with how many nodes carry it: the most used first. With prefix, only tags starting with it (a leading # is dropped; ASCII case ignored).",
    z.strictObject({
      prefix: z.string().max(200).default(""),
      limit: z.number().int().min(1).max(10_000).default(1000),
    }),
    z.array(TagCount),
    false,
  ),
  "journal.get": spec(
    "The journal for a local date (default: today), created on first use: the same node every time.",
    z.strictObject({ date: z.string().trim().min(1).max(100).optional() }),
    Node,
    true,
  ),
  search: spec(
    'Full-text search over titles and bodies of live nodes: ranked (bm25, title weighted), prefix on the last word, "phrases", -exclusions; never a syntax error.',
    z.strictObject({
      query: z.string().max(10_000),
      kind: z.union([NodeKind, z.array(NodeKind)]).optional(),
      limit: z.number().int().min(1).max(1000).default(20),
    }),
    z.array(SearchHit),
    false,
  ),
};
