/**
 * `heph __complete <source> [prefix]`: the hidden helper the completion scripts call for what
 * only the daemon knows. One connection, at most DEADLINE_MS, and silent on any failure — no
 * daemon, a slow one, an old one without a method: the shell then simply offers nothing.
 */

import { RpcClient } from "../../client/client.ts";
import { UsageError } from "../../errors.ts";
import { resolvePaths } from "../../paths.ts";
import { socketArg } from "../args.ts";
import { defineCommand } from "../command.ts";
import { type Candidate, candidatesFor, formatCandidates } from "../completion/dynamic.ts";
import { DYNAMIC_SOURCES, type DynamicSource } from "../completion/hint.ts";
import { printRaw } from "../output.ts";

/** A completion that waits longer than this is worse than none. */
const DEADLINE_MS = 500;

export default defineCommand({
  meta: {
    name: "__complete",
    description: "Completion candidates from the running daemon (for the completion scripts)",
    hidden: true,
  },
  args: {
    source: { type: "positional", description: DYNAMIC_SOURCES.join(" | "), required: true },
    prefix: { type: "positional", description: "What the word starts with", required: false },
    ...socketArg,
  },
  async run({ args }) {
    const source = args.source as DynamicSource;
    if (!DYNAMIC_SOURCES.includes(source))
      throw new UsageError(
        `Unknown completion source ${JSON.stringify(args.source)}: use ${DYNAMIC_SOURCES.join(", ")}.`,
      );
    const client = new RpcClient(resolvePaths({ socket: args.socket }).socket, {
      validateReplies: false,
      timeoutMs: DEADLINE_MS,
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<Candidate[]>((resolve) => {
      timer = setTimeout(() => resolve([]), DEADLINE_MS);
    });
    try {
      const found = await Promise.race([
        candidatesFor(client, source, args.prefix ?? ""),
        deadline,
      ]);
      await printRaw(formatCandidates(found));
    } catch {
      // Nothing to offer: completion never prints an error into the command line being typed.
    } finally {
      clearTimeout(timer);
      client.close();
    }
  },
});
