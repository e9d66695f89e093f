/**
 * The command tree as shell completion sees it, read from the very citty definitions the CLI
 * runs: every lazy `subCommands` loader is resolved, hidden commands are left out, and each
 * arg's type, enum `options` and `complete` hint say what its value completes to.
 */
import type { ArgDef, ArgsDef, CommandDef, CommandMeta, Resolvable } from "citty";
import type { CompletionHint, DynamicSource } from "./hint.ts";

/** What a value completes to; `null` where any text goes and nothing is offered. */
export interface ValueCompletion {
  /** Fixed words: enum options and hinted values. */
  values: string[];
  /** A comma-separated list of `values`. */
  list: boolean;
  /** Asked from the running daemon, besides `values`. */
  dynamic: DynamicSource | null;
  files: boolean;
}

export interface FlagNode {
  /** Without the leading `--`. */
  name: string;
  description: string;
  /** A flag that takes a value (`--limit 5`); booleans do not. */
  takesValue: boolean;
  value: ValueCompletion | null;
}

export interface PositionalNode {
  name: string;
  description: string;
  /** Takes any number of words (`done <id…>`); only ever the last one. */
  variadic: boolean;
  value: ValueCompletion | null;
}

export interface CommandNode {
  name: string;
  description: string;
  flags: FlagNode[];
  positionals: PositionalNode[];
  /** Sub-commands, in declaration order; a group has these and no positionals. */
  commands: CommandNode[];
}

// biome-ignore lint/suspicious/noExplicitAny: any command definition, whatever its args.
type AnyCommand = CommandDef<any>;

async function resolve<T>(value: Resolvable<T> | undefined): Promise<T | undefined> {
  return typeof value === "function" ? await (value as () => T | Promise<T>)() : await value;
}

/** Every command answers `--help` (src/cli/run.ts), groups included. */
const HELP_FLAG: FlagNode = {
  name: "help",
  description: "Show this command's usage",
  takesValue: false,
  value: null,
};

/** heph itself answers `--version` (its meta carries one). */
const VERSION_FLAG: FlagNode = {
  name: "version",
  description: "Print the version",
  takesValue: false,
  value: null,
};

/** The value completion an arg declares, from its enum options and its `complete` hint. */
export function valueCompletion(def: ArgDef): ValueCompletion | null {
  const hint = (def as { complete?: CompletionHint }).complete;
  const options = def.type === "enum" ? (def.options ?? []) : [];
  const values = [...options, ...(hint?.values ?? [])];
  if (values.length === 0 && !hint?.dynamic && !hint?.files) return null;
  return {
    values: [...new Set(values)],
    list: hint?.list === true,
    dynamic: hint?.dynamic ?? null,
    files: hint?.files === true,
  };
}

/** The flags and positionals of one command's declared args, in declaration order. */
export function argsOf(defs: ArgsDef): Pick<CommandNode, "flags" | "positionals"> {
  const flags: FlagNode[] = [];
  const positionals: PositionalNode[] = [];
  for (const [name, def] of Object.entries(defs)) {
    const description = def.description ?? "";
    if (def.type === "positional") {
      // The same rule as the strict parse in src/cli/run.ts: a hint ending in "…" repeats.
      const variadic = def.valueHint?.endsWith("…") ?? false;
      positionals.push({ name, description, variadic, value: valueCompletion(def) });
    } else {
      const takesValue = def.type === "string" || def.type === "enum";
      flags.push({
        name,
        description,
        takesValue,
        value: takesValue ? valueCompletion(def) : null,
      });
    }
  }
  return { flags, positionals };
}

/** Walks a command and, resolving each lazy loader, everything under it. */
export async function commandTree(command: AnyCommand, name?: string): Promise<CommandNode> {
  const meta = (await resolve<CommandMeta>(command.meta)) ?? {};
  const { flags, positionals } = argsOf((await resolve<ArgsDef>(command.args)) ?? {});
  const subCommands = (await resolve(command.subCommands)) ?? {};
  const commands: CommandNode[] = [];
  for (const [subName, loader] of Object.entries(subCommands)) {
    const sub = await resolve<AnyCommand>(loader);
    if (!sub) continue;
    const subMeta = (await resolve<CommandMeta>(sub.meta)) ?? {};
    if (subMeta.hidden) continue;
    commands.push(await commandTree(sub, subName));
  }
  return {
    name: name ?? meta.name ?? "",
    description: meta.description ?? "",
    flags: [...flags, HELP_FLAG, ...(meta.version ? [VERSION_FLAG] : [])],
    positionals,
    commands,
  };
}

/** Every command with the words that lead to it (`[]` for the root), parents before children. */
export function walk(
  node: CommandNode,
  path: string[] = [],
): Array<{ path: string[]; node: CommandNode }> {
  return [{ path, node }, ...node.commands.flatMap((child) => walk(child, [...path, child.name]))];
}
