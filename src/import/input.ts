/** Reading an import's input: a file or stdin as bytes, UTF-8 checked, nesting bounded. */
import { readFileSync } from "node:fs";
import { HephError } from "../errors.ts";

export interface Input {
  /** How to name it in messages: the path, or "stdin". */
  name: string;
  bytes: Uint8Array;
}

/** The bytes of `path`, or of stdin when it is "-" (or absent and `stdinByDefault`). */
export async function readInput(path: string | undefined): Promise<Input> {
  if (path === undefined || path === "-") {
    return {
      name: "stdin",
      bytes: new Uint8Array(await new Response(Bun.stdin.stream()).arrayBuffer()),
    };
  }
  try {
    return { name: path, bytes: readFileSync(path) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new HephError(
      code === "ENOENT"
        ? `${path}: no such file.`
        : `Cannot read ${path} (${code ?? "error"}): ${(error as Error).message}`,
    );
  }
}

const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** The text of `bytes`, or undefined when they are not valid UTF-8. A leading BOM is dropped. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strict.decode(bytes);
  } catch {
    return undefined;
  }
}

/** Deeper than this a record is refused: no task or note is nested that deep. */
export const MAX_RECORD_DEPTH = 32;

/** How deeply `value` nests arrays and objects (stops counting past MAX_RECORD_DEPTH). */
export function nestingDepth(value: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    if (current === null || typeof current !== "object") continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > MAX_RECORD_DEPTH) return deepest;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/**
 * JSON text that may nest so deeply that a recursive parser gives up: checked by counting
 * brackets first (outside strings), so the error names the depth instead of a stack overflow.
 */
export function tooDeep(text: string, limit = MAX_RECORD_DEPTH + 2): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > limit) return true;
    } else if (c === 93 || c === 125) depth--;
  }
  return false;
}
