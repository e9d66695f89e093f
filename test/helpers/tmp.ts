import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A fresh private directory under the system temp dir (short, so socket paths fit). */
export function tempDir(prefix = "heph-"): { path: string; cleanup(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/** Store, socket and log paths inside a fresh temp dir. */
export function tempPaths() {
  const dir = tempDir();
  return {
    dir: dir.path,
    db: join(dir.path, "heph.db"),
    socket: join(dir.path, "hephd.sock"),
    log: join(dir.path, "hephd.log"),
    cleanup: dir.cleanup,
  };
}
