/**
 * Another local user for the isolation tests: created on demand (root only), and commands run as
 * that user (or as a bare uid) through setpriv, else runuser. Linux only.
 */

import { runCommand } from "../helpers/binary.ts";

export const OTHER_USER = "heph-test-other";

/** uid 65534 ("nobody" on most systems): setpriv takes a bare uid, so no account is needed. */
export const NOBODY = { uid: 65534, gid: 65534 };

export interface Identity {
  uid: number;
  gid: number;
  /** The account name, when there is one (runuser needs it). */
  name?: string;
}

const SEARCH_PATH = `${process.env.PATH ?? ""}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`;

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

function lookUp(name: string): Identity | undefined {
  const result = Bun.spawnSync(["getent", "passwd", name], { stdout: "pipe", stderr: "ignore" });
  if (result.exitCode !== 0) return undefined;
  const fields = result.stdout.toString().trim().split(":");
  const uid = Number(fields[2]);
  const gid = Number(fields[3]);
  if (!Number.isInteger(uid) || !Number.isInteger(gid)) {
    throw new Error(`getent passwd ${name} gave an unreadable entry: ${result.stdout.toString()}`);
  }
  return { uid, gid, name };
}

/**
 * The unprivileged user OTHER_USER, created when missing (idempotent; never deleted, so other
 * tests and later runs reuse it). Fails loudly, never skips, when it cannot be had: a test that
 * needs another user must not pass without one.
 */
export function ensureOtherUser(): Identity {
  if (!isRoot()) {
    throw new Error(
      `This test needs root: it creates the unprivileged user ${OTHER_USER} (useradd) and runs commands as that user (setpriv). Run the security tests as root (as CI does), e.g. in a container or with sudo.`,
    );
  }
  const existing = lookUp(OTHER_USER);
  if (existing) return existing;
  const useradd = Bun.which("useradd", { PATH: SEARCH_PATH });
  if (!useradd) throw new Error(`useradd is not installed: cannot create the user ${OTHER_USER}.`);
  const result = Bun.spawnSync(
    [useradd, "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", OTHER_USER],
    { stdout: "pipe", stderr: "pipe" },
  );
  // Exit 9: created meanwhile by a concurrent run; the look-up below settles it.
  const created = lookUp(OTHER_USER);
  if (!created) {
    throw new Error(
      `useradd ${OTHER_USER} failed (exit ${result.exitCode}): ${result.stderr.toString()}`,
    );
  }
  return created;
}

/** The argv prefix that runs a command as `who`, with no supplementary groups. */
export function runAs(who: Identity): string[] {
  const setpriv = Bun.which("setpriv", { PATH: SEARCH_PATH });
  if (setpriv) {
    return [setpriv, `--reuid=${who.uid}`, `--regid=${who.gid}`, "--clear-groups", "--"];
  }
  const runuser = Bun.which("runuser", { PATH: SEARCH_PATH });
  if (runuser && who.name) return [runuser, "-m", "-u", who.name, "--"];
  throw new Error(
    runuser
      ? `setpriv is not installed, and runuser cannot run as uid ${who.uid}, which has no account: install util-linux's setpriv.`
      : "Neither setpriv nor runuser is installed (both come with util-linux): cannot run a command as another user.",
  );
}

export type ConnectAttempt = { connected: true } | { connected: false; code: string };

/** Connects and disconnects; prints the outcome as one JSON line. Runs in the bun runtime. */
const PROBE = `
const path = process.env.HEPH_PROBE_SOCKET;
try {
  const socket = await Bun.connect({ unix: path, socket: { data() {} } });
  socket.end();
  console.log(JSON.stringify({ connected: true }));
} catch (error) {
  console.log(JSON.stringify({ connected: false, code: String(error.code ?? error.message) }));
}`;

/**
 * Tries to connect to `socketPath` as `who`, from a separate process with that user's
 * credentials, and reports the errno code when refused. Throws if the probe itself did not run,
 * so a broken probe can never read as "access denied".
 */
export async function connectAs(who: Identity, socketPath: string): Promise<ConnectAttempt> {
  const { stdout, stderr, exitCode } = await runCommand(
    [...runAs(who), process.execPath, "-e", PROBE],
    { PATH: SEARCH_PATH, HOME: "/nonexistent", HEPH_PROBE_SOCKET: socketPath },
    { cwd: "/" },
  );
  const line = stdout.trim().split("\n").at(-1) ?? "";
  if (exitCode !== 0 || !line.startsWith("{")) {
    throw new Error(
      `The connect probe did not run as uid ${who.uid} (exit ${exitCode}): ${stderr}${stdout}`,
    );
  }
  return JSON.parse(line) as ConnectAttempt;
}
