/** The command tree completion reads, and the three scripts generated from it. */
import { describe, expect, test } from "bun:test";
import { defineCommand } from "citty";
import { bashScript } from "../../src/cli/completion/bash.ts";
import { fishQuote, fishScript } from "../../src/cli/completion/fish.ts";
import { valueSlots, valueSpec } from "../../src/cli/completion/slots.ts";
import { type CommandNode, commandTree, walk } from "../../src/cli/completion/tree.ts";
import { zshScript } from "../../src/cli/completion/zsh.ts";
import { root } from "../../src/cli/main.ts";
import { ATTENTIONS, TASK_STATES } from "../../src/core/task-types.ts";
import { VIEW_NAMES } from "../../src/protocol/task-schemas.ts";

const tree = await commandTree(root);

function node(path: string): CommandNode {
  const found = walk(tree).find((entry) => entry.path.join(" ") === path);
  if (!found) throw new Error(`no command ${path}`);
  return found.node;
}
const flag = (path: string, name: string) => node(path).flags.find((f) => f.name === name);

describe("commandTree", () => {
  test("walks a synthetic tree: lazy loaders resolved, hidden commands left out", async () => {
    const leaf = defineCommand({
      meta: () => ({ name: "leaf", description: "A leaf" }),
      args: {
        ids: { type: "positional", valueHint: "id…", complete: { dynamic: "task" } },
        mode: { type: "enum", options: ["a", "b"], description: "Mode" },
        quiet: { type: "boolean" },
        text: { type: "string" },
      },
    });
    const synthetic = defineCommand({
      meta: { name: "prog", version: "1" },
      subCommands: {
        group: () =>
          Promise.resolve(defineCommand({ meta: { name: "group" }, subCommands: { leaf } })),
        secret: defineCommand({ meta: { name: "secret", hidden: true } }),
      },
    });
    expect(await commandTree(synthetic)).toEqual({
      name: "prog",
      description: "",
      positionals: [],
      flags: [
        expect.objectContaining({ name: "help", takesValue: false }),
        expect.objectContaining({ name: "version", takesValue: false }),
      ],
      commands: [
        {
          name: "group",
          description: "",
          positionals: [],
          flags: [expect.objectContaining({ name: "help" })],
          commands: [
            {
              name: "leaf",
              description: "A leaf",
              commands: [],
              positionals: [
                {
                  name: "ids",
                  description: "",
                  variadic: true,
                  value: { values: [], list: false, dynamic: "task", files: false },
                },
              ],
              flags: [
                {
                  name: "mode",
                  description: "Mode",
                  takesValue: true,
                  value: { values: ["a", "b"], list: false, dynamic: null, files: false },
                },
                { name: "quiet", description: "", takesValue: false, value: null },
                { name: "text", description: "", takesValue: true, value: null },
                expect.objectContaining({ name: "help" }),
              ],
            },
          ],
        },
      ],
    });
  });

  test("heph's commands are the ones main.ts declares, but the hidden helper", () => {
    const declared = Object.keys(root.subCommands as object).filter((n) => n !== "__complete");
    expect(tree.commands.map((c) => c.name)).toEqual(declared);
    expect(node("daemon").commands.map((c) => c.name)).toEqual([
      "start",
      "status",
      "restart",
      "stop",
      "uninstall",
      "print",
    ]);
    expect(node("doc").commands.map((c) => c.name)).toEqual(["new", "show"]);
    expect(node("tag").commands.map((c) => c.name)).toEqual(["add", "rm"]);
  });

  test("flags, with whether they take a value", () => {
    expect(node("next").flags.map((f) => [f.name, f.takesValue])).toEqual([
      ["limit", true],
      ["explain", false],
      ["json", false],
      ["socket", true],
      ["help", false],
    ]);
    expect(flag("next", "socket")?.value?.files).toBe(true);
  });

  test("fixed values come from the vocabulary constants", () => {
    expect(node("attention").positionals[1]?.value?.values).toEqual([...ATTENTIONS]);
    expect(flag("task", "attention")?.value?.values).toEqual([...ATTENTIONS]);
    expect(flag("list", "attention")?.value).toMatchObject({ values: ATTENTIONS, list: true });
    expect(flag("list", "state")?.value).toMatchObject({ values: TASK_STATES, list: true });
    expect(node("view").positionals[0]?.value?.values).toEqual([...VIEW_NAMES]);
    expect(node("completion").positionals[0]?.value?.values).toEqual(["bash", "zsh", "fish"]);
    expect(flag("daemon print", "manager")?.value?.values).toEqual(["systemd", "launchd"]);
  });

  test("dynamic values name their source", () => {
    const source = (path: string, index = 0) => node(path).positionals[index]?.value?.dynamic;
    expect(
      ["done", "skip", "drop", "show", "attention", "context", "log"].map((p) => source(p)),
    ).toEqual(Array(7).fill("task"));
    expect(source("reopen")).toBe("closed-task");
    expect(node("done").positionals[0]?.variadic).toBe(true);
    expect(["edit", "links", "backlinks", "tag add", "tag rm"].map((p) => source(p))).toEqual(
      Array(5).fill("node"),
    );
    expect(source("doc show")).toBe("note");
    expect(source("tag rm", 1)).toBe("tag");
    expect(source("project move")).toBe("project");
    expect(flag("list", "project")?.value?.dynamic).toBe("project");
    expect(flag("project move", "parent")?.value).toMatchObject({
      dynamic: "project",
      values: ["none"],
    });
  });
});

