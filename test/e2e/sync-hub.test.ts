/**
 * The hub's doors, against dist/heph on 127.0.0.1: bearer tokens (none, wrong, revoked — at
 * once, even for a long-poll in flight), POST /rpc, version checks, TLS with a certificate
 * made here, and client mode.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SYNC_PROTOCOL } from "../../src/sync/wire.ts";
import { type Cluster, eventually, startCluster, startReplica } from "./sync-harness.ts";

let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster(1);
});

afterAll(async () => {
  await cluster?.cleanup();
});

async function token(name: string): Promise<string> {
  return (await cluster.hub.client.call("hub.token.create", { name })).token;
}

function hubFetch(path: string, bearer: string | null, init: RequestInit = {}) {
  return fetch(`${cluster.hubUrl}${path}`, {
    ...init,
    headers: {
      ...(init.headers as Record<string, string>),
      ...(bearer === null ? {} : { authorization: `Bearer ${bearer}` }),
    },
  });
}

describe("bearer tokens", () => {
  test("no token, a malformed one and an unknown one are refused with 401 and a way forward", async () => {
    for (const bearer of [null, "not-a-token", `heph_${"A".repeat(43)}`]) {
      const response = await hubFetch("/sync/hello", bearer);
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toBe("Bearer");
      const body = (await response.json()) as { error: string; kind: string };
      expect(body.kind).toBe("unauthorized");
      expect(body.error).toContain("heph hub token create");
    }
    const status = await cluster.hub.client.call("sync.status", {});
    expect(status.role).toBe("hub");
    expect(status.auth_failures).toBeGreaterThanOrEqual(3);
  });

  test("a token works until it is revoked, then at once fails, even mid long-poll", async () => {
    const secret = await token("phone");
    const hello = await hubFetch("/sync/hello", secret);
    expect(hello.status).toBe(200);
    expect(await hello.json()).toMatchObject({ protocol: SYNC_PROTOCOL });
    // A long-poll in flight: it was let in, and answers when the log grows.
    const after = (await cluster.hub.client.call("sync.status", {})).hub_seq;
    const query = `after=${after}&origin=42&protocol=${SYNC_PROTOCOL}&schema_version=9&wait=20`;
    const polling = hubFetch(`/sync/pull?${query}`, secret);
    await cluster.hub.client.call("node.create", { kind: "doc", title: "Wakes the poll" });
    const woke = await polling;
    expect(woke.status).toBe(200);
    expect(((await woke.json()) as { entries: unknown[] }).entries.length).toBeGreaterThan(0);
    const revoked = await cluster.hub.heph(["hub", "token", "revoke", "phone"]);
    expect(revoked.exitCode).toBe(0);
    expect(revoked.stdout).toContain("Revoked: phone");
    const replay = await hubFetch("/sync/hello", secret);
    expect(replay.status).toBe(401);
    const listed = JSON.parse((await cluster.hub.heph(["hub", "token", "list", "--json"])).stdout);
    const phone = listed.tokens.find((t: { name: string }) => t.name === "phone");
    expect(phone.revoked_at).not.toBeNull();
    expect(JSON.stringify(listed)).not.toContain(secret);
  });

  test("a spoke whose token is revoked says so in sync --status and keeps its changes", async () => {
    const [spoke] = cluster.spokes as [typeof cluster.hub];
    expect((await spoke.heph(["sync"])).exitCode).toBe(0);
    await cluster.hub.client.call("hub.token.revoke", { token: "spoke1" });
    await spoke.client.call("node.create", { kind: "doc", title: "Kept while refused" });
    const refused = await spoke.heph(["sync"]);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain("refused this device's token");
    const status = JSON.parse((await spoke.heph(["sync", "--status", "--json"])).stdout);
    expect(status.auth_failures).toBeGreaterThan(0);
    expect(status.pending).toBeGreaterThan(0);
    expect(status.online).toBe(false);
    // A new token, the same device: it catches up.
    writeFileSync(join(cluster.root, "spoke1.token"), `${await token("spoke1")}\n`);
    await spoke.stop();
    await spoke.start();
    expect((await spoke.heph(["sync"])).exitCode).toBe(0);
    await eventually("the hub has the doc made while refused", () =>
      cluster.hub.client.call("node.find", { ref: "Kept while refused" }).then(
        () => true,
        () => false,
      ),
    );
  });

  test("token names are checked, and a live name cannot be issued twice", async () => {
    const bad = await cluster.hub.heph(["hub", "token", "create", "my laptop"]);
    expect(bad.exitCode).not.toBe(0);
    expect(bad.stderr).toContain("letters, digits");
    await token("desk");
    const twice = await cluster.hub.heph(["hub", "token", "create", "desk"]);
    expect(twice.exitCode).not.toBe(0);
    expect(twice.stderr).toContain("exists already");
    const onSpoke = await (cluster.spokes[0] as typeof cluster.hub).heph(["hub", "token", "list"]);
    expect(onSpoke.exitCode).not.toBe(0);
    expect(onSpoke.stderr).toContain(
      "This is for the hub: device tokens and OIDC subjects live there",
    );
  });
});

describe("the hub's HTTP side", () => {
  test("POST /rpc serves the socket's method table", async () => {
    const secret = await token("rpc-user");
    const response = await hubFetch("/rpc", secret, {
      method: "POST",
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "node.create",
        params: { kind: "doc", title: "Over HTTP" },
      }),
    });
    expect(response.status).toBe(200);
    const reply = (await response.json()) as { result: { id: string } };
    const node = await cluster.hub.client.call("node.get", { id: reply.result.id });
    expect(node.title).toBe("Over HTTP");
    // What only the hub's owner may do stays on its socket: a device token cannot stop the
    // hub, write a backup onto its disk, or mint tokens.
    for (const [method, params] of [
      ["daemon.shutdown", {}],
      ["store.backup", { path: "/tmp/stolen.db" }],
      ["hub.token.create", { name: "intruder" }],
    ] as const) {
      const refused = await hubFetch("/rpc", secret, {
        method: "POST",
        body: JSON.stringify({ jsonrpc: "2.0", id: 2, method, params }),
      });
      const body = (await refused.json()) as { error: { data: { kind: string }; message: string } };
      expect(body.error.data.kind).toBe("not_available");
      expect(body.error.message).toContain("hub's own socket");
    }
    expect((await cluster.hub.client.call("daemon.info", {})).mode).toBe("server");
    const bad = await hubFetch("/rpc", secret, { method: "POST", body: "{nope" });
    expect(((await bad.json()) as { error: { code: number } }).error.code).toBe(-32700);
  });

  test("another schema or protocol version is refused, naming which side to upgrade", async () => {
    const secret = await token("old-device");
    const push = (schema: number, protocol: number) =>
      hubFetch("/sync/push", secret, {
        method: "POST",
        body: JSON.stringify({ protocol, schema_version: schema, origin: "7", entries: [] }),
      });
    const newer = await push(99, SYNC_PROTOCOL);
    expect(newer.status).toBe(409);
    expect(((await newer.json()) as { error: string }).error).toContain("upgrade heph on the hub");
    const older = await push(3, SYNC_PROTOCOL);
    expect(((await older.json()) as { error: string }).error).toContain(
      "upgrade heph on this device",
    );
    const protocol = await push(9, SYNC_PROTOCOL + 1);
    expect(((await protocol.json()) as { kind: string }).kind).toBe("protocol_mismatch");
    const garbage = await hubFetch("/sync/push", secret, {
      method: "POST",
      body: '{"entries": 5}',
    });
    expect(garbage.status).toBe(400);
    const unknown = await hubFetch("/nothing", secret);
    expect(unknown.status).toBe(404);
  });

  test("client mode forwards every request, and says so when the hub is gone", async () => {
    const file = join(cluster.root, "client.token");
    writeFileSync(file, `${await token("thin")}\n`, { mode: 0o600 });
    const client = await startReplica(cluster.root, "thin", [
      "--mode",
      "client",
      "--hub-url",
      cluster.hubUrl,
      "--hub-token-file",
      file,
    ]);
    try {
      const info = JSON.parse((await client.heph(["health", "--json"])).stdout);
      expect(info.mode).toBe("client");
      const added = await client.heph(["add", "Through the thin client", "--json"]);
      expect(added.exitCode).toBe(0);
      const id = JSON.parse(added.stdout).id as string;
      expect((await cluster.hub.client.call("task.get", { id })).title).toBe(
        "Through the thin client",
      );
      await cluster.hub.stop();
      const offline = await client.heph(["next"]);
      expect(offline.exitCode).not.toBe(0);
      expect(offline.stderr).toContain("cannot be reached");
      expect(offline.stderr).toContain("client mode");
    } finally {
      if (cluster.hub.process.exitCode !== null || cluster.hub.process.killed)
        await cluster.hub.start();
      await client.stop();
    }
  });
});

describe("TLS", () => {
  test("a hub with --tls-cert/--tls-key; a spoke trusting it with --hub-ca syncs, one without refuses", async () => {
    const dir = cluster.root;
    const cert = join(dir, "hub.crt");
    const key = join(dir, "hub.key");
    const made = Bun.spawnSync([
      "openssl",
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-keyout",
      key,
      "-out",
      cert,
      "-days",
      "2",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
    ]);
    expect(made.exitCode).toBe(0);
    const hub = await startReplica(dir, "tls-hub", [
      "--mode",
      "server",
      "--http-addr",
      "127.0.0.1:0",
      "--tls-cert",
      cert,
      "--tls-key",
      key,
    ]);
    try {
      const url = (await hub.client.call("daemon.info", {})).http_url as string;
      expect(url.startsWith("https://127.0.0.1:")).toBe(true);
      const tokenFile = join(dir, "tls.token");
      writeFileSync(tokenFile, (await hub.client.call("hub.token.create", { name: "tls" })).token, {
        mode: 0o600,
      });
      const trusting = await startReplica(dir, "tls-spoke", [
        "--hub-url",
        url,
        "--hub-token-file",
        tokenFile,
        "--hub-ca",
        cert,
      ]);
      const doubting = await startReplica(dir, "tls-doubter", [
        "--hub-url",
        url,
        "--hub-token-file",
        tokenFile,
      ]);
      try {
        await trusting.client.call("node.create", { kind: "doc", title: "Over TLS" });
        expect((await trusting.heph(["sync"])).exitCode).toBe(0);
        await eventually("the hub has the TLS spoke's doc", async () =>
          hub.client.call("node.find", { ref: "Over TLS" }).then(
            () => true,
            () => false,
          ),
        );
        const refused = await doubting.heph(["sync"]);
        expect(refused.exitCode).not.toBe(0);
        expect(refused.stderr).toContain("Cannot reach the hub");
      } finally {
        await trusting.stop();
        await doubting.stop();
      }
    } finally {
      await hub.stop();
    }
  });
});

describe("a hub that lost its store", () => {
  test("a new, empty hub store on the same address gets everything back from a spoke", async () => {
    const [spoke] = cluster.spokes as [typeof cluster.hub];
    const doc = await spoke.client.call("node.create", { kind: "doc", title: "Survives the hub" });
    expect((await spoke.heph(["sync"])).exitCode).toBe(0);
    // Written on the hub, then edited on the spoke: the spoke's own updates build on the hub's.
    const shared = await cluster.hub.client.call("node.create", { kind: "doc", title: "Hub made" });
    expect((await spoke.heph(["sync"])).exitCode).toBe(0);
    await spoke.client.call("node.update", { id: shared.id, body: "edited on the spoke" });
    expect((await spoke.heph(["sync"])).exitCode).toBe(0);
    await cluster.hub.stop();
    for (const suffix of ["", "-wal", "-shm"])
      rmSync(`${cluster.hub.db}${suffix}`, { force: true });
    await cluster.hub.start();
    writeFileSync(join(cluster.root, "spoke1.token"), `${await token("spoke1")}\n`);
    expect((await spoke.heph(["sync"])).exitCode).toBe(0);
    expect((await cluster.hub.client.call("node.get", { id: doc.id })).title).toBe(
      "Survives the hub",
    );
    expect(await cluster.hub.client.call("node.get", { id: shared.id })).toMatchObject({
      title: "Hub made",
      body: "edited on the spoke",
    });
  });
});
