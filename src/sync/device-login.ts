/**
 * OAuth 2.0 device authorization (RFC 8628) against an OIDC issuer: ask for a code, show the
 * user where to enter it, poll the token endpoint until they have, then hand back the tokens.
 */
import { z } from "zod";
import { discover } from "../hub/oidc.ts";

const DeviceAuthorization = z.object({
  device_code: z.string().min(1),
  user_code: z.string().min(1),
  verification_uri: z.string().min(1),
  verification_uri_complete: z.string().optional(),
  expires_in: z.number().positive(),
  interval: z.number().nonnegative().default(5),
});

const TokenReply = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().optional(),
  token_type: z.string().optional(),
});

const TokenError = z.object({ error: z.string(), error_description: z.string().optional() });

export interface LoginResult {
  access_token: string;
  refresh_token: string | undefined;
  token_endpoint: string;
}

export async function deviceLogin(options: {
  issuer: string;
  clientId: string;
  audience?: string | undefined;
  scope: string;
  /** Told the code and where to enter it, once. */
  prompt: (code: {
    user_code: string;
    verification_uri: string;
    complete: string | undefined;
  }) => void;
  sleep?: (ms: number) => Promise<void>;
}): Promise<LoginResult> {
  const sleep = options.sleep ?? ((ms: number) => Bun.sleep(ms));
  const discovery = await discover(options.issuer);
  if (!discovery.device_authorization_endpoint || !discovery.token_endpoint)
    throw new Error(
      `The issuer ${options.issuer} offers no device login (its discovery document has no device_authorization_endpoint or token_endpoint).`,
    );
  const form = (fields: Record<string, string | undefined>) =>
    new URLSearchParams(
      Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
  const started = await fetch(discovery.device_authorization_endpoint, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form({ client_id: options.clientId, scope: options.scope, audience: options.audience }),
  });
  const authorization = DeviceAuthorization.safeParse(await started.json().catch(() => null));
  if (!started.ok || !authorization.success)
    throw new Error(
      `The issuer refused to start a device login (HTTP ${started.status}): check --client-id and that the client may use the device flow.`,
    );
  const code = authorization.data;
  options.prompt({
    user_code: code.user_code,
    verification_uri: code.verification_uri,
    complete: code.verification_uri_complete,
  });
  let interval = code.interval * 1000;
  const deadline = Date.now() + code.expires_in * 1000;
  for (;;) {
    const response = await fetch(discovery.token_endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form({
        grant_type: "urn:ietf:params:oauth:grant-type:device_code",
        device_code: code.device_code,
        client_id: options.clientId,
      }),
    });
    const body = await response.json().catch(() => null);
    const tokens = TokenReply.safeParse(body);
    if (response.ok && tokens.success)
      return {
        access_token: tokens.data.access_token,
        refresh_token: tokens.data.refresh_token,
        token_endpoint: discovery.token_endpoint,
      };
    const error = TokenError.safeParse(body);
    const kind = error.success ? error.data.error : `HTTP ${response.status}`;
    if (kind === "slow_down") interval += 5000;
    else if (kind !== "authorization_pending")
      throw new Error(
        kind === "access_denied"
          ? "The login was denied."
          : kind === "expired_token"
            ? "The code expired before it was entered: run heph auth login again."
            : `The issuer refused the login: ${kind}${error.success && error.data.error_description ? ` (${error.data.error_description})` : ""}.`,
      );
    if (Date.now() > deadline)
      throw new Error("The code expired before it was entered: run heph auth login again.");
    await sleep(interval);
  }
}