describe("value slots", () => {
  test("specs the bash and fish scripts take apart", () => {
    expect(valueSpec(null)).toBe("text:");
    expect(valueSpec({ values: ["a", "b"], list: true, dynamic: null, files: false })).toBe(
      "list:a b",
    );
    expect(valueSpec({ values: ["none"], list: false, dynamic: "project", files: false })).toBe(
      "dynamic:project none",
    );
    const slots = valueSlots(tree);
    const slot = (path: string, name: string) =>
      slots.find((s) => s.path === path && s.slot === name);
    expect(slot("attention", "@2")).toEqual({
      path: "attention",
      slot: "@2",
      glob: false,
      spec: "words:white orange red blue",
    });
    expect(slot("done", "@")).toMatchObject({ glob: true, spec: "dynamic:task" });
    expect(slot("next", "--limit")?.spec).toBe("text:");
    // Booleans have no slot: that is how a script knows the next word is not their value.
    expect(slot("next", "--json")).toBeUndefined();
  });
});

describe("the scripts", () => {
  const bash = bashScript(tree, "9.9.9");
  const zsh = zshScript(tree, "9.9.9");
  const fish = fishScript(tree, "9.9.9");

  test("name the version and register for heph", () => {
    expect(bash).toContain("(heph 9.9.9)");
    expect(bash.trimEnd().endsWith("complete -F _heph heph")).toBe(true);
    expect(zsh.startsWith("#compdef heph\n")).toBe(true);
    expect(zsh).toContain("compdef _heph heph");
    expect(fish).toContain("complete -c heph -f -a '(__heph_complete)'");
  });

  test("cover every command path and no hidden one", () => {
    for (const { path } of walk(tree)) {
      const key = path.join(" ");
      expect(bash).toContain(`    '${key}') REPLY=`);
      expect(fish).toContain(`        case ${fishQuote(key)}\n`);
      expect(zsh).toContain(`${["_heph_cmd", ...path].join("__")}() {`);
    }
    for (const script of [bash, zsh, fish]) expect(script).not.toContain("__complete'");
  });

  test("quote descriptions for their shell", () => {
    expect(fishQuote("it's a \\ test")).toBe("'it\\'s a \\\\ test'");
    expect(zsh).toContain("'attention:Set a task'\\''s attention");
    expect(zsh).toContain("'2:colour:(white orange red blue)'");
    expect(zsh).toContain("'*:ids:{_heph_dynamic task}'");
    expect(zsh).toContain(
      "'--attention=[Only these colours, e.g. red,orange]:attention:_values -s , '\\''attention'\\'' white orange red blue'",
    );
  });
});
