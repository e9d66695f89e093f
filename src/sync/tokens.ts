import type { Database } from "bun:sqlite";
import { createHash, randomBytes } from "node:crypto";
import { type Clock, toTimestamp } from "../core/clock.ts";
import { createIdFactory } from "../core/ids.ts";
import type { HubToken } from "../protocol/sync-methods.ts";

/** Every token starts so, which makes one easy to spot in a config file or a leaked log. */
const TOKEN_PREFIX = "heph_";

/** A token's row without its hash: what is ever shown or returned. */
const TOKEN_COLUMNS = "SELECT id, name, created_at, last_used_at, revoked_at FROM hub_tokens";

function digest(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/**
 * The hub's device tokens: 32 random bytes each, shown once, kept as a SHA-256. Every request
 * looks its token up again, so a revocation counts from the next request.
 */
export class HubTokens {
  private readonly newId = createIdFactory();

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  create(name: string): HubToken & { token: string } {
    const live = this.db
      .query("SELECT 1 FROM hub_tokens WHERE name = ? AND revoked_at IS NULL")
      .get(name);
    if (live) throw new TokenNameTaken(name);
    const token = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
    const now = this.clock();
    const id = this.newId(now.getTime());
    this.db
      .query("INSERT INTO hub_tokens (id, name, hash, created_at) VALUES (?, ?, ?, ?)")
      .run(id, name, digest(token), toTimestamp(now));
    return { ...(this.find(id) as HubToken), token };
  }

  list(): HubToken[] {
    return this.db.query<HubToken, []>(`${TOKEN_COLUMNS} ORDER BY created_at, id`).all();
  }

  liveCount(): number {
    return (
      this.db.query("SELECT count(*) AS n FROM hub_tokens WHERE revoked_at IS NULL").get() as {
        n: number;
      }
    ).n;
  }

  private find(idOrName: string): HubToken | undefined {
    return (
      this.db
        .query<HubToken, [string]>(`${TOKEN_COLUMNS} WHERE id = ?`)
        .get(idOrName.toUpperCase()) ??
      this.db
        .query<HubToken, [string]>(
          `${TOKEN_COLUMNS} WHERE name = ?
           ORDER BY revoked_at IS NULL DESC, created_at DESC LIMIT 1`,
        )
        .get(idOrName) ??
      undefined
    );
  }

  /** Revokes by id or name; undefined when no token has either. Revoking twice is a no-op. */
  revoke(idOrName: string): HubToken | undefined {
    const token = this.find(idOrName);
    if (!token) return undefined;
    this.db
      .query("UPDATE hub_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
      .run(toTimestamp(this.clock()), token.id);
    return this.find(token.id);
  }

  /** The live token a bearer string is, or undefined (unknown, revoked, or not a token at all). */
  verify(bearer: string): HubToken | undefined {
    if (!bearer.startsWith(TOKEN_PREFIX) || bearer.length > 200) return undefined;
    const row = this.db
      .query<HubToken, [string]>(`${TOKEN_COLUMNS} WHERE hash = ? AND revoked_at IS NULL`)
      .get(digest(bearer));
    if (!row) return undefined;
    // last_used_at is for people reading `token list`: a minute's precision spares every
    // request a write (and a disk flush).
    const now = this.clock();
    if (row.last_used_at === null || now.getTime() - Date.parse(row.last_used_at) > 60_000)
      this.db
        .query("UPDATE hub_tokens SET last_used_at = ? WHERE id = ?")
        .run(toTimestamp(now), row.id);
    return row;
  }
}

export class TokenNameTaken extends Error {
  constructor(readonly tokenName: string) {
    super(
      `A live token named ${JSON.stringify(tokenName)} exists already: revoke it first (heph hub token revoke ${tokenName}) or pick another name.`,
    );
  }
}
