/** Health probes the robustness suites run between rounds: latency, memory, store integrity. */
import { Database } from "bun:sqlite";
import { readFileSync } from "node:fs";
import { RawConnection, type Reply } from "../helpers/raw-socket.ts";

/** Resident memory of this process, in MiB (Linux /proc; the in-process daemon lives here). */
export function rssMiB(): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync("/proc/self/status", "utf8"));
  if (!match) throw new Error("no VmRSS in /proc/self/status");
  return Number(match[1]) / 1024;
}

/** Resident memory of another process, in MiB. */
export function rssOfMiB(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) / 1024;
}

/** Live JS heap plus buffers after a full collection, in MiB: what is actually held. */
export function liveMiB(): number {
  Bun.gc(true);
  const usage = process.memoryUsage();
  return (usage.heapUsed + usage.external) / (1024 * 1024);
}

/**
 * `PRAGMA integrity_check` through a second, read-only connection: WAL lets it read while the
 * daemon holds the store open. Returns the rows; a healthy store gives exactly ["ok"].
 */
export function integrityCheck(dbPath: string): string[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    const rows = db.query("PRAGMA integrity_check").all() as Array<{ integrity_check: string }>;
    return rows.map((row) => row.integrity_check);
  } finally {
    db.close();
  }
}

/** One value read through a second read-only connection (e.g. a count). */
export function readOnlyQuery<T>(dbPath: string, sql: string): T[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.query(sql).all() as T[];
  } finally {
    db.close();
  }
}

/** Polls a condition the daemon reaches on its own (a closed socket noticed) with a deadline. */
export async function eventually(condition: () => boolean, what: string, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await Bun.sleep(5);
  }
}

/** daemon.info on a fresh connection, timed. */
export async function timedInfo(socket: string): Promise<{ ms: number; reply: Reply }> {
  const started = performance.now();
  const connection = await RawConnection.open(socket);
  try {
    const reply = await connection.call("daemon.info");
    return { ms: performance.now() - started, reply };
  } finally {
    connection.end();
  }
}
