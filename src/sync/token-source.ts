/**
 * Where a spoke's bearer token comes from: a file (read again before each exchange, so a new
 * token or a fresh `heph auth login` takes effect without a restart) or HEPH_HUB_TOKEN. A file
 * written by `heph auth login` has an OIDC sidecar (`FILE.oidc.json`) with a refresh token:
 * refused by the hub, the spoke refreshes once and retries.
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { z } from "zod";
import { writeFileAtomic } from "../fs-atomic.ts";

export const OidcSidecar = z.object({
  issuer: z.string(),
  client_id: z.string(),
  token_endpoint: z.url(),
  refresh_token: z.string().min(1),
});
export type OidcSidecar = z.infer<typeof OidcSidecar>;

export function sidecarPath(tokenFile: string): string {
  return `${tokenFile}.oidc.json`;
}

/** A bearer token heph can send: a hub device token or a JWT (OIDC access token). */
export function isBearerToken(text: string): boolean {
  return (
    /^heph_[A-Za-z0-9_-]{20,200}$/.test(text) ||
    /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(text)
  );
}

/** Saves a token (0600) and, for an OIDC login, its sidecar; atomically each. */
export function saveToken(tokenFile: string, token: string, sidecar: OidcSidecar | null) {
  writeFileAtomic(tokenFile, `${token}\n`, 0o600);
  if (sidecar)
    writeFileAtomic(sidecarPath(tokenFile), `${JSON.stringify(sidecar, null, 2)}\n`, 0o600);
  // A login without a refresh token leaves no earlier login's refresh behind.
  else rmSync(sidecarPath(tokenFile), { force: true });
}

/** Exchanges a refresh token for a new access token at the issuer's token endpoint. */
export async function refreshAccessToken(
  sidecar: OidcSidecar,
): Promise<{ access_token: string; refresh_token?: string | undefined }> {
  const response = await fetch(sidecar.token_endpoint, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "refresh_token",
      refresh_token: sidecar.refresh_token,
      client_id: sidecar.client_id,
    }),
    signal: AbortSignal.timeout(30_000),
  });
  const body = z
    .object({ access_token: z.string().min(1), refresh_token: z.string().optional() })
    .safeParse(await response.json().catch(() => null));
  if (!response.ok || !body.success)
    throw new Error(
      `The issuer refused to refresh the login (HTTP ${response.status}): run heph auth login again.`,
    );
  return body.data;
}

export class TokenSource {
  constructor(
    private readonly file: string | undefined,
    private readonly fallback: string,
  ) {}

  /** The token to send now. */
  current(): string {
    if (!this.file) return this.fallback;
    try {
      const text = readFileSync(this.file, "utf8").trim();
      return isBearerToken(text) ? text : this.fallback;
    } catch {
      return this.fallback;
    }
  }

  /** After a 401: refreshes an OIDC login if there is one; true when a new token is in place. */
  async refresh(): Promise<boolean> {
    if (!this.file) return false;
    const path = sidecarPath(this.file);
    if (!existsSync(path)) return false;
    const sidecar = OidcSidecar.safeParse(JSON.parse(readFileSync(path, "utf8")));
    if (!sidecar.success) return false;
    const fresh = await refreshAccessToken(sidecar.data);
    saveToken(this.file, fresh.access_token, {
      ...sidecar.data,
      refresh_token: fresh.refresh_token ?? sidecar.data.refresh_token,
    });
    return true;
  }
}
