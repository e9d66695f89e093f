import { openLibc } from "../libc.ts";

export type StdFd = 1 | 2;

// A terminal stays a terminal for the life of the process, so one question per fd is enough.
const answers = new Map<StdFd, boolean>();

/**
 * Whether stdout (1) or stderr (2) is a terminal. Reading process.stdout.isTTY builds Node's
 * stream objects (~7 ms a CLI run), node:tty costs ~2.5 ms, and isatty(3) through bun:ffi
 * ~0.3 ms and ~3 MB; Bun's tty_wrap binding (what node:tty itself asks) costs nothing, so it
 * comes first, and the libc call is only the fallback for a runtime without it.
 */
export function isTerminal(fd: StdFd): boolean {
  let answer = answers.get(fd);
  if (answer === undefined) {
    answer = askTtyWrap(fd) ?? askIsatty(fd);
    answers.set(fd, answer);
  }
  return answer;
}

function askTtyWrap(fd: StdFd): boolean | undefined {
  try {
    const binding = (
      process as unknown as { binding(name: string): { isTTY?: (fd: number) => boolean } }
    ).binding("tty_wrap");
    return typeof binding.isTTY === "function" ? binding.isTTY(fd) === true : undefined;
  } catch {
    return undefined;
  }
}

function askIsatty(fd: StdFd): boolean {
  try {
    // Loaded only here: bun:ffi costs every run that imports it ~2 MB.
    const { FFIType } = require("bun:ffi") as typeof import("bun:ffi");
    const libc = openLibc({ isatty: { args: [FFIType.i32], returns: FFIType.i32 } });
    try {
      return libc.symbols.isatty(fd) === 1;
    } finally {
      libc.close();
    }
  } catch {
    return false; // no libc to ask: plain text is always safe
  }
}
