/** Terminal output rules: JSON alone on stdout, everything else on stderr, colour only on a TTY. */
import type { ConsolaInstance } from "consola";

export function colourEnabled(stream: { isTTY?: boolean } = process.stderr): boolean {
  const noColor = process.env.NO_COLOR;
  if (noColor !== undefined && noColor !== "") return false;
  return Boolean(stream.isTTY);
}

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

export function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}

export function paint(
  code: number,
  text: string,
  stream: { isTTY?: boolean } = process.stdout,
): string {
  return colourEnabled(stream) ? `\u001b[${code}m${text}\u001b[0m` : text;
}

export function printJson(value: unknown) {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printLine(text = "") {
  process.stdout.write(`${text}\n`);
}

let diagnostics: ConsolaInstance | undefined;

/** consola for warnings and errors, all on stderr; loaded only when there is something to say. */
async function diagnosticLogger(): Promise<ConsolaInstance> {
  if (!diagnostics) {
    const { createConsola } = await import("consola/basic");
    diagnostics = createConsola({
      stdout: process.stderr,
      stderr: process.stderr,
      formatOptions: { colors: colourEnabled(process.stderr), date: false, compact: true },
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
