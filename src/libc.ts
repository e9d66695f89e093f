import type { FFIFunction, Library } from "bun:ffi";

/** Where the C library lives: glibc, then musl (Alpine), then macOS. */
const LIBC_CANDIDATES =
  process.platform === "darwin" ? ["/usr/lib/libSystem.B.dylib"] : ["libc.so.6", "libc.so"];

/**
 * Opens the C library with the given symbols, or throws naming every library tried. For the
 * few calls Bun has no API for (flock(2), isatty(3)).
 */
export function openLibc<Fns extends Record<string, FFIFunction>>(symbols: Fns): Library<Fns> {
  // bun:ffi is loaded on first use, not with this module: it costs a process ~2 MB.
  const { dlopen } = require("bun:ffi") as typeof import("bun:ffi");
  const failures: string[] = [];
  for (const library of LIBC_CANDIDATES) {
    try {
      return dlopen(library, symbols);
    } catch (error) {
      failures.push(`${library}: ${(error as Error).message}`);
    }
  }
  throw new Error(`Cannot load the C library (${failures.join("; ")})`);
}
