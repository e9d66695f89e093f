import { EXIT, type ExitCode, HephError } from "../errors.ts";

/** The one place that maps a failure to an exit status: 0 ok, 1 failure, 2 usage, 3 unreachable. */
export function exitCodeOf(error: unknown): ExitCode {
  if (error instanceof HephError) return error.exitCode;
  // citty reports bad arguments with its own CLIError (code EARG / E_UNKNOWN_COMMAND …).
  if (error instanceof Error && error.name === "CLIError") return EXIT.usage;
  return EXIT.failure;
}

export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
