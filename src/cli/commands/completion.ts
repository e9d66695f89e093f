import { UsageError } from "../../errors.ts";
import { VERSION } from "../../version.ts";
import { defineCommand } from "../command.ts";
import type { CompletionHint } from "../completion/hint.ts";
import type { CommandNode } from "../completion/tree.ts";
import { printRaw } from "../output.ts";

type Generator = (tree: CommandNode, version: string) => string;

/** One script generator per shell, each loaded only when its shell is asked for. */
const GENERATORS = new Map<string, () => Promise<Generator>>([
  ["bash", () => import("../completion/bash.ts").then((m) => m.bashScript)],
  ["zsh", () => import("../completion/zsh.ts").then((m) => m.zshScript)],
  ["fish", () => import("../completion/fish.ts").then((m) => m.fishScript)],
]);
const SHELLS = [...GENERATORS.keys()];

export default defineCommand({
  meta: {
    name: "completion",
    description: "Print the shell completion script for bash, zsh or fish",
  },
  args: {
    shell: {
      type: "positional",
      description: SHELLS.join(" | "),
      required: true,
      complete: { values: SHELLS } satisfies CompletionHint,
    },
  },
  async run({ args }) {
    const generator = GENERATORS.get(args.shell);
    if (!generator)
      throw new UsageError(
        `Unknown shell ${JSON.stringify(args.shell)}: heph completes ${SHELLS.join(", ")}.`,
      );
    // The tree the CLI runs, not a copy: every command as src/cli/main.ts declares it.
    const [{ root }, { commandTree }, script] = await Promise.all([
      import("../main.ts"),
      import("../completion/tree.ts"),
      generator(),
    ]);
    await printRaw(script(await commandTree(root), VERSION));
  },
});
