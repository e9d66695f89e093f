/**
 * A spoke's sync loop (hephd --mode local --hub-url URL): push this device's updates, pull the
 * others', on start, after local writes (debounced), when the hub says it has news (long-poll)
 * and every 30 s; offline it keeps every write in its log and catches up when the hub is back.
 */
import { type Clock, toTimestamp } from "../core/clock.ts";
import type { Logger } from "../daemon/log.ts";
import type { SyncStatus } from "../protocol/sync-methods.ts";
import type { Store } from "../store/store.ts";
import type { SyncReplica } from "./replica.ts";
import type { TokenSource } from "./token-source.ts";
import {
  fromBase64,
  Hello,
  MAX_PULL_WAIT_S,
  PULL_PAGE_ENTRIES,
  PUSH_PAGE_BYTES,
  PullReply,
  PushReply,
  protocolMismatch,
  SYNC_PROTOCOL,
  SyncErrorBody,
  schemaMismatch,
  toBase64,
} from "./wire.ts";

export interface SpokeOptions {
  hubUrl: string;
  tokens: TokenSource;
  /** PEM of a CA to trust for the hub's certificate (a self-signed hub), besides the system's. */
  ca?: string | undefined;
  store: Store;
  replica: SyncReplica;
  clock: Clock;
  logger: Logger;
  /** Milliseconds after a local write before it is pushed, so a burst goes as one. */
  debounceMs?: number;
  /** Milliseconds between syncs when nothing else prompts one. */
  intervalMs?: number;
}

/** The hub answering is another store than the one the cursors were kept for. */
class HubChanged extends Error {}

/** A refusal that retrying will not fix (a token, a version): said once per change, not per try. */
export class SyncRefused extends Error {}

export class Spoke {
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private debounce: ReturnType<typeof setTimeout> | undefined;
  private interval: ReturnType<typeof setInterval> | undefined;
  private readonly polls = new AbortController();
  private online = false;
  private authFailures = 0;
  private readonly unlisten: () => void;
  private applying = false;

  constructor(private readonly options: SpokeOptions) {
    this.unlisten = options.store.changes.onCommit(() => {
      // Merging pulled updates commits too; only this device's writes need a push.
      if (!this.applying) this.schedule();
    });
  }

  start() {
    void this.syncNow().catch(() => {});
    this.interval = setInterval(
      () => void this.syncNow().catch(() => {}),
      this.options.intervalMs ?? 30_000,
    );
    void this.pollLoop();
  }

  async stop() {
    this.stopped = true;
    this.unlisten();
    clearTimeout(this.debounce);
    clearInterval(this.interval);
    this.polls.abort();
    await this.running?.catch(() => {});
  }

  private schedule() {
    if (this.stopped) return;
    clearTimeout(this.debounce);
    this.debounce = setTimeout(
      () => void this.syncNow().catch(() => {}),
      this.options.debounceMs ?? 200,
    );
  }

  /** One full exchange (push everything, pull everything); a call during one runs one more after. */
  async syncNow(): Promise<void> {
    if (this.running) {
      // The running exchange goes round once more, so what prompted this call is included.
      this.again = true;
      return this.running;
    }
    const run = (async () => {
      try {
        do {
          this.again = false;
          await this.round();
        } while (this.again && !this.stopped);
      } finally {
        this.running = null;
      }
    })();
    this.running = run;
    return run;
  }

  private get replica() {
    return this.options.replica;
  }

  private cursor(key: "pushed_seq" | "hub_seq"): number {
    return Number(this.replica.meta(key) ?? "0");
  }

