import { defineCommand } from "citty";
import { VERSION } from "../version.ts";
import { runCli } from "./run.ts";

/** Sub-commands load lazily: a command pays only for the modules it uses. */
export const root = defineCommand({
  meta: {
    name: "heph",
    version: VERSION,
    description: "heph — tasks and notes, served by the hephd daemon",
  },
  subCommands: {
    health: () => import("./commands/health.ts").then((m) => m.default),
    daemon: () => import("./commands/daemon/index.ts").then((m) => m.default),
  },
});

export function cliMain(argv: string[]): Promise<number> {
  return runCli(root, argv);
}
