/**
 * The daemon's sync flags, checked before anything starts: a hub needs an address (TLS unless
 * it is loopback), a spoke or a client needs a hub URL and a token.
 */
import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { UsageError } from "../errors.ts";
import { isBearerToken } from "../sync/token-source.ts";

/** hephd's sync flags, in the order a service's command line writes them. */
export const SYNC_FLAG_NAMES = [
  "mode",
  "hub-url",
  "hub-token-file",
  "hub-ca",
  "http-addr",
  "tls-cert",
  "tls-key",
  "oidc-issuer",
  "oidc-audience",
  "insecure-http",
] as const satisfies readonly (keyof SyncFlags)[];

export type RuntimeMode = "local" | "server" | "client";

export interface SyncFlags {
  mode?: string | undefined;
  "hub-url"?: string | undefined;
  "hub-token-file"?: string | undefined;
  "hub-ca"?: string | undefined;
  "http-addr"?: string | undefined;
  "tls-cert"?: string | undefined;
  "tls-key"?: string | undefined;
  "insecure-http"?: boolean | undefined;
  "oidc-issuer"?: string | undefined;
  "oidc-audience"?: string | undefined;
}

export interface HubConnection {
  url: string;
  /** The token as read at start; with tokenFile, the file is read again before each exchange. */
  token: string;
  tokenFile?: string | undefined;
  /** PEM of an extra CA to trust for the hub's certificate. */
  ca?: string | undefined;
}

export type SyncSetup =
  | { mode: "local"; hub: HubConnection | null }
  | {
      mode: "server";
      hostname: string;
      port: number;
      tls: { cert: string; key: string } | null;
      oidc: { issuer: string; audience: string } | null;
    }
  | { mode: "client"; hub: HubConnection };

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost", "[::1]"]);

export function isLoopback(hostname: string): boolean {
  return LOOPBACK.has(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

function readSmallFile(path: string, what: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new UsageError(
      `Cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`,
    );
  }
}

function hubConnection(flags: SyncFlags, env: Record<string, string | undefined>): HubConnection {
  const raw = flags["hub-url"] as string;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(
      `--hub-url ${JSON.stringify(raw)} is not a URL: give the hub's address, e.g. https://hub.example:8443.`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new UsageError(
      `--hub-url must be https:// (or http:// on loopback), not ${url.protocol}`,
    );
  if (url.protocol === "http:" && !isLoopback(url.hostname) && !flags["insecure-http"])
    throw new UsageError(
      `--hub-url ${raw} is plain HTTP to another machine: tokens and data would cross the network unencrypted. Use https:// (hephd --mode server --tls-cert/--tls-key), or pass --insecure-http if you mean it.`,
    );
  const tokenFile = flags["hub-token-file"];
  if (tokenFile) {
    let mode = 0;
    try {
      mode = statSync(tokenFile).mode;
    } catch {
      // readSmallFile below names the problem.
    }
    // Like ssh with a private key: a secret others can read is refused, not used.
    if (mode & 0o077)
      throw new UsageError(
        `The hub token file ${tokenFile} can be read by other users (mode ${(mode & 0o777).toString(8)}): chmod 600 it, and ask the hub for a new token if others may have read it.`,
      );
  }
  const token = (
    tokenFile ? readSmallFile(tokenFile, "the hub token file") : (env.HEPH_HUB_TOKEN ?? "")
  ).trim();
  if (token === "")
    throw new UsageError(
      "A hub needs this device's token: pass --hub-token-file FILE (or set HEPH_HUB_TOKEN). On the hub, `heph hub token create NAME` issues one.",
    );
  if (!isBearerToken(token))
    throw new UsageError(
      `${tokenFile ? `The file ${tokenFile}` : "HEPH_HUB_TOKEN"} does not hold a hub token: a device token (heph_…, from heph hub token create) or an OIDC access token (from heph auth login).`,
    );
  const caFile = flags["hub-ca"];
  return {
    url: url.toString().replace(/\/$/, ""),
    token,
    tokenFile: tokenFile ? resolve(tokenFile) : undefined,
    ca: caFile ? readSmallFile(caFile, "the hub CA file") : undefined,
  };
}

function httpAddress(raw: string): { hostname: string; port: number } {
  const match = /^(\[[0-9a-fA-F:]+\]|[^:]+):(\d{1,5})$/.exec(raw);
  const port = match ? Number(match[2]) : Number.NaN;
  if (!match || port > 65535)
    throw new UsageError(
      `--http-addr ${JSON.stringify(raw)} is not HOST:PORT: e.g. 127.0.0.1:8443, [::1]:8443 or 0.0.0.0:8443 (port 0 picks a free one).`,
    );
  return { hostname: (match[1] as string).replace(/^\[|\]$/g, ""), port };
}

function oidcFlags(flags: SyncFlags): { issuer: string; audience: string } | null {
  const issuer = flags["oidc-issuer"];
  const audience = flags["oidc-audience"];
  if (issuer === undefined && audience === undefined) return null;
  if (!issuer || !audience)
    throw new UsageError("OIDC needs both --oidc-issuer URL and --oidc-audience AUDIENCE.");
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new UsageError(
      `--oidc-issuer ${JSON.stringify(issuer)} is not a URL: give the issuer, e.g. https://id.example.com.`,
    );
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopback(url.hostname)))
    throw new UsageError(
      `--oidc-issuer must be https:// (http:// only on loopback), not ${issuer}.`,
    );
  return { issuer, audience };
}

