/**
 * One binary, two programs (BRIEF §2): invoked as `hephd` (a symlink or copy) or with `hephd`
 * as its first argument it is the daemon; otherwise it is the CLI. In a compiled binary
 * process.argv[0] is always "bun": the invoked name is in process.argv0.
 */
export function isDaemonInvocation(
  argv0: string,
  args: readonly string[],
): { daemon: boolean; args: string[] } {
  // The last path segment, by hand: node:path costs every CLI run ~0.4 ms.
  const name = argv0.slice(argv0.lastIndexOf("/") + 1).replace(/\.exe$/i, "");
  if (name === "hephd") return { daemon: true, args: [...args] };
  if (args[0] === "hephd") return { daemon: true, args: args.slice(1) };
  return { daemon: false, args: [...args] };
}

/**
 * The daemon's entry, imported by a computed path: the bundler then leaves it out of the CLI's
 * bundle, and scripts/build.ts embeds it as a second entry point in the same executable. So a
 * CLI run never parses the daemon's modules, and the daemon never the CLI's.
 */
const daemonEntry: string = "./daemon/main.ts";

async function main() {
  const invocation = isDaemonInvocation(process.argv0, process.argv.slice(2));
  const code = invocation.daemon
    ? await ((await import(daemonEntry)) as typeof import("./daemon/main.ts")).daemonMain(
        invocation.args,
      )
    : await (await import("./cli/main.ts")).cliMain(invocation.args);
  process.exit(code);
}

void main();
