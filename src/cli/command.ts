import type { ArgsDef, CommandDef } from "citty";

/**
 * citty's defineCommand, which only returns its argument, without loading citty: citty imports
 * node:util at load time, which costs every CLI run about a millisecond. Commands keep citty's
 * shape and types; citty itself is loaded only to render help (src/cli/run.ts).
 */
export function defineCommand<T extends ArgsDef = ArgsDef>(def: CommandDef<T>): CommandDef<T> {
  return def;
}