export function parseSyncFlags(
  flags: SyncFlags,
  env: Record<string, string | undefined> = process.env,
): SyncSetup {
  const mode = flags.mode ?? "local";
  if (mode !== "local" && mode !== "server" && mode !== "client")
    throw new UsageError(`Unknown --mode ${JSON.stringify(mode)}: use local, server or client.`);
  const only = (flag: keyof SyncFlags, modes: string) => {
    if (flags[flag] !== undefined)
      throw new UsageError(`--${flag} is for ${modes}, not --mode ${mode}.`);
  };
  if (mode === "server") {
    only("hub-url", "a spoke (--mode local) or --mode client");
    only("hub-token-file", "a spoke (--mode local) or --mode client");
    only("hub-ca", "a spoke (--mode local) or --mode client");
    const raw = flags["http-addr"];
    if (!raw)
      throw new UsageError(
        "--mode server needs --http-addr HOST:PORT: where devices reach the hub, e.g. 0.0.0.0:8443 with --tls-cert/--tls-key.",
      );
    const { hostname, port } = httpAddress(raw);
    const cert = flags["tls-cert"];
    const key = flags["tls-key"];
    if ((cert === undefined) !== (key === undefined))
      throw new UsageError("TLS needs both --tls-cert FILE and --tls-key FILE.");
    if (cert && key) {
      readSmallFile(cert, "the TLS certificate");
      readSmallFile(key, "the TLS key");
    } else if (!isLoopback(hostname) && !flags["insecure-http"]) {
      throw new UsageError(
        `--http-addr ${raw} without TLS would serve tokens and data unencrypted to the network: pass --tls-cert and --tls-key, listen on 127.0.0.1 (behind a TLS proxy), or pass --insecure-http if you mean it.`,
      );
    }
    return {
      mode,
      hostname,
      port,
      tls: cert && key ? { cert, key } : null,
      oidc: oidcFlags(flags),
    };
  }
  only("http-addr", "--mode server");
  only("oidc-issuer", "--mode server");
  only("oidc-audience", "--mode server");
  only("tls-cert", "--mode server");
  only("tls-key", "--mode server");
  if (mode === "client") {
    if (!flags["hub-url"])
      throw new UsageError(
        "--mode client forwards every request to a hub: pass --hub-url URL and --hub-token-file FILE.",
      );
    return { mode, hub: hubConnection(flags, env) };
  }
  if (!flags["hub-url"]) {
    only("hub-token-file", "a spoke (with --hub-url)");
    only("hub-ca", "a spoke (with --hub-url)");
    only("insecure-http", "a hub or a spoke (with --hub-url)");
    return { mode, hub: null };
  }
  return { mode, hub: hubConnection(flags, env) };
}
