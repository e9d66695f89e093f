/**
 * Runs the working-tree daemon on .dev/ paths (BRIEF §9), never on the installed daemon's
 * store. Point a CLI or editor at it with:
 *   HEPH_SOCKET="$PWD/.dev/hephd.sock" HEPH_DB="$PWD/.dev/heph.db" bun src/main.ts health
 */
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { daemonArgv } from "../src/daemon/argv.ts";

const root = resolve(import.meta.dir, "..");
const devDir = join(root, ".dev");
mkdirSync(devDir, { recursive: true, mode: 0o700 });
const paths = {
  db: join(devDir, "heph.db"),
  socket: join(devDir, "hephd.sock"),
  log: join(devDir, "hephd.log"),
};
process.stderr.write(
  `dev daemon on ${devDir}\n  HEPH_SOCKET="${paths.socket}" HEPH_DB="${paths.db}" bun src/main.ts health\n`,
);
const daemon = Bun.spawn([process.execPath, join(root, "src/main.ts"), ...daemonArgv(paths)], {
  stdio: ["inherit", "inherit", "inherit"],
  env: { ...process.env, HEPH_SOCKET: paths.socket, HEPH_DB: paths.db },
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => daemon.kill(signal));
process.exit(await daemon.exited);
