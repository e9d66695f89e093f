/**
 * The few POSIX path operations the CLI's start-up needs, with node:path's results: loading
 * node:path costs every CLI run ~0.4 ms and ~2 MB. heph runs on Linux and macOS only, so paths
 * are POSIX; test/posix-path.test.ts checks these against node:path. One difference: a
 * trailing slash is dropped (node:path keeps it in normalize and join), as resolve does.
 */

export function isAbsolute(path: string): boolean {
  return path.startsWith("/");
}

/** "." and empty segments dropped, ".." applied; a relative path keeps leading "..". */
export function normalize(path: string): string {
  const absolute = isAbsolute(path);
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (parts.length > 0 && parts[parts.length - 1] !== "..") parts.pop();
      else if (!absolute) parts.push("..");
    } else {
      parts.push(part);
    }
  }
  const joined = parts.join("/");
  if (absolute) return `/${joined}`;
  return joined === "" ? "." : joined;
}

export function join(...segments: string[]): string {
  const joined = segments.filter((segment) => segment !== "").join("/");
  return joined === "" ? "." : normalize(joined);
}

/** Like path.resolve with an explicit working directory: the last absolute segment wins. */
export function resolveFrom(cwd: string, ...segments: string[]): string {
  let path = "";
  for (let index = segments.length - 1; index >= 0 && !isAbsolute(path); index--) {
    const segment = segments[index] as string;
    if (segment !== "") path = path === "" ? segment : `${segment}/${path}`;
  }
  if (!isAbsolute(path)) path = path === "" ? cwd : `${cwd}/${path}`;
  return normalize(path);
}
