import type { ArgsDef } from "citty";
import { UsageError } from "../errors.ts";
import type { StrictParse } from "./strict-args.ts";

/**
 * The args object a command's run() reads, built from the strict parse as citty builds it: `_`
 * holds every positional, each declared positional takes the next one in order, and a flag not
 * given takes its default. citty's own runCommand is not used: loading citty costs every run
 * about a millisecond, and the strict parse has already read the arguments.
 */
export function bindArgs(defs: ArgsDef, parsed: StrictParse): Record<string, unknown> {
  const args: Record<string, unknown> = { _: [...parsed.positionals] };
  const positionals = [...parsed.positionals];
  for (const [name, def] of Object.entries(defs)) {
    if (def.type === "positional") {
      const value = positionals.shift();
      if (value !== undefined) args[name] = value;
      else if (def.default === undefined && def.required !== false)
        throw new UsageError(`Missing required positional argument: ${name.toUpperCase()}`);
      else args[name] = def.default;
    } else {
      args[name] = parsed.values[name] ?? def.default;
    }
  }
  return args;
}
