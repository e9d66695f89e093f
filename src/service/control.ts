import { readFileSync } from "node:fs";
import { RpcClient } from "../client/client.ts";
import { lockPathFor } from "../daemon/lock.ts";
import type { DaemonInfo } from "../protocol/schemas.ts";
import { ServiceError } from "./manager.ts";

/** daemon.info from whatever answers at `socket`, or null when nothing does. */
export async function probeDaemon(socket: string, timeoutMs = 2000): Promise<DaemonInfo | null> {
  const client = new RpcClient(socket, { timeoutMs });
  try {
    return await client.call("daemon.info", {});
  } catch {
    return null;
  } finally {
    client.close();
  }
}

const POLL_MS = 100;

/**
 * Waits for the daemon to answer daemon.info: the readiness signal after a start. With
 * `replacing`, an answer from that old pid does not count.
 */
export async function waitForDaemon(
  socket: string,
  options: { timeoutMs: number; replacing?: number | null; hint: string },
): Promise<DaemonInfo> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const info = await probeDaemon(socket, 1000);
    if (info && info.pid !== options.replacing) return info;
    if (Date.now() >= deadline) {
      throw new ServiceError(
        `The daemon did not answer on ${socket} within ${Math.round(options.timeoutMs / 1000)} s after starting. ${options.hint}`,
      );
    }
    await Bun.sleep(POLL_MS);
  }
}

/** Waits until nothing answers at `socket`; false if something still does at the deadline. */
export async function waitForSilence(socket: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!(await probeDaemon(socket, 1000))) return true;
    if (Date.now() >= deadline) return false;
    await Bun.sleep(POLL_MS);
  }
}

/** The pid written in the store's lock file by the daemon holding it. */
export function lockHolderPid(dbPath: string): number | null {
  try {
    const pid = Number(readFileSync(lockPathFor(dbPath), "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stops a daemon that no service manager owns: ask it (daemon.shutdown), and if it does not go,
 * SIGTERM the process holding the store lock.
 */
export async function shutdownDaemon(socket: string, dbPath: string): Promise<string[]> {
  const actions: string[] = [];
  const client = new RpcClient(socket, { timeoutMs: 5000 });
  try {
    const reply = await client.call("daemon.shutdown", {});
    actions.push(`asked hephd (pid ${reply.pid}) to shut down`);
  } catch {
    // Not answering; fall through to the signal.
  } finally {
    client.close();
  }
  if (await waitForSilence(socket, 10_000)) return actions;
  const pid = lockHolderPid(dbPath);
  if (pid !== null && alive(pid)) {
    process.kill(pid, "SIGTERM");
    actions.push(`sent SIGTERM to pid ${pid}`);
    if (await waitForSilence(socket, 10_000)) return actions;
  }
  throw new ServiceError(`The daemon on ${socket} did not stop${pid ? ` (pid ${pid})` : ""}.`);
}
