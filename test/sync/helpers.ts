/**
 * A small sync topology for tests: one hub replica and some spokes, each a real SQLite store in
 * a temp dir, synced the way src/sync/spoke.ts and the hub do it (a spoke pushes its own log
 * entries past its pushed cursor, pulls the hub's past its pulled cursor), with the cursors kept
 * here instead of in sync_meta. No timers: every exchange is an explicit call.
 */
import { expect } from "bun:test";
import { join } from "node:path";
import * as Y from "yjs";
import type { Clock } from "../../src/core/clock.ts";
import type { LocalDate } from "../../src/core/task-types.ts";
import { createTaskHandlers } from "../../src/daemon/task-handlers.ts";
import type { NodeKind } from "../../src/protocol/schemas.ts";
import type { Task } from "../../src/protocol/task-schemas.ts";
import { openStore, type Store } from "../../src/store/store.ts";
import { SyncReplica } from "../../src/sync/replica.ts";
import { tempDir } from "../helpers/tmp.ts";

export const TODAY: LocalDate = "2026-03-10";

/** A clock that moves one second at every reading: timestamps differ and are reproducible. */
export function steppingClock(start = "2026-03-10T09:00:00.000Z"): Clock {
  let now = Date.parse(start);
  return () => {
    now += 1000;
    return new Date(now);
  };
}

export interface Device {
  readonly name: string;
  readonly path: string;
  readonly relay: boolean;
  readonly clientId: number;
  store: Store;
  replica: SyncReplica;
  tasks: ReturnType<typeof createTaskHandlers>;
  /** The spoke's cursors (the real spoke keeps them in sync_meta as pushed_seq and hub_seq). */
  pushed: number;
  pulled: number;
}

export interface PullLimits {
  limit: number;
  maxBytes: number;
}

const ALL: PullLimits = { limit: 100_000, maxBytes: 1e12 };

export class Mesh {
  readonly devices: Device[] = [];
  private readonly dir = tempDir("heph-sync-");
  /** Told after each merge, with the device's last log seq before it (to see what it wrote). */
  onMerged: ((device: Device, lastSeqBefore: number) => void) | undefined;

  /** Device 0 is the hub (relay), devices 1..spokes are spokes; engine client ids are fixed. */
  constructor(
    spokes: number,
    readonly clock: Clock = steppingClock(),
  ) {
    for (let index = 0; index <= spokes; index++) {
      const name = index === 0 ? "hub" : `spoke${index}`;
      const device = {
        name,
        path: join(this.dir.path, `${name}.db`),
        relay: index === 0,
        clientId: 1000 + index,
        pushed: 0,
        pulled: 0,
      } as Device;
      this.open(device, true);
      this.devices.push(device);
    }
  }

  get hub(): Device {
    return this.devices[0] as Device;
  }

  get spokes(): Device[] {
    return this.devices.slice(1);
  }

  device(index: number): Device {
    return this.devices[index] as Device;
  }

  private open(device: Device, fresh: boolean) {
    device.store = openStore(device.path, this.clock);
    // A fixed engine client id (instead of a random one), so a failing run can be replayed.
    if (fresh)
      device.store.db
        .query("INSERT INTO sync_meta (key, value) VALUES ('client_id', ?)")
        .run(String(device.clientId));
    device.replica = SyncReplica.open(device.store, this.clock, { relay: device.relay });
    device.tasks = createTaskHandlers({ store: device.store, today: () => TODAY });
  }

  /** Closes the replica and its store and opens both again from the same file. */
  restart(device: Device) {
    device.replica.close();
    device.store.close();
    this.open(device, false);
  }

  private merge(device: Device, entries: Parameters<SyncReplica["applyRemote"]>[0]) {
    const before = device.replica.lastSeq();
    device.replica.applyRemote(entries);
    this.onMerged?.(device, before);
  }

  /** Sends the spoke's own updates past its cursor to the hub (at most `limit`); returns how many. */
  push(spoke: Device, limit = 100_000): number {
    const entries = spoke.replica.ownEntriesAfter(spoke.pushed, limit);
    if (entries.length === 0) return 0;
    this.merge(this.hub, entries);
    spoke.pushed = (entries.at(-1) as { seq: number }).seq;
    return entries.length;
  }

  /** One page from the hub past the spoke's cursor; returns how many entries it carried. */
  pullPage(spoke: Device, limits: PullLimits = ALL): { entries: number; more: boolean } {
    const page = this.hub.replica.entriesAfter(spoke.pulled, {
      ...limits,
      skipOrigin: spoke.replica.origin,
    });
    if (page.entries.length > 0) this.merge(spoke, page.entries);
    spoke.pulled = page.last;
    return { entries: page.entries.length, more: page.last < this.hub.replica.lastSeq() };
  }

  /** Pulls until the spoke has everything the hub has; returns how many entries it received. */
  pull(spoke: Device, limits: PullLimits = ALL): number {
    let received = 0;
    for (;;) {
      const page = this.pullPage(spoke, limits);
      received += page.entries;
      if (!page.more) return received;
    }
  }

  sync(spoke: Device): number {
    return this.push(spoke) + this.pull(spoke);
  }

  /**
   * Every spoke pushes, then every spoke pulls, until a round moves nothing. Returns the rounds
   * that moved something; throws if the replicas keep writing back and forth.
   */
  heal(maxRounds = 6): number {
    for (let round = 0; round < maxRounds; round++) {
      let moved = 0;
      for (const spoke of this.spokes) moved += this.push(spoke);
      for (const spoke of this.spokes) moved += this.pull(spoke);
      if (moved === 0) return round;
    }
    throw new Error(`sync did not settle in ${maxRounds} rounds`);
  }

