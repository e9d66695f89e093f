import { closeSync, openSync, writeSync } from "node:fs";
import type { Clock } from "../core/clock.ts";
import { ensureParentDir } from "../dirs.ts";

export type LogLevel = "debug" | "info" | "warn" | "error";

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  close(): void;
}

function formatFields(fields?: Record<string, unknown>): string {
  if (!fields) return "";
  return Object.entries(fields)
    .map(
      ([key, value]) =>
        ` ${key}=${typeof value === "string" && !/\s/.test(value) ? value : JSON.stringify(value)}`,
    )
    .join("");
}

/**
 * One timestamped line per event, appended to the log file (0600), and to stderr when stderr is
 * a terminal. Under a service manager stderr is captured into the same file, so it stays quiet.
 */
export function createLogger(options: {
  file?: string;
  stderr: boolean;
  clock: Clock;
  debug?: boolean;
}): Logger {
  let fd: number | undefined;
  if (options.file) {
    ensureParentDir(options.file);
    fd = openSync(options.file, "a", 0o600);
  }
  const write = (level: LogLevel, message: string, fields?: Record<string, unknown>) => {
    if (level === "debug" && !options.debug) return;
    const line = `${options.clock().toISOString()} ${level.toUpperCase().padEnd(5)} ${message}${formatFields(fields)}\n`;
    if (fd !== undefined) writeSync(fd, line);
    if (options.stderr) process.stderr.write(line);
  };
  return {
    debug: (message, fields) => write("debug", message, fields),
    info: (message, fields) => write("info", message, fields),
    warn: (message, fields) => write("warn", message, fields),
    error: (message, fields) => write("error", message, fields),
    close: () => {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}
