import type { ArgsDef, CommandContext, CommandDef } from "citty";
import { EXIT, UsageError } from "../errors.ts";
import { VERSION } from "../version.ts";
import { bindArgs } from "./bind-args.ts";
import { exitCodeOf, messageOf } from "./exit.ts";
import { colourEnabled, printError, printLine, stripAnsi } from "./output.ts";
import { type FlagSpec, parseStrictArgs, type StrictParse } from "./strict-args.ts";

type AnyCommand = CommandDef<ArgsDef>;

async function resolve<T>(
  value: T | Promise<T> | (() => T | Promise<T>) | undefined,
): Promise<T | undefined> {
  return typeof value === "function" ? await (value as () => T | Promise<T>)() : await value;
}

/** Follows sub-command names down to the command that will run, with the chain that led there. */
async function findLeaf(root: AnyCommand, rawArgs: string[]) {
  const chain: AnyCommand[] = [root];
  let command = root;
  let args = rawArgs;
  for (;;) {
    const subCommands = await resolve(command.subCommands);
    if (!subCommands) break;
    const index = args.findIndex((arg) => !arg.startsWith("-"));
    // A group takes no flags of its own but --help: anything else before the command is a mistake.
    const stray = args
      .slice(0, index === -1 ? args.length : index)
      .find((arg) => arg !== "--help" && arg !== "-h");
    if (stray !== undefined) {
      const where = chain.map((c) => (c.meta as { name?: string } | undefined)?.name).join(" ");
      throw new UsageError(
        `Unknown option ${stray} for \`${where}\`. Options go after the command, e.g. \`${where} <command> --json\`; run \`${where} --help\` for the commands.`,
      );
    }
    const prefix = args.slice(0, index === -1 ? args.length : index);
    if (index === -1 || prefix.length > 0) break; // `heph --help daemon` is heph's help
    const name = args[index] as string;
    const next = await resolve(
      subCommands[name] as AnyCommand | (() => Promise<AnyCommand>) | undefined,
    );
    if (!next) {
      const where = chain.map((c) => (c.meta as { name?: string } | undefined)?.name).join(" ");
      throw new UsageError(
        `Unknown command "${name}". Run \`${where} --help\` to see the commands.`,
      );
    }
    chain.push(next);
    command = next;
    args = args.slice(index + 1);
  }
  return { chain, command, args };
}

/** What the strict parse and the joining of dash values both read from a leaf's declared args. */
function flagSpecOf(defs: ArgsDef): FlagSpec {
  const spec: FlagSpec = { flags: {}, positionals: 0 };
  for (const [key, def] of Object.entries(defs)) {
    if (def.type === "positional") {
      // A positional whose value hint ends in "…" takes any number of values (`done <id…>`).
      spec.positionals += def.valueHint?.endsWith("…") ? Number.POSITIVE_INFINITY : 1;
    } else {
      spec.flags[key] = def.type === "boolean" ? "boolean" : "string";
    }
  }
  return spec;
}

/**
 * `--body "- [ ] item"` and `--append -` are meant as values, but a strict parser reads a value
 * starting with "-" as a forgotten argument. For flags that take a value, join such a value
 * onto its flag (`--body=- [ ] item`) so every parser agrees. `declared` is every declared
 * name, positionals too.
 */
function joinDashValues(args: string[], spec: FlagSpec, declared: readonly string[]): string[] {
  const takesValue = new Set(
    Object.entries(spec.flags)
      .filter(([, type]) => type === "string")
      .map(([key]) => `--${key}`),
  );
  const known = new Set([...declared.map((key) => `--${key}`), "--help", "-h"]);
  // A command whose words are free text (search) takes "-word" as a word, not a flag.
  if (spec.positionals === Number.POSITIVE_INFINITY) {
    const flags: string[] = [];
    const words: string[] = [];
    for (let index = 0; index < args.length; index++) {
      const arg = args[index] as string;
      const name = arg.split("=")[0] as string;
      if (arg === "--") {
        words.push(...args.slice(index + 1));
        break;
      }
      if (known.has(name) || (name.startsWith("--no-") && known.has(`--${name.slice(5)}`))) {
        flags.push(arg);
        if (takesValue.has(arg) && index + 1 < args.length) flags.push(args[++index] as string);
      } else {
        words.push(arg);
      }
    }
    return words.length > 0 ? [...flags, "--", ...words] : flags;
  }
  const joined: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] as string;
    const next = args[index + 1];
    if (takesValue.has(arg) && next?.startsWith("-") && !known.has(next.split("=")[0] as string)) {
      joined.push(`${arg}=${next}`);
      index++;
    } else {
      joined.push(arg);
    }
  }
  return joined;
}

/**
 * citty lets unknown flags through silently; a typo must not be ignored, so every leaf's
 * arguments are checked strictly against its declared args first, enum values included.
 */
function checkArgs(defs: ArgsDef, spec: FlagSpec, args: string[], name: string): StrictParse {
  const parsed = parseStrictArgs(args, spec, name);
  for (const [key, def] of Object.entries(defs)) {
    const value = parsed.values[key];
    if (
      def.type === "enum" &&
      typeof value === "string" &&
      def.options &&
      !def.options.includes(value)
    ) {
      throw new UsageError(
        `--${key} must be one of ${def.options.join(", ")}; got ${JSON.stringify(value)}.`,
      );
    }
  }
  return parsed;
}

async function usageText(command: AnyCommand, parent?: AnyCommand): Promise<string> {
  // citty is loaded only here: its import of node:util costs a command ~1 ms.
  const { renderUsage } = await import("citty");
  const text = await renderUsage(command, parent);
  return colourEnabled(1) ? text : stripAnsi(text);
}

/** Runs the CLI and returns the exit code; no other place decides one. */
export async function runCli(root: AnyCommand, rawArgs: string[]): Promise<number> {
  try {
    if (rawArgs.length === 1 && (rawArgs[0] === "--version" || rawArgs[0] === "-v")) {
      printLine(VERSION);
      return EXIT.ok;
    }
    const { chain, command, args } = await findLeaf(root, rawArgs);
    const wantsHelp =
      args.includes("--help") || args.includes("-h") || (rawArgs.length === 0 && !command.run);
    if (wantsHelp || (!command.run && (await resolve(command.subCommands)))) {
      // citty names a command after its direct parent only; give it the whole chain.
      const parentName = chain
        .slice(0, -1)
        .map((c) => (c.meta as { name?: string } | undefined)?.name)
        .join(" ");
      const parent = chain.length > 1 ? { meta: { name: parentName } } : undefined;
      printLine(await usageText(command, parent));
      return wantsHelp ? EXIT.ok : EXIT.usage;
    }
    const name = chain.map((c) => (c.meta as { name?: string } | undefined)?.name).join(" ");
    const defs = (await resolve(command.args)) ?? {};
    const spec = flagSpecOf(defs);
    const normalised = joinDashValues(args, spec, Object.keys(defs));
    const parsed = checkArgs(defs, spec, normalised, name);
    const context: CommandContext<ArgsDef> = {
      rawArgs: normalised,
      args: bindArgs(defs, parsed) as CommandContext<ArgsDef>["args"],
      cmd: command,
    };
    const result = await command.run?.(context);
    // A command may end with a status of its own (e.g. "not running" is 3, not an error).
    return typeof result === "number" ? result : EXIT.ok;
  } catch (error) {
    await printError(messageOf(error));
    return exitCodeOf(error);
  }
}
