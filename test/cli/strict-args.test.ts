import { describe, expect, test } from "bun:test";
import { type FlagSpec, parseStrictArgs } from "../../src/cli/strict-args.ts";
import { UsageError } from "../../src/errors.ts";

const next: FlagSpec = {
  flags: { limit: "string", explain: "boolean", json: "boolean", socket: "string" },
  positionals: 0,
};
const done: FlagSpec = { flags: { json: "boolean" }, positionals: Number.POSITIVE_INFINITY };
const show: FlagSpec = { flags: {}, positionals: 1 };

function refusal(args: string[], spec: FlagSpec): string {
  try {
    parseStrictArgs(args, spec, "heph x");
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`${JSON.stringify(args)} was accepted`);
}

describe("parseStrictArgs accepts", () => {
  test("booleans, --no- negations, values separate or after =, last one wins", () => {
    expect(
      parseStrictArgs(["--json", "--limit", "5", "--no-explain", "--limit=7"], next, "heph next"),
    ).toEqual({ values: { json: true, limit: "7", explain: false }, positionals: [] });
  });

  test("a value that is empty, or holds = and spaces", () => {
    expect(parseStrictArgs(["--socket=", "--limit=a=b c"], next, "n").values).toEqual({
      socket: "",
      limit: "a=b c",
    });
  });

  test("a value that starts with one dash, given separately", () => {
    expect(parseStrictArgs(["--limit", "-5"], next, "n").values).toEqual({ limit: "-5" });
  });

  test("positionals up to the declared count, '-' as one, and everything after --", () => {
    expect(parseStrictArgs(["a", "-", "--", "--json", "-x"], done, "n")).toEqual({
      values: {},
      positionals: ["a", "-", "--json", "-x"],
    });
    expect(parseStrictArgs(["01ABC"], show, "n").positionals).toEqual(["01ABC"]);
  });
});

describe("parseStrictArgs refuses, naming the flag and what would be right", () => {
  test("an unknown long flag lists the accepted ones", () => {
    const message = refusal(["--jsno"], next);
    expect(message).toContain("'--jsno'");
    expect(message).toContain("--json");
    expect(message).toContain("--limit");
  });

  test("an unknown flag given a value is named without the value", () => {
    expect(refusal(["--colour=always"], next)).toContain("'--colour'");
  });

  test("short flags and negative numbers as options", () => {
    expect(refusal(["-j"], next)).toContain("'-j'");
    expect(refusal(["-5"], show)).toContain("'-5'");
  });

  test("a command without flags says so", () => {
    expect(refusal(["--json"], show)).toContain("takes no options");
  });

  test("a value for a boolean, and --no- for a flag that takes a value", () => {
    expect(refusal(["--json=yes"], next)).toContain("does not take a value");
    expect(refusal(["--no-limit"], next)).toContain("'--no-limit'");
    expect(refusal(["--no-json=1"], next)).toContain("'--no-json'");
  });

  test("a flag left without its value, at the end or before another flag", () => {
    expect(refusal(["--limit"], next)).toContain("'--limit <value>' needs a value");
    expect(refusal(["--limit", "--json"], next)).toContain("'--limit <value>' needs a value");
  });

  test("more positionals than declared, quoting each extra one", () => {
    expect(refusal(["a", "b", "c d"], show)).toBe(
      'Unexpected arguments "b", "c d" for `heph x`. Run `heph x --help`.',
    );
    expect(refusal(["extra"], next)).toContain('Unexpected argument "extra"');
  });
});
