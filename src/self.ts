import { isAbsolute, resolveFrom } from "./posix-path.ts";

/** How this program was started: a compiled binary, or bun running the source entry. */
export interface SelfCommand {
  compiled: boolean;
  /** The executable to run again: the compiled binary, or the bun runtime. */
  executable: string;
  /** Arguments that must precede ours (the script path when running from source). */
  prefix: string[];
}

/** Inside a compiled binary the entry module lives under Bun's virtual /$bunfs/ root. */
export function isCompiled(): boolean {
  return Bun.main.startsWith("/$bunfs/") || Bun.main.startsWith("B:/~BUN/");
}

export function selfCommand(): SelfCommand {
  if (isCompiled()) return { compiled: true, executable: process.execPath, prefix: [] };
  const script = process.argv[1] ?? Bun.main;
  return {
    compiled: false,
    executable: process.execPath,
    prefix: [isAbsolute(script) ? script : resolveFrom(process.cwd(), script)],
  };
}

/** One string naming the running program, as `daemon.info.binary` reports it. */
export function selfDescription(): string {
  const self = selfCommand();
  return [self.executable, ...self.prefix].join(" ");
}

/** Which service manager started this program (HEPH_MANAGED_BY, set in its service), or null. */
export function managedBy(
  value: string | undefined = process.env.HEPH_MANAGED_BY,
): "systemd" | "launchd" | null {
  return value === "systemd" || value === "launchd" ? value : null;
}
