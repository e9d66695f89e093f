/**
 * A local OIDC identity provider for tests, on 127.0.0.1: discovery, JWKS, the device flow and
 * refresh tokens, with RSA keys generated when it starts. `mint` signs any claims, so tests can
 * make expired, wrong-audience or foreign-key tokens.
 */
import {
  type CryptoKey,
  exportJWK,
  generateKeyPair,
  type JWTPayload,
  SignJWT,
  UnsecuredJWT,
} from "jose";

export interface MockIdp {
  issuer: string;
  audience: string;
  clientId: string;
  /** Signs `claims` (sub, aud, iss, iat, exp filled in unless given) with the IdP's key, or another. */
  mint(
    claims?: JWTPayload,
    options?: { key?: "idp" | "foreign"; expiresIn?: number },
  ): Promise<string>;
  /** The same claims with alg "none": no signature at all. */
  unsigned(claims?: JWTPayload): string;
  /** What a user does in the browser: approve the device code shown to them, as `subject`. */
  approve(userCode: string, subject: string): void;
  /** A refresh token the token endpoint will honour for `subject`. */
  refreshTokenFor(subject: string): string;
  stop(): Promise<void>;
}

export async function startMockIdp(audience = "heph-hub"): Promise<MockIdp> {
  const own = await generateKeyPair("RS256", { extractable: true });
  const foreign = await generateKeyPair("RS256", { extractable: true });
  const kid = "test-key";
  const publicJwk = { ...(await exportJWK(own.publicKey)), kid, alg: "RS256", use: "sig" };
  const clientId = "heph-cli";
  const pending = new Map<string, { userCode: string; subject: string | null }>();
  const refreshTokens = new Map<string, string>();
  let counter = 0;
  let issuer = "";

  const sign = async (claims: JWTPayload, key: CryptoKey, expiresIn: number) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ ...claims })
      .setProtectedHeader({ alg: "RS256", kid, typ: "JWT" })
      .setIssuer((claims.iss as string | undefined) ?? issuer)
      .setAudience((claims.aud as string | undefined) ?? audience)
      .setSubject((claims.sub as string | undefined) ?? "alice")
      .setIssuedAt((claims.iat as number | undefined) ?? now)
      .setExpirationTime((claims.exp as number | undefined) ?? now + expiresIn)
      .sign(key);
  };

  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      const url = new URL(request.url);
      const form = request.method === "POST" ? new URLSearchParams(await request.text()) : null;
      switch (`${request.method} ${url.pathname}`) {
        case "GET /.well-known/openid-configuration":
          return Response.json({
            issuer,
            jwks_uri: `${issuer}/jwks`,
            device_authorization_endpoint: `${issuer}/device`,
            token_endpoint: `${issuer}/token`,
          });
        case "GET /jwks":
          return Response.json({ keys: [publicJwk] });
        case "POST /device": {
          if (form?.get("client_id") !== clientId)
            return Response.json({ error: "invalid_client" }, { status: 401 });
          counter++;
          const deviceCode = `device-${counter}`;
          const userCode = `CODE-${counter}`;
          pending.set(deviceCode, { userCode, subject: null });
          return Response.json({
            device_code: deviceCode,
            user_code: userCode,
            verification_uri: `${issuer}/activate`,
            expires_in: 600,
            interval: 0,
          });
        }
        case "POST /token": {
          const grant = form?.get("grant_type");
          if (grant === "refresh_token") {
            const subject = refreshTokens.get(form?.get("refresh_token") ?? "");
            if (!subject) return Response.json({ error: "invalid_grant" }, { status: 400 });
            return Response.json({
              access_token: await sign({ sub: subject }, own.privateKey, 3600),
              token_type: "Bearer",
            });
          }
          const entry = pending.get(form?.get("device_code") ?? "");
          if (!entry) return Response.json({ error: "expired_token" }, { status: 400 });
          if (entry.subject === null)
            return Response.json({ error: "authorization_pending" }, { status: 400 });
          pending.delete(form?.get("device_code") ?? "");
          const refresh = `refresh-${++counter}`;
          refreshTokens.set(refresh, entry.subject);
          return Response.json({
            access_token: await sign({ sub: entry.subject }, own.privateKey, 3600),
            refresh_token: refresh,
            token_type: "Bearer",
          });
        }
        default:
          return new Response("not found", { status: 404 });
      }
    },
  });
  issuer = `http://127.0.0.1:${server.port}`;
  return {
    issuer,
    audience,
    clientId,
    mint: (claims = {}, options = {}) =>
      sign(
        claims,
        options.key === "foreign" ? foreign.privateKey : own.privateKey,
        options.expiresIn ?? 3600,
      ),
    unsigned: (claims = {}) => {
      const now = Math.floor(Date.now() / 1000);
      return new UnsecuredJWT({ ...claims })
        .setIssuer(issuer)
        .setAudience(audience)
        .setSubject("alice")
        .setIssuedAt(now)
        .setExpirationTime(now + 3600)
        .encode();
    },
    approve(userCode, subject) {
      for (const entry of pending.values())
        if (entry.userCode === userCode) entry.subject = subject;
    },
    refreshTokenFor(subject) {
      const token = `refresh-${++counter}`;
      refreshTokens.set(token, subject);
      return token;
    },
    stop: async () => {
      await server.stop(true);
    },
  };
}
