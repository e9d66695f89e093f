/**
 * OIDC on the hub (dist/heph), against a mock identity provider on 127.0.0.1 whose RSA keys are
 * made at test time: good tokens in; expired, wrong audience, wrong issuer, foreign key,
 * alg "none" and a revoked subject's replayed token out; `heph auth login` (device flow) gives a
 * spoke a token, and an expired one is refreshed by the daemon.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { hephBinary, runHeph } from "../helpers/binary.ts";
import { type MockIdp, startMockIdp } from "../helpers/mock-idp.ts";
import { tempDir } from "../helpers/tmp.ts";
import { type Replica, startReplica } from "./sync-harness.ts";

let idp: MockIdp;
let hub: Replica;
let hubUrl: string;
const root = tempDir("heph-oidc-");

beforeAll(async () => {
  idp = await startMockIdp();
  hub = await startReplica(root.path, "hub", [
    "--mode",
    "server",
    "--http-addr",
    "127.0.0.1:0",
    "--oidc-issuer",
    idp.issuer,
    "--oidc-audience",
    idp.audience,
  ]);
  hubUrl = (await hub.client.call("daemon.info", {})).http_url as string;
});

afterAll(async () => {
  await hub?.stop();
  await idp?.stop();
  root.cleanup();
});

async function hello(bearer: string): Promise<{ status: number; error?: string }> {
  const response = await fetch(`${hubUrl}/sync/hello`, {
    headers: { authorization: `Bearer ${bearer}` },
  });
  const body = (await response.json()) as { error?: string };
  return { status: response.status, error: body.error };
}

describe("OIDC access tokens on the hub", () => {
  test("a token from the issuer, for the audience, signed RS256 with its key, is let in", async () => {
    expect((await hello(await idp.mint())).status).toBe(200);
  });

  test("expired, wrong audience, wrong issuer, foreign key and alg none are refused", async () => {
    const now = Math.floor(Date.now() / 1000);
    const cases: Array<[string, string, string]> = [
      ["expired", await idp.mint({ iat: now - 7200, exp: now - 3600 }), "expired"],
      ["wrong audience", await idp.mint({ aud: "someone-else" }), "aud"],
      ["wrong issuer", await idp.mint({ iss: "http://127.0.0.1:1" }), "iss"],
      ["foreign key", await idp.mint({}, { key: "foreign" }), "signature"],
      ["alg none", idp.unsigned(), "RS256"],
    ];
    for (const [name, token, reason] of cases) {
      const result = await hello(token);
      expect({ name, status: result.status }).toEqual({ name, status: 401 });
      expect(result.error).toContain(reason);
    }
  });

  test("a revoked subject is refused, replayed or freshly issued, until allowed again", async () => {
    const token = await idp.mint({ sub: "mallory" });
    expect((await hello(token)).status).toBe(200);
    const revoked = await hub.heph(["hub", "subject", "revoke", "mallory"]);
    expect(revoked.exitCode).toBe(0);
    const replay = await hello(token);
    expect(replay.status).toBe(401);
    expect(replay.error).toContain("revoked");
    // A refresh or a new login gives a newer token: still refused.
    const later = Math.floor(Date.now() / 1000) + 5;
    expect((await hello(await idp.mint({ sub: "mallory", iat: later }))).status).toBe(401);
    expect((await hello(await idp.mint({ sub: "alice" }))).status).toBe(200);
    expect((await hub.heph(["hub", "subject", "allow", "mallory"])).exitCode).toBe(0);
    expect((await hello(token)).status).toBe(200);
  });

  test("an issuer that cannot be reached is a 503 to retry, not an auth failure", async () => {
    const lonely = await startReplica(root.path, "lonely-hub", [
      "--mode",
      "server",
      "--http-addr",
      "127.0.0.1:0",
      "--oidc-issuer",
      "http://127.0.0.1:9",
      "--oidc-audience",
      idp.audience,
    ]);
    try {
      const url = (await lonely.client.call("daemon.info", {})).http_url as string;
      const response = await fetch(`${url}/sync/hello`, {
        headers: { authorization: `Bearer ${await idp.mint()}` },
      });
      expect(response.status).toBe(503);
      expect(((await response.json()) as { error: string }).error).toContain(
        "Cannot reach the OIDC issuer",
      );
      expect((await lonely.client.call("sync.status", {})).auth_failures).toBe(0);
    } finally {
      await lonely.stop();
    }
  });
});

describe("heph auth login", () => {
  test("the device flow saves a token a spoke syncs with; an expired one is refreshed", async () => {
    const tokenFile = join(root.path, "oidc-token");
    const login = Bun.spawn(
      [
        hephBinary,
        "auth",
        "login",
        "--issuer",
        idp.issuer,
        "--client-id",
        idp.clientId,
        "--token-file",
        tokenFile,
      ],
      { env: { ...hub.env }, stdout: "pipe", stderr: "pipe", stdin: "ignore" },
    );
    // The code the user is shown is the signal to approve it, as they would in a browser.
    const reader = (login.stderr as ReadableStream<Uint8Array>).getReader();
    let shown = "";
    while (!/enter the code (\S+)/.test(shown)) {
      const chunk = await reader.read();
      if (chunk.done) throw new Error(`login ended before showing a code: ${shown}`);
      shown += new TextDecoder().decode(chunk.value);
    }
    const code = (/enter the code (\S+)/.exec(shown) as RegExpExecArray)[1] as string;
    expect(shown).toContain(`${idp.issuer}/activate`);
    idp.approve(code, "alice");
    expect(await login.exited).toBe(0);
    expect(await new Response(login.stdout).text()).toContain(`The hub token is in ${tokenFile}`);
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    expect(statSync(`${tokenFile}.oidc.json`).mode & 0o777).toBe(0o600);

    const spoke = await startReplica(root.path, "oidc-spoke", [
      "--hub-url",
      hubUrl,
      "--hub-token-file",
      tokenFile,
    ]);
    try {
      await spoke.client.call("node.create", { kind: "doc", title: "Signed in with OIDC" });
      expect((await spoke.heph(["sync"])).exitCode).toBe(0);
      expect((await hub.client.call("node.find", { ref: "Signed in with OIDC" })).title).toBe(
        "Signed in with OIDC",
      );
      // The saved token expires: the hub refuses it, the daemon refreshes the login and goes on.
      const now = Math.floor(Date.now() / 1000);
      writeFileSync(tokenFile, await idp.mint({ sub: "alice", iat: now - 7200, exp: now - 60 }));
      const expired = readFileSync(tokenFile, "utf8");
      await spoke.client.call("node.create", { kind: "doc", title: "After expiry" });
      expect((await spoke.heph(["sync"])).exitCode).toBe(0);
      expect(readFileSync(tokenFile, "utf8").trim()).not.toBe(expired.trim());
      expect((await hub.client.call("node.find", { ref: "After expiry" })).title).toBe(
        "After expiry",
      );
    } finally {
      await spoke.stop();
    }
  });

  test("a wrong client id is refused with a clear message", async () => {
    // Spawned, not spawnSync: the mock IdP answers from this process's event loop.
    const result = await runHeph(
      [
        "auth",
        "login",
        "--issuer",
        idp.issuer,
        "--client-id",
        "nobody",
        "--token-file",
        join(root.path, "x"),
      ],
      hub.env,
    );
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain("--client-id");
  });
});
