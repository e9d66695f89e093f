import { EXIT, HephError } from "../errors.ts";
import { VERSION } from "../version.ts";
import { DAEMON_USAGE, parseDaemonArgs, runDaemon } from "./run.ts";

/** `hephd …` / `heph hephd …`: parse, then serve in the foreground. Resolves with the exit code. */
export async function daemonMain(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseDaemonArgs>;
  try {
    parsed = parseDaemonArgs(argv);
  } catch (error) {
    process.stderr.write(`hephd: ${(error as Error).message}\n`);
    return error instanceof HephError ? error.exitCode : EXIT.failure;
  }
  if (parsed.action === "help") {
    process.stdout.write(`${DAEMON_USAGE}\n`);
    return EXIT.ok;
  }
  if (parsed.action === "run") return runDaemon(parsed.options);
  process.stdout.write(`${VERSION}\n`);
  return EXIT.ok;
}
