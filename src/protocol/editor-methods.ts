/**
 * Methods an editor surface (heph.nvim) needs beyond what the CLI uses: `[[` completion over
 * titles and aliases, and turning a checklist line into a task linked from that line.
 */
import { z } from "zod";
import { spec } from "./method-spec.ts";
import { NodeKind, Timestamp } from "./schemas.ts";
import { IdRef, Task } from "./task-schemas.ts";

export const Completion = z.object({
  id: z.string(),
  kind: NodeKind,
  title: z.string(),
  /** The alias that matched, for a match on an alias; null otherwise. */
  alias: z.string().nullable(),
  /** How it matched: the start of its title, the start of an alias, or inside either. */
  match: z.enum(["title", "alias", "contains"]),
});

export const editorMethods = {
  "node.complete": spec(
    "Candidates for completing a [[link]]: live nodes whose title or an alias starts with the query (ignoring ASCII case), then those whose title or an alias contains it, up to limit.",
    z.strictObject({
      query: z.string().max(1000),
      kind: z.union([NodeKind, z.array(NodeKind)]).optional(),
      limit: z.number().int().min(1).max(200).default(20),
    }),
    z.array(Completion),
    false,
  ),
  "task.promote": spec(
    "Makes the `- [ ]` item on a 1-based line of a node's body a task: the text is read as a quick-add line, the task is created and ` [[<task id>]]` is appended to the line, in one transaction. Returns the task.",
    z.strictObject({
      id: IdRef,
      line: z.number().int().min(1),
      base_updated_at: Timestamp.optional(),
    }),
    Task,
    true,
  ),
};
