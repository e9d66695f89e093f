/**
 * OIDC bearer tokens on the hub: RS256 JWTs from one issuer for one audience, verified with
 * jose against the issuer's JWKS (found through its discovery document). A subject can be
 * revoked on the hub: its tokens issued before then are refused, replayed or not.
 */
import type { Database } from "bun:sqlite";
import { createRemoteJWKSet, errors, type JWTVerifyGetKey, jwtVerify } from "jose";
import { z } from "zod";
import { type Clock, toTimestamp } from "../core/clock.ts";

const Discovery = z.object({
  issuer: z.string(),
  jwks_uri: z.url(),
  device_authorization_endpoint: z.url().optional(),
  token_endpoint: z.url().optional(),
});
export type Discovery = z.infer<typeof Discovery>;

/** The issuer's discovery document (/.well-known/openid-configuration), checked. */
export async function discover(issuer: string): Promise<Discovery> {
  const url = `${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`;
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    throw new Error(`Cannot reach the OIDC issuer at ${url}: ${(error as Error).message}`);
  }
  if (!response.ok) throw new Error(`The OIDC issuer answered ${response.status} for ${url}`);
  const parsed = Discovery.safeParse(await response.json().catch(() => null));
  if (!parsed.success)
    throw new Error(`${url} is not an OIDC discovery document (it needs issuer and jwks_uri).`);
  if (parsed.data.issuer.replace(/\/$/, "") !== issuer.replace(/\/$/, ""))
    throw new Error(
      `The discovery document at ${url} names issuer ${parsed.data.issuer}, not ${issuer}.`,
    );
  return parsed.data;
}

/** Whether a bearer string is shaped like a JWT (three base64url parts). */
export function looksLikeJwt(bearer: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(bearer);
}

export type OidcOutcome =
  | { ok: true; subject: string }
  | { ok: false; reason: string; unavailable?: boolean };

export class OidcVerifier {
  private keys: JWTVerifyGetKey | undefined;

  constructor(
    private readonly options: { issuer: string; audience: string },
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  private async keySet(): Promise<JWTVerifyGetKey> {
    if (!this.keys) {
      const discovery = await discover(this.options.issuer);
      this.keys = createRemoteJWKSet(new URL(discovery.jwks_uri), { cooldownDuration: 30_000 });
    }
    return this.keys;
  }

  async verify(bearer: string): Promise<OidcOutcome> {
    if (!looksLikeJwt(bearer)) return { ok: false, reason: "not a JWT" };
    let payload: { sub?: string; iat?: number };
    let keys: JWTVerifyGetKey;
    try {
      keys = await this.keySet();
    } catch (error) {
      // The issuer is down or misconfigured: not the device's fault, and not an auth failure.
      return { ok: false, reason: (error as Error).message, unavailable: true };
    }
    try {
      ({ payload } = await jwtVerify(bearer, keys, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        // Only RS256: "none", HMAC with the public key as secret and the rest are refused.
        algorithms: ["RS256"],
        requiredClaims: ["sub", "exp", "iat"],
        currentDate: this.clock(),
      }));
    } catch (error) {
      return { ok: false, reason: describeJoseError(error) };
    }
    const subject = payload.sub as string;
    const revoked = this.db
      .query<{ revoked_at: string }, [string]>(
        "SELECT revoked_at FROM hub_revoked_subjects WHERE subject = ?",
      )
      .get(subject);
    if (revoked)
      return {
        ok: false,
        reason: `subject ${subject} was revoked on the hub at ${revoked.revoked_at}`,
      };
    return { ok: true, subject };
  }

  /**
   * Refuses every token of `subject` from now on, whenever it was issued: a refresh or a new
   * login must not let a device back in. `allowSubject` lifts it.
   */
  revokeSubject(subject: string): { subject: string; revoked_at: string } {
    const revokedAt = toTimestamp(this.clock());
    this.db
      .query("INSERT OR REPLACE INTO hub_revoked_subjects (subject, revoked_at) VALUES (?, ?)")
      .run(subject, revokedAt);
    return { subject, revoked_at: revokedAt };
  }

  /** Lets a revoked subject in again; false when it was not revoked. */
  allowSubject(subject: string): boolean {
    return (
      this.db.query("DELETE FROM hub_revoked_subjects WHERE subject = ?").run(subject).changes > 0
    );
  }
}

function describeJoseError(error: unknown): string {
  if (error instanceof errors.JWTExpired) return "the token has expired";
  if (error instanceof errors.JWTClaimValidationFailed)
    return `claim ${error.claim} is wrong (${error.reason})`;
  if (error instanceof errors.JOSEAlgNotAllowed) return "the token's algorithm is not RS256";
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return "the signature does not verify with the issuer's keys";
  if (error instanceof errors.JWKSNoMatchingKey) return "no key of the issuer matches the token";
  return (error as Error).message;
}
