/**
 * Candidates the running daemon knows, for `heph __complete`: task ids (titles as their
 * descriptions), project names, tags and note titles. Each source is one or two read-only
 * requests on the client it is given.
 */
import type { RpcClient } from "../../client/client.ts";
import type { TaskState } from "../../core/task-types.ts";
import type { DynamicSource } from "./hint.ts";

export interface Candidate {
  value: string;
  /** Shown beside the value where the shell can (zsh, fish); never inserted. */
  description: string;
}

type Caller = Pick<RpcClient, "call">;

/** At most this many tasks are offered: more than any shell shows without paging. */
const TASK_LIMIT = 1000;
/** At most this many notes: titles are asked by prefix, so a longer prefix narrows them. */
const NOTE_LIMIT = 200;

const foldedStart = (text: string, prefix: string) =>
  text.toLowerCase().startsWith(prefix.toLowerCase());

async function tasks(client: Caller, state: TaskState[], prefix: string): Promise<Candidate[]> {
  const found = await client.call("list", { state, limit: TASK_LIMIT });
  return found
    .filter((task) => foldedStart(task.id, prefix))
    .map((task) => ({
      value: task.id,
      description: state.length > 1 ? `${task.state}: ${task.title}` : task.title,
    }));
}

async function projects(client: Caller, prefix: string): Promise<Candidate[]> {
  const found = await client.call("project.list", {});
  return found
    .filter((project) => foldedStart(project.name, prefix))
    .map((project) => ({
      value: project.name,
      description: `${project.path.length > 1 ? `${project.path.join(" / ")}, ` : ""}${project.outstanding} outstanding`,
    }));
}

async function tags(client: Caller, prefix: string): Promise<Candidate[]> {
  // `#tag` is written either way; keep the # the word started with, so the shell's match holds.
  const hash = prefix.startsWith("#") ? "#" : "";
  const found = await client.call("tag.list", { prefix: prefix.slice(hash.length) });
  return found.map(({ tag, count }) => ({
    value: `${hash}${tag}`,
    description: `${count} ${count === 1 ? "node" : "nodes"}`,
  }));
}

async function notes(client: Caller, prefix: string): Promise<Candidate[]> {
  const found = await client.call("node.list", {
    title_prefix: prefix,
    kind: ["doc", "journal"],
    limit: NOTE_LIMIT,
  });
  return found.map((node) => ({ value: node.title, description: node.kind }));
}

export async function candidatesFor(
  client: Caller,
  source: DynamicSource,
  prefix: string,
): Promise<Candidate[]> {
  switch (source) {
    case "task":
      return tasks(client, ["outstanding"], prefix);
    case "closed-task":
      return tasks(client, ["done", "dropped"], prefix);
    case "project":
      return projects(client, prefix);
    case "tag":
      return tags(client, prefix);
    case "note":
      return notes(client, prefix);
    case "node": {
      const [titled, open] = await Promise.all([
        notes(client, prefix),
        tasks(client, ["outstanding"], prefix),
      ]);
      return [...titled, ...open];
    }
  }
}

/** One line per candidate, `value<TAB>description`; tabs and line breaks inside become spaces. */
export function formatCandidates(candidates: readonly Candidate[]): string {
  const flat = (text: string) => text.replace(/[\t\r\n]+/g, " ").trim();
  return candidates
    .filter((candidate) => flat(candidate.value) !== "")
    .map(({ value, description }) => `${flat(value)}\t${flat(description)}\n`)
    .join("");
}