  close() {
    for (const device of this.devices) {
      device.replica.close();
      device.store.close();
    }
    this.dir.cleanup();
  }
}

/** Everything sync must make the same on every replica, in a comparable form. */
export function snapshot(store: Store, today: LocalDate = TODAY) {
  const { db } = store;
  const grouped = (sql: string) => {
    const map = new Map<string, string[]>();
    for (const row of db.query<{ node_id: string; value: string }, []>(sql).all())
      map.set(row.node_id, [...(map.get(row.node_id) ?? []), row.value]);
    return map;
  };
  const aliases = grouped(
    "SELECT node_id, alias AS value FROM node_aliases ORDER BY node_id, position",
  );
  const tags = grouped("SELECT node_id, tag AS value FROM node_tags ORDER BY node_id, position");
  const nodes = db
    .query<Record<string, unknown> & { id: string }, []>(
      `SELECT id, kind, title, body, properties, folder, created_at, updated_at, deleted_at
       FROM nodes ORDER BY id`,
    )
    .all()
    .map((row) => ({ ...row, aliases: aliases.get(row.id) ?? [], tags: tags.get(row.id) ?? [] }));
  const tasks = db
    .query(
      `SELECT node_id, state, attention, do_date, late_on, recurrence, closed_at, project_id, deleted
       FROM tasks ORDER BY node_id`,
    )
    .all();
  const links = db
    .query(
      "SELECT src, type, target, dst FROM links WHERE type NOT IN ('wiki', 'tag') ORDER BY src, type, target",
    )
    .all();
  // Entries from two devices may be appended in a different order on each: compared as a set.
  const log = db
    .query("SELECT task_id, at, kind, text FROM task_log ORDER BY task_id, at, kind, text")
    .all();
  const next = store.tasks.next(today, 50).map((task) => task.id);
  return { nodes, tasks, links, log, next };
}

/** A node's body as this store has it (tombstones included), or undefined. */
export function bodyOf(store: Store, id: string): string | undefined {
  return store.nodes.get(id, { includeDeleted: true })?.body;
}

/** A task made through the daemon's task handlers (its context doc and first log entry too). */
export function createTask(
  device: Device,
  fields: {
    title: string;
    body?: string;
    attention?: Task["attention"];
    recurrence?: string | null;
    project?: string | null;
  },
): Task {
  // The task handlers are synchronous (bun:sqlite is): the result is the task itself.
  return device.tasks["task.create"]({
    title: fields.title,
    body: fields.body ?? "",
    attention: fields.attention ?? "white",
    do_date: null,
    late_on: null,
    recurrence: fields.recurrence ?? null,
    project: fields.project ?? null,
    tags: [],
  }) as Task;
}

/** Asserts every replica's snapshot equals the hub's (named, so a diff says which differs). */
export function expectConverged(mesh: Mesh) {
  const reference = snapshot(mesh.hub.store);
  for (const device of mesh.spokes)
    expect({ [device.name]: snapshot(device.store) }).toEqual({ [device.name]: reference });
}

/**
 * Body text for tests that check no insert is lost: markers (`⟨…⟩`, unique) inside filler.
 * Filler never holds a marker's characters (digits, '-', '⟨', '⟩'), so deleting it never cuts
 * one; it has characters outside the BMP (two UTF-16 units), never split by an edit here.
 */
export const FILLER = ["a", "b", "c", "d", "e", " ", "é", "😀", "🙂"];
export const MARKER = /⟨[^⟩]*⟩/g;

/** Whether `at` is the second half of a character outside the BMP. */
export function isLow(text: string, at: number): boolean {
  return /[\uDC00-\uDFFF]/.test(text.charAt(at));
}

/** A position in `body` (from 0–1000 along it) that is not inside a marker or a character. */
export function insertionPoint(body: string, at: number): number {
  let position = Math.floor((at / 1000) * (body.length + 1));
  for (const match of body.matchAll(MARKER)) {
    const start = match.index;
    if (position > start && position < start + match[0].length) position = start;
  }
  return isLow(body, position) ? position - 1 : position;
}

/** The stretches of `body` outside markers, as [start, end). */
export function fillerRuns(body: string): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  let from = 0;
  for (const match of body.matchAll(MARKER)) {
    if (match.index > from) runs.push([from, match.index]);
    from = match.index + match[0].length;
  }
  if (body.length > from) runs.push([from, body.length]);
  return runs;
}

/** The device's live nodes of these kinds, newest first. */
export function live(device: Device, kinds: readonly NodeKind[]): string[] {
  return device.store.db
    .query<{ id: string }, [string]>(
      `SELECT id FROM nodes WHERE deleted_at IS NULL
         AND kind IN (SELECT value FROM json_each(?)) ORDER BY id DESC`,
    )
    .all(JSON.stringify(kinds))
    .map((row) => row.id);
}

export function choose<T>(list: readonly T[], index: number): T | undefined {
  return list.length === 0 ? undefined : list[index % list.length];
}

/** Each node's engine state vector on a device (client → next clock). */
export function vectors(device: Device): Map<string, Map<number, number>> {
  const rows = device.store.db
    .query<{ node_id: string; state: Uint8Array }, []>("SELECT node_id, state FROM sync_docs")
    .all();
  return new Map(
    rows.map((row) => [row.node_id, Y.decodeStateVector(Y.encodeStateVectorFromUpdate(row.state))]),
  );
}
