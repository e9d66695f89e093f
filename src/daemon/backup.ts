/**
 * store.backup: a consistent copy of the live store, made by SQLite itself (VACUUM INTO reads one
 * snapshot while the daemon keeps serving), then opened read-only and checked.
 */
import { Database } from "bun:sqlite";
import { chmodSync, closeSync, fsyncSync, lstatSync, openSync, rmSync, statSync } from "node:fs";
import { dirname, isAbsolute } from "node:path";
import type { BackupReport } from "../protocol/import-methods.ts";
import type { Store } from "../store/store.ts";
import { conflict, invalidParam } from "./failures.ts";

const MAX_PROBLEMS = 100;

function errnoOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? "error";
}

/** Creates the target empty, 0600, refusing what is there unless `force` (only a file, never a directory). */
function claim(path: string, force: boolean) {
  let existing: ReturnType<typeof lstatSync> | undefined;
  try {
    existing = lstatSync(path);
  } catch (error) {
    if (errnoOf(error) !== "ENOENT")
      throw invalidParam("path", `cannot inspect ${path} (${errnoOf(error)})`);
  }
  if (existing) {
    if (!existing.isFile()) throw invalidParam("path", `${path} exists and is not a regular file`);
    if (!force)
      throw conflict(`${path} already exists; pass force (heph backup --force) to replace it.`, {
        path,
      });
    rmSync(path);
  }
  try {
    // O_EXCL: never through a symlink someone put there in the meantime.
    closeSync(openSync(path, "wx", 0o600));
    chmodSync(path, 0o600);
  } catch (error) {
    throw invalidParam(
      "path",
      `cannot create ${path} (${errnoOf(error)}): ${(error as Error).message}`,
    );
  }
}

function syncFile(path: string) {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Opens the copy read-only and asks it what a heph store must answer. */
function inspect(path: string): Omit<BackupReport, "path" | "bytes"> {
  const copy = new Database(path, { readonly: true });
  try {
    const integrity = copy
      .query<Record<string, string>, []>(`PRAGMA integrity_check(${MAX_PROBLEMS})`)
      .all()
      .map((row) => String(Object.values(row)[0]));
    const pragma = (name: string) =>
      Number(Object.values(copy.query(`PRAGMA ${name}`).get() as Record<string, number>)[0]);
    return {
      ok: integrity.length === 1 && integrity[0] === "ok",
      integrity,
      application_id: pragma("application_id"),
      schema_version: pragma("user_version"),
    };
  } finally {
    copy.close();
  }
}

export function backupStore(store: Store, params: { path: string; force: boolean }): BackupReport {
  const { path, force } = params;
  if (!isAbsolute(path))
    throw invalidParam(
      "path",
      `must be an absolute path (the daemon's working directory is not yours): ${path}`,
    );
  if (path === store.path || path.startsWith(`${store.path}-`))
    throw invalidParam("path", "must not be the store itself or one of its -wal/-shm files");
  try {
    if (!statSync(dirname(path)).isDirectory()) throw new Error("not a directory");
  } catch {
    throw invalidParam("path", `the directory ${dirname(path)} does not exist`);
  }
  claim(path, force);
  try {
    store.db.query("VACUUM INTO ?").run(path);
    syncFile(path);
    syncFile(dirname(path));
  } catch (error) {
    rmSync(path, { force: true });
    throw invalidParam(
      "path",
      `could not write the backup to ${path}: ${(error as Error).message}`,
    );
  }
  return { path, bytes: statSync(path).size, ...inspect(path) };
}
