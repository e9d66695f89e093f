/** Hubs and spokes from dist/heph on loopback, for the sync e2e tests. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { RpcClient } from "../../src/client/client.ts";
import type { ExportNode } from "../../src/protocol/import-schemas.ts";
import {
  ensureBinary,
  hephBinary,
  isolatedEnv,
  type RunResult,
  runHeph,
  spawnDaemon,
} from "../helpers/binary.ts";
import { tempDir } from "../helpers/tmp.ts";

export interface Replica {
  name: string;
  dir: string;
  socket: string;
  db: string;
  env: Record<string, string>;
  client: RpcClient;
  process: ReturnType<typeof Bun.spawn>;
  /** The argv it was started with, to start it again. */
  argv: string[];
  heph(args: string[]): Promise<RunResult>;
  stop(): Promise<void>;
  kill(): Promise<void>;
  start(): Promise<void>;
}

export async function startReplica(
  root: string,
  name: string,
  extraArgs: string[],
  extraEnv: Record<string, string> = {},
): Promise<Replica> {
  ensureBinary();
  const dir = join(root, name);
  const socket = join(dir, "hephd.sock");
  const db = join(dir, "heph.db");
  Bun.spawnSync(["mkdir", "-p", dir]);
  const env = isolatedEnv(dir, { HEPH_SOCKET: socket, HEPH_DB: db, TZ: "UTC", ...extraEnv });
  const argv = [
    "hephd",
    "--db",
    db,
    "--socket",
    socket,
    "--log",
    join(dir, "hephd.log"),
    ...extraArgs,
  ];
  const replica: Replica = {
    name,
    dir,
    socket,
    db,
    env,
    argv,
    client: new RpcClient(socket, { timeoutMs: 120_000 }),
    process: undefined as unknown as ReturnType<typeof Bun.spawn>,
    heph: (args) => runHeph(args, env),
    async start() {
      const spawned = await spawnDaemon(argv, env, socket);
      replica.process = spawned.process;
    },
    async stop() {
      replica.process.kill("SIGTERM");
      await replica.process.exited;
    },
    async kill() {
      replica.process.kill("SIGKILL");
      await replica.process.exited;
    },
  };
  await replica.start();
  return replica;
}

export interface Cluster {
  root: string;
  hub: Replica;
  hubUrl: string;
  spokes: Replica[];
  tokenFile(name: string): Promise<string>;
  cleanup(): Promise<void>;
}

/** A hub on 127.0.0.1 (a free port) and `count` spokes, each with its own token. */
export async function startCluster(count: number, hubArgs: string[] = []): Promise<Cluster> {
  const root = tempDir("heph-sync-");
  const hub = await startReplica(root.path, "hub", [
    "--mode",
    "server",
    "--http-addr",
    "127.0.0.1:0",
    ...hubArgs,
  ]);
  const info = await hub.client.call("daemon.info", {});
  const hubUrl = info.http_url as string;
  // Restarts keep the port the first start was given, as a hub's address stays put.
  hub.argv[hub.argv.indexOf("127.0.0.1:0")] = new URL(hubUrl).host;
  const tokenFile = async (name: string) => {
    const created = await hub.client.call("hub.token.create", { name });
    const file = join(root.path, `${name}.token`);
    writeFileSync(file, `${created.token}\n`, { mode: 0o600 });
    return file;
  };
  const spokes: Replica[] = [];
  for (let index = 0; index < count; index++) {
    const name = `spoke${index + 1}`;
    const file = await tokenFile(name);
    spokes.push(
      await startReplica(root.path, name, ["--hub-url", hubUrl, "--hub-token-file", file]),
    );
  }
  return {
    root: root.path,
    hub,
    hubUrl,
    spokes,
    tokenFile,
    async cleanup() {
      for (const replica of [hub, ...spokes]) {
        replica.client.close();
        if (replica.process.exitCode === null && !replica.process.killed) await replica.stop();
      }
      root.cleanup();
    },
  };
}

/**
 * Waits until `check` holds, re-checking as the daemons work: the condition is the signal, the
 * deadline only turns a hang into a failure with a message.
 */
export async function eventually(
  what: string,
  check: () => Promise<boolean>,
  deadlineMs = 90_000,
): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await Bun.sleep(50);
  }
}

/** Everything sync carries of a replica's store, in a comparable form. */
export async function snapshot(replica: Replica): Promise<unknown[]> {
  const nodes: unknown[] = [];
  let after: string | null = null;
  for (;;) {
    const page: { nodes: unknown[]; next_after: string | null } = await replica.client.call(
      "export",
      {
        after: after ?? undefined,
        include_deleted: true,
      },
    );
    for (const node of page.nodes as ExportNode[]) {
      const { sources: _sources, ...rest } = node;
      if (rest.task)
        rest.task.log.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
      nodes.push(rest);
    }
    if (page.next_after === null) break;
    after = page.next_after;
  }
  return nodes;
}

export async function nextIds(replica: Replica): Promise<string[]> {
  const tasks = await replica.client.call("next", { limit: 50 });
  return (tasks as Array<{ id: string }>).map((task) => task.id);
}

export async function countNodes(replica: Replica): Promise<number> {
  return (await snapshot(replica)).length;
}

export { hephBinary };
