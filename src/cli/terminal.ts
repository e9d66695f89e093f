import { FFIType } from "bun:ffi";
import { openLibc } from "../libc.ts";

export type StdFd = 1 | 2;

// A terminal stays a terminal for the life of the process, so one question per fd is enough.
const answers = new Map<StdFd, boolean>();

/**
 * Whether stdout (1) or stderr (2) is a terminal, asked of isatty(3) directly: reading
 * process.stdout.isTTY builds Node's stream objects, which costs a CLI run ~7 ms, and
 * node:tty ~2.5 ms; the libc call costs ~0.5 ms. Answers are kept for the process's life.
 */
export function isTerminal(fd: StdFd): boolean {
  let answer = answers.get(fd);
  if (answer === undefined) {
    answer = askIsatty(fd);
    answers.set(fd, answer);
  }
  return answer;
}

function askIsatty(fd: StdFd): boolean {
  try {
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
