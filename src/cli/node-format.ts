/** How nodes, links and search hits look in a terminal. */
import type { Node } from "../protocol/schemas.ts";
import { colourEnabled, paint } from "./output.ts";

interface LinkLike {
  src: string;
  src_title: string;
  type: string;
  target: string;
  dst: string | null;
  dst_title: string | null;
}

export function nodeHeader(node: Node): string {
  const extras = [
    node.kind,
    node.id,
    node.aliases.length > 0 ? `aka ${node.aliases.join(", ")}` : "",
    node.tags.length > 0 ? node.tags.map((tag) => `#${tag}`).join(" ") : "",
  ].filter(Boolean);
  return `${paint(1, node.title)}\n${paint(2, extras.join("  ·  "))}`;
}

export function outLinks(links: readonly LinkLike[]): string {
  if (links.length === 0) return "No links.";
  return links
    .map((link) => {
      const where = link.dst
        ? `${link.dst_title} (${link.dst.slice(0, 10)})`
        : paint(33, `${link.target} (unresolved)`);
      return `  ${link.type.padEnd(8)} ${link.type === "tag" ? `#${link.target}` : where}`;
    })
    .join("\n");
}

export function backLinks(links: readonly LinkLike[]): string {
  if (links.length === 0) return "No backlinks.";
  return links
    .map((link) => `  ${link.type.padEnd(8)} ${link.src_title} (${link.src.slice(0, 10)})`)
    .join("\n");
}

/**
 * A snippet's [match] markers become bold on a colour terminal; without colour the brackets
 * stay, so the match is still marked. [[links]] are left as they are.
 */
export function highlight(snippet: string): string {
  if (!colourEnabled(1)) return snippet;
  return snippet.replace(/(?<!\[)\[([^[\]]+)\](?!\])/g, (_, word: string) => paint(1, word));
}