  private async round() {
    try {
      // Versions are checked once while the hub keeps answering; after any failure, again.
      if (!this.online) await this.hello();
      await this.push();
      await this.pull();
      this.online = true;
      // One transaction (one fsync) for both: a round costs as few disk flushes as it can.
      this.options.store.transaction(() => {
        this.replica.setMeta("last_success_at", toTimestamp(this.options.clock()));
        this.replica.setMeta("last_error", null);
      });
    } catch (error) {
      this.online = false;
      if (error instanceof HubChanged) {
        // Not a failure: the next round says hello, which starts over with the new store.
        this.again = true;
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      // Said in the log once per reason, not at every retry.
      if (this.lastError()?.message !== message)
        this.options.logger.warn("sync failed", { hub: this.options.hubUrl, error: message });
      this.replica.setMeta(
        "last_error",
        JSON.stringify({ at: toTimestamp(this.options.clock()), message }),
      );
      throw error;
    }
  }

  private send(path: string, init: RequestInit): Promise<Response> {
    // Appended, not resolved: a hub behind a proxy at https://host/heph keeps its path.
    return fetch(`${this.options.hubUrl.replace(/\/$/, "")}${path}`, {
      ...init,
      headers: {
        ...(init.headers as Record<string, string> | undefined),
        authorization: `Bearer ${this.options.tokens.current()}`,
      },
      ...(this.options.ca ? { tls: { ca: this.options.ca } } : {}),
    } as RequestInit);
  }

  private async request(path: string, init: RequestInit = {}): Promise<unknown> {
    let response: Response;
    try {
      response = await this.send(path, init);
      // An OIDC login past its expiry: refreshed once, then tried again.
      if (response.status === 401 && (await this.options.tokens.refresh().catch(() => false)))
        response = await this.send(path, init);
    } catch (error) {
      if ((error as Error).name === "AbortError") throw error;
      throw new Error(
        `Cannot reach the hub at ${this.options.hubUrl}: ${(error as Error).message}`,
      );
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(
        `The hub at ${this.options.hubUrl} answered ${response.status} with something that is not JSON; is it a heph hub?`,
      );
    }
    if (response.ok) return body;
    const refusal = SyncErrorBody.safeParse(body);
    const message = refusal.success ? refusal.data.error : `HTTP ${response.status}`;
    if (response.status === 401) {
      this.authFailures++;
      throw new SyncRefused(`The hub refused this device's token: ${message}`);
    }
    if (response.status === 409 || response.status === 403) throw new SyncRefused(message);
    throw new Error(`The hub answered ${response.status}: ${message}`);
  }

  private checkHub(hubId: string) {
    if (hubId !== this.replica.meta("hub_id")) throw new HubChanged();
  }

  private async hello() {
    const hello = Hello.parse(await this.request("/sync/hello"));
    const mismatch =
      protocolMismatch(hello.protocol, SYNC_PROTOCOL) ??
      schemaMismatch(hello.schema_version, this.options.store.schemaVersion());
    if (mismatch) throw new SyncRefused(mismatch);
    // Another hub store (restored from an old backup, or new): its cursors mean nothing here,
    // so push everything and pull everything again. Both are idempotent.
    const known = this.replica.meta("hub_id");
    if (known !== hello.hub_id) {
      if (known !== null)
        this.options.logger.warn("the hub is another store now; syncing everything again", {
          hub: this.options.hubUrl,
        });
      // Whole documents go first (they carry what other devices wrote too, which a hub that
      // lost its store may never get again otherwise); this device's log so far is in them.
      this.options.store.transaction(() => {
        this.replica.setMeta("hub_id", hello.hub_id);
        // The first hub gets this device's log from the start; another one, whole documents.
        this.replica.setMeta("pushed_seq", known === null ? "0" : String(this.replica.lastSeq()));
        this.replica.setMeta("hub_seq", "0");
        this.replica.setMeta("resend_after", known === null ? null : "");
      });
    }
  }

  /** Sends every document whole, in pages, remembering how far it got (a restart goes on). */
  private async resend() {
    for (;;) {
      const after = this.replica.meta("resend_after");
      if (after === null) return;
      const docs = this.replica.docStatesAfter(after, PULL_PAGE_ENTRIES, PUSH_PAGE_BYTES);
      if (docs.length === 0) {
        this.replica.setMeta("resend_after", null);
        return;
      }
      await this.sendPush(docs);
      this.replica.setMeta("resend_after", docs.at(-1)?.node_id ?? null);
    }
  }

  private async sendPush(entries: ReadonlyArray<{ node_id: string; update: Uint8Array }>) {
    const reply = PushReply.parse(
      await this.request("/sync/push", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          protocol: SYNC_PROTOCOL,
          schema_version: this.options.store.schemaVersion(),
          origin: this.replica.origin,
          entries: entries.map((entry) => ({
            node_id: entry.node_id,
            update: toBase64(entry.update),
          })),
        }),
      }),
    );
    this.checkHub(reply.hub_id);
  }

  private async push() {
    await this.resend();
    for (;;) {
      const entries = this.replica.ownEntriesAfter(
        this.cursor("pushed_seq"),
        PULL_PAGE_ENTRIES,
        PUSH_PAGE_BYTES,
      );
      if (entries.length === 0) return;
      await this.sendPush(entries);
      this.replica.setMeta("pushed_seq", String(entries.at(-1)?.seq));
    }
  }

  private pullPath(after: number, wait: number) {
    const query = new URLSearchParams({
      after: String(after),
      origin: this.replica.origin,
      protocol: String(SYNC_PROTOCOL),
      schema_version: String(this.options.store.schemaVersion()),
      wait: String(wait),
    });
    return `/sync/pull?${query}`;
  }

  private async pull() {
    for (;;) {
      const after = this.cursor("hub_seq");
      const page = PullReply.parse(await this.request(this.pullPath(after, 0)));
      this.checkHub(page.hub_id);
      this.merge(after, page);
      if (page.last >= page.hub_seq || page.last === after) return;
    }
  }

  /** Merges a pulled page, unless another pull already moved the cursor past where it began. */
  private merge(after: number, page: PullReply) {
    if (this.cursor("hub_seq") !== after) return;
    this.applying = true;
    try {
      if (page.last === after) return;
      // The merge and the cursor in one transaction: both are stored, or neither.
      this.options.store.transaction(() => {
        if (page.entries.length > 0)
          this.replica.applyRemote(
            page.entries.map((entry) => ({
              node_id: entry.node_id,
              update: fromBase64(entry.update),
              origin: entry.origin,
            })),
          );
        this.replica.setMeta("hub_seq", String(page.last));
      });
    } finally {
      this.applying = false;
    }
  }

  /** Waits on the hub for news; on news, syncs. Backs off while the hub is unreachable. */
  private async pollLoop() {
    let backoff = 1000;
    while (!this.stopped) {
      try {
        const after = this.cursor("hub_seq");
        const page = PullReply.parse(
          await this.request(this.pullPath(after, MAX_PULL_WAIT_S - 5), {
            signal: this.polls.signal,
          }),
        );
        backoff = 1000;
        if (page.last > after || page.hub_id !== this.replica.meta("hub_id"))
          await this.syncNow().catch(() => {});
      } catch {
        if (this.stopped) return;
        await new Promise((resolve) => setTimeout(resolve, backoff));
        backoff = Math.min(backoff * 2, 30_000);
      }
    }
  }

  private lastError(): { at: string; message: string } | null {
    const stored = this.replica.meta("last_error");
    return stored ? (JSON.parse(stored) as { at: string; message: string }) : null;
  }

  status(): Omit<SyncStatus, "role" | "conflicts" | "devices"> {
    return {
      hub_url: this.options.hubUrl,
      device: this.replica.origin,
      online: this.online,
      last_success_at: this.replica.meta("last_success_at"),
      last_error: this.lastError(),
      pending: this.replica.ownCountAfter(this.cursor("pushed_seq")),
      hub_seq: this.cursor("hub_seq"),
      auth_failures: this.authFailures,
    };
  }
}
