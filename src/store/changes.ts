import type { Database } from "bun:sqlite";

/** Told, after a transaction has committed, which nodes it wrote (each id once, in write order). */
export type CommitListener = (ids: readonly string[]) => void;

/**
 * Which nodes the store's writes touched, handed on only once their transaction has committed.
 *
 * Every write path of the store (NodeStore, TaskStore, ProjectStore) records the ids it writes
 * and runs inside `transaction`, which nests as SQLite savepoints. A savepoint that rolls back
 * forgets what it recorded; the outermost transaction tells the listeners after its COMMIT, so
 * a refused or failed write is never announced, and nothing is announced before it is durable.
 */
export class ChangeTracker {
  private readonly touched: string[] = [];
  private depth = 0;
  /** Inside `bulk`: nested transactions run inline, with no savepoint of their own. */
  private flat = false;
  private readonly listeners = new Set<CommitListener>();
  /** Run last inside the outermost transaction, so what they write commits with it (sync). */
  private readonly beforeCommit = new Set<() => void>();

  constructor(private readonly db: Database) {}

  /** Marks a node as written by the transaction in progress. */
  record(id: string) {
    this.touched.push(id);
  }

  /** Listens to commits; returns the function that stops listening. */
  onCommit(listener: CommitListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Runs `hook` at the end of every outermost transaction, before its COMMIT: what it writes is
   * stored with the transaction or not at all. Returns the function that removes it.
   */
  onBeforeCommit(hook: () => void): () => void {
    this.beforeCommit.add(hook);
    return () => this.beforeCommit.delete(hook);
  }

  /**
   * Runs `work` in one transaction in which the store's own nested transactions take no
   * savepoints: for a bulk write that is rolled back whole if any part of it fails (the fast
   * pass of an import batch). A savepoint makes SQLite copy every page it touches into a
   * sub-journal first; an import paid that once per node, task and link.
   */
  bulk<T>(work: () => T): T {
    return this.transaction(() => {
      this.flat = true;
      try {
        return work();
      } finally {
        this.flat = false;
      }
    });
  }

  /** Runs `work` in a transaction (a savepoint when one is open already). */
  transaction<T>(work: () => T): T {
    if (this.flat) return work();
    const mark = this.touched.length;
    this.depth++;
    let result: T;
    const outermost = this.depth === 1 && this.beforeCommit.size > 0;
    try {
      result = this.db.transaction(
        outermost
          ? () => {
              const value = work();
              for (const hook of this.beforeCommit) hook();
              return value;
            }
          : work,
      )();
    } catch (error) {
      // Rolled back (to its savepoint, when nested): what it wrote is gone, so is its record.
      this.touched.length = mark;
      throw error;
    } finally {
      this.depth--;
    }
    if (this.depth === 0) this.flush();
    return result;
  }

  private flush() {
    if (this.touched.length === 0) return;
    const ids = [...new Set(this.touched)];
    this.touched.length = 0;
    for (const listener of this.listeners) listener(ids);
  }
}
