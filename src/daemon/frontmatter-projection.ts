import { z } from "zod";
import { FrontmatterError, readFrontmatterFields, splitFrontmatter } from "../core/frontmatter.ts";
import { Label, Title } from "../protocol/schemas.ts";
import { describeIssues } from "./dispatch.ts";
import { invalidParam as invalid } from "./failures.ts";

/** What a body's leading YAML block sets; `body` is the rest. */
export interface Projection {
  /** The body began with a YAML block. */
  hasBlock: boolean;
  body: string;
  title?: string;
  aliases?: string[];
  tags?: string[];
  properties?: Record<string, unknown>;
  task: Record<string, string | null>;
}

/**
 * The frontmatter is a projection of structured fields: a block written back sets them (absent
 * aliases/tags/properties mean none) and is not kept in the body.
 */
export function project(text: string): Projection {
  let split: ReturnType<typeof splitFrontmatter>;
  try {
    split = splitFrontmatter(text);
  } catch (error) {
    if (error instanceof FrontmatterError) throw invalid("body", `frontmatter: ${error.message}`);
    throw error;
  }
  if (!split.data) return { hasBlock: false, body: text, task: {} };
  let fields: ReturnType<typeof readFrontmatterFields>;
  try {
    fields = readFrontmatterFields(split.data);
  } catch (error) {
    if (error instanceof FrontmatterError) throw invalid("body", `frontmatter: ${error.message}`);
    throw error;
  }
  const { title, aliases, tags, extra, ...task } = fields;
  try {
    JSON.stringify(extra);
  } catch {
    // YAML anchors can make a value contain itself (a: &a [*a]); JSON, and the store, cannot.
    throw invalid(
      "body",
      "frontmatter: a value refers to itself through a YAML alias (&a … *a); write it out instead",
    );
  }
  // The same rules as the fields' own params: one line, a sane length.
  const checked = z
    .object({
      title: Title.optional(),
      aliases: z.array(Label).max(100).optional(),
      tags: z.array(Label).max(100).optional(),
    })
    .safeParse({ title, aliases, tags });
  if (!checked.success)
    throw invalid("body", `frontmatter: ${describeIssues(checked.error.issues)}`);
  return {
    hasBlock: true,
    body: split.body,
    ...(title !== undefined ? { title } : {}),
    aliases: aliases ?? [],
    tags: tags ?? [],
    properties: extra,
    task: task as Record<string, string | null>,
  };
}
