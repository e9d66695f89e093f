/**
 * The tree flattened for the bash and fish scripts, which look things up by key rather than
 * nest functions: a command by its path (`"daemon start"`, `""` for heph itself) and a value
 * by its slot, `--flag` or `@n` for the n-th positional.
 */
import type { CommandNode, ValueCompletion } from "./tree.ts";
import { walk } from "./tree.ts";

/**
 * A value in one word the scripts take apart: `words:a b`, `list:a b` (comma-separated),
 * `dynamic:SOURCE [extra words]`, `files:`, or `text:` for a value with nothing to offer.
 */
export function valueSpec(value: ValueCompletion | null): string {
  if (!value) return "text:";
  if (value.files) return "files:";
  if (value.dynamic) return `dynamic:${[value.dynamic, ...value.values].join(" ")}`;
  return `${value.list ? "list" : "words"}:${value.values.join(" ")}`;
}

export interface Slot {
  path: string;
  /** `--name`, `@n`, or `@` for every position from a variadic one on (`glob`). */
  slot: string;
  /** The slot stands for every position from here on: match `path|@*`. */
  glob: boolean;
  spec: string;
}

/**
 * Every value slot: each flag that takes a value (a boolean has none, which is how the scripts
 * tell that the next word is not its value), then each positional with something to offer.
 * A variadic positional comes last in its command, after the fixed ones it must not shadow.
 */
export function valueSlots(tree: CommandNode): Slot[] {
  return walk(tree).flatMap(({ path, node }) => {
    const key = path.join(" ");
    const flags = node.flags
      .filter((flag) => flag.takesValue)
      .map((flag) => ({
        path: key,
        slot: `--${flag.name}`,
        glob: false,
        spec: valueSpec(flag.value),
      }));
    const positionals = node.positionals.flatMap((positional, index) =>
      positional.value
        ? [
            {
              path: key,
              slot: positional.variadic ? "@" : `@${index + 1}`,
              glob: positional.variadic,
              spec: valueSpec(positional.value),
            },
          ]
        : [],
    );
    return [...flags, ...positionals];
  });
}

/** Every command with its path as one key: words joined by spaces, "" for heph itself. */
export function commandPaths(tree: CommandNode): Array<{ path: string; node: CommandNode }> {
  return walk(tree).map(({ path, node }) => ({ path: path.join(" "), node }));
}

/** A word in single quotes for a POSIX shell (bash, zsh). */
export function shQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}
