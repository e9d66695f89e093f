/**
 * Terminal output rules: JSON alone on stdout, everything else on stderr, colour only on a TTY.
 * Results go out through console.log and Bun.write, never process.stdout: touching Node's
 * stdout stream costs every CLI run ~7 ms (docs/benchmarks.md).
 */
import type { ConsolaInstance } from "consola";
import { isTerminal, type StdFd } from "./terminal.ts";

export function colourEnabled(fd: StdFd = 2): boolean {
  const noColor = process.env.NO_COLOR;
  if (noColor !== undefined && noColor !== "") return false;
  return isTerminal(fd);
}

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

export function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}

export function paint(code: number, text: string, fd: StdFd = 1): string {
  return colourEnabled(fd) ? `\u001b[${code}m${text}\u001b[0m` : text;
}

// console.log writes a lone string as it is (no format directives), in full, blocking.
export function printJson(value: unknown) {
  console.log(JSON.stringify(value, null, 2));
}

export function printLine(text = "") {
  console.log(text);
}

/** Text exactly as given (a document body, a unit file): no newline added. */
export async function printRaw(text: string) {
  if (text === "") return;
  try {
    await Bun.write(Bun.stdout, text);
  } catch (error) {
    // A reader that went away (`| head`) is not a failure of the command, as with console.log.
    if ((error as NodeJS.ErrnoException).code !== "EPIPE") throw error;
  }
}

let diagnostics: ConsolaInstance | undefined;

/** consola for warnings and errors, all on stderr; loaded only when there is something to say. */
async function diagnosticLogger(): Promise<ConsolaInstance> {
  if (!diagnostics) {
    const { createConsola } = await import("consola/basic");
    diagnostics = createConsola({
      stdout: process.stderr,
      stderr: process.stderr,
      formatOptions: { colors: colourEnabled(2), date: false, compact: true },
    });
  }
  return diagnostics;
}

export async function warn(message: string) {
  (await diagnosticLogger()).warn(message);
}

export async function printError(message: string) {
  (await diagnosticLogger()).error(message);
}
