import { accessSync, constants, realpathSync, statSync } from "node:fs";
import { delimiter, isAbsolute, join, resolve } from "node:path";
import { selfCommand } from "../self.ts";

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function findOnPath(name: string, pathVariable: string | undefined): string | undefined {
  for (const dir of (pathVariable ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

function sameFile(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

/**
 * The program a service file should run: this binary by the path it was invoked by, symlinks
 * kept (a package manager's stable link survives upgrades; the versioned file behind it does
 * not), else process.execPath. From source it is bun with the script.
 */
export function serviceBinary(
  options: { argv0?: string; cwd?: string; pathVariable?: string | undefined } = {},
): { executable: string; prefix: string[] } {
  const self = selfCommand();
  if (!self.compiled) return { executable: self.executable, prefix: self.prefix };
  const argv0 = options.argv0 ?? process.argv0;
  const invoked = argv0.includes("/")
    ? isAbsolute(argv0)
      ? argv0
      : resolve(options.cwd ?? process.cwd(), argv0)
    : findOnPath(argv0, "pathVariable" in options ? options.pathVariable : process.env.PATH);
  // Keep the invoked path only if it really leads to the binary that is running.
  if (invoked && isExecutableFile(invoked) && sameFile(invoked, process.execPath)) {
    return { executable: invoked, prefix: [] };
  }
  return { executable: process.execPath, prefix: [] };
}
