import { FFIType } from "bun:ffi";
import { closeSync, ftruncateSync, openSync, readFileSync, writeSync } from "node:fs";
import { StartupError } from "../errors.ts";
import { openLibc } from "../libc.ts";

const LOCK_EX = 2;
const LOCK_NB = 4;

/**
 * flock(2) through libc: the kernel drops the lock when the process dies, however it dies, so a
 * crashed daemon never leaves a lock behind (a pid file alone could not promise that).
 */
function loadFlock(): (fd: number, operation: number) => number {
  try {
    const libc = openLibc({ flock: { args: [FFIType.i32, FFIType.i32], returns: FFIType.i32 } });
    return (fd, operation) => libc.symbols.flock(fd, operation);
  } catch (error) {
    throw new StartupError(`Cannot load flock(2) to lock the store: ${(error as Error).message}`);
  }
}

export interface StoreLock {
  readonly path: string;
  release(): void;
}

export function lockPathFor(dbPath: string): string {
  return `${dbPath}.lock`;
}

/** Takes the store's exclusive lock for this process's life, or says who holds it. */
export function acquireStoreLock(dbPath: string): StoreLock {
  const path = lockPathFor(dbPath);
  let fd: number;
  try {
    fd = openSync(path, "a+", 0o600);
  } catch (error) {
    throw new StartupError(`Cannot open the lock file ${path}: ${(error as Error).message}`);
  }
  const flock = loadFlock();
  if (flock(fd, LOCK_EX | LOCK_NB) !== 0) {
    closeSync(fd);
    const holder = readFileSync(path, "utf8").trim();
    const who = /^\d+$/.test(holder) ? `pid ${holder}` : "another process";
    throw new StartupError(
      `Another heph daemon already owns the store ${dbPath} (held by ${who}, lock ${path}). Only one daemon may serve a store; stop that one first (\`heph daemon stop\` or kill ${holder || "it"}).`,
    );
  }
  ftruncateSync(fd, 0);
  writeSync(fd, `${process.pid}\n`, 0);
  return {
    path,
    release: () => closeSync(fd),
  };
}
