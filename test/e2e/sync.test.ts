/**
 * Sync end to end: a hub and three spokes from dist/heph on 127.0.0.1, writes through the CLI
 * and the socket, the hub stopped and restarted, a spoke killed mid-sync, a spoke offline while
 * the others make 1,000 changes. Every replica must end with the same store.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type Cluster, eventually, nextIds, snapshot, startCluster } from "./sync-harness.ts";

let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster(3);
});

afterAll(async () => {
  await cluster?.cleanup();
});

async function allEqual(): Promise<boolean> {
  const [first, ...rest] = await Promise.all(
    [cluster.hub, ...cluster.spokes].map((replica) => snapshot(replica)),
  );
  const expected = JSON.stringify(first);
  return rest.every((other) => JSON.stringify(other) === expected);
}

async function expectConverged() {
  // Explicit syncs in every order, then the stores themselves are compared.
  for (const spoke of cluster.spokes) expect((await spoke.heph(["sync"])).exitCode).toBe(0);
  for (const spoke of cluster.spokes) expect((await spoke.heph(["sync"])).exitCode).toBe(0);
  const snapshots = await Promise.all(
    [cluster.hub, ...cluster.spokes].map((replica) => snapshot(replica)),
  );
  for (const other of snapshots.slice(1)) expect(other).toEqual(snapshots[0] as unknown[]);
  const orders = await Promise.all([cluster.hub, ...cluster.spokes].map(nextIds));
  for (const order of orders.slice(1)) expect(order).toEqual(orders[0] as string[]);
}

describe("a hub and three spokes", () => {
  test("writes on each spoke reach every replica by themselves (debounced push, long-poll)", async () => {
    const [a, b, c] = cluster.spokes as [
      (typeof cluster.spokes)[0],
      (typeof cluster.spokes)[0],
      (typeof cluster.spokes)[0],
    ];
    const added = await a.heph(["add", "Pay rent tomorrow", "--json"]);
    expect(added.exitCode).toBe(0);
    const taskId = JSON.parse(added.stdout).id as string;
    const doc = await b.client.call("node.create", {
      kind: "doc",
      title: "Trip notes",
      body: "Pack [[Passport]]",
    });
    const project = await c.client.call("project.create", { name: "Home" });
    for (const replica of [cluster.hub, a, b, c]) {
      await eventually(`${replica.name} has all three writes`, async () => {
        const found = await Promise.all(
          [taskId, doc.id, project.id].map((id) =>
            replica.client.call("node.get", { id }).then(
              () => true,
              () => false,
            ),
          ),
        );
        return found.every(Boolean);
      });
    }
    await eventually("every replica's store is the same", allEqual);
    await expectConverged();
    // Links follow their bodies: the link written on b, to a note made later on c, resolves
    // on a, which wrote neither.
    const passport = await c.client.call("node.create", { kind: "doc", title: "Passport" });
    await expectConverged();
    const links = await a.client.call("links.out", { id: doc.id });
    expect(links.find((link) => link.target === "Passport")?.dst).toBe(passport.id);
    const back = await a.client.call("links.back", { id: passport.id });
    expect(back.map((link) => link.src)).toContain(doc.id);
  });

  test("concurrent edits to one body both survive; a title changed on two devices is a conflict each sees", async () => {
    const [a, b] = cluster.spokes as [(typeof cluster.spokes)[0], (typeof cluster.spokes)[0]];
    const doc = await a.client.call("node.create", {
      kind: "doc",
      title: "Shared",
      body: "alpha\nbeta\ngamma\n",
    });
    expect((await a.heph(["sync"])).exitCode).toBe(0);
    expect((await b.heph(["sync"])).exitCode).toBe(0);
    // The hub goes away, so both edits are made without seeing each other.
    await cluster.hub.stop();
    await a.client.call("node.update", {
      id: doc.id,
      body: "ALPHA\nbeta\ngamma\n",
      title: "From A",
    });
    await b.client.call("node.update", {
      id: doc.id,
      body: "alpha\nbeta\ngamma\nDELTA\n",
      title: "From B",
    });
    const offline = await a.heph(["sync"]);
    expect(offline.exitCode).not.toBe(0);
    expect(offline.stderr).toContain("Cannot reach the hub");
    const status = JSON.parse((await a.heph(["sync", "--status", "--json"])).stdout);
    expect(status.pending).toBeGreaterThan(0);
    expect(status.last_error.message).toContain("Cannot reach the hub");
    await cluster.hub.start();
    await expectConverged();
    const merged = await a.client.call("node.get", { id: doc.id });
    expect(merged.body).toBe("ALPHA\nbeta\ngamma\nDELTA\n");
    expect(["From A", "From B"]).toContain(merged.title);
    const lost = merged.title === "From A" ? "From B" : "From A";
    for (const spoke of [a, b]) {
      const listed = JSON.parse((await spoke.heph(["conflicts", "--json"])).stdout);
      const conflict = listed.conflicts.find((c: { node_id: string }) => c.node_id === doc.id);
      expect(conflict).toMatchObject({ field: "title", kept: merged.title, lost });
    }
    // Settling it on one device writes the lost title back everywhere and settles it everywhere.
    const listed = JSON.parse((await a.heph(["conflicts", "--json"])).stdout);
    const id = listed.conflicts.find((c: { node_id: string }) => c.node_id === doc.id).id;
    const settled = await a.heph(["conflicts", String(id), "--keep", "lost"]);
    expect(settled.exitCode).toBe(0);
    await expectConverged();
    expect((await b.client.call("node.get", { id: doc.id })).title).toBe(lost);
    const open = JSON.parse((await b.heph(["conflicts", "--json"])).stdout);
    expect(open.conflicts.filter((c: { node_id: string }) => c.node_id === doc.id)).toEqual([]);
  });

  test("heph undo and redo revert this device's change, and the revert syncs", async () => {
    const [a, b] = cluster.spokes as [(typeof cluster.spokes)[0], (typeof cluster.spokes)[0]];
    const doc = await a.client.call("node.create", { kind: "doc", title: "Draft", body: "one" });
    await a.client.call("node.update", { id: doc.id, title: "Final", body: "one two" });
    const undone = await a.heph(["undo"]);
    expect(undone.exitCode).toBe(0);
    expect(undone.stdout).toContain(`Undid: Draft (${doc.id})`);
    expect(await a.client.call("node.get", { id: doc.id })).toMatchObject({
      title: "Draft",
      body: "one",
    });
    await expectConverged();
    expect(await b.client.call("node.get", { id: doc.id })).toMatchObject({
      title: "Draft",
      body: "one",
    });
    expect((await a.heph(["redo"])).stdout).toContain("Redid: Final");
    await expectConverged();
    expect((await b.client.call("node.get", { id: doc.id })).title).toBe("Final");
    // Back past its creation: the node is deleted, on every replica.
    await a.heph(["undo"]);
    const created = JSON.parse((await a.heph(["undo", "--json"])).stdout);
    expect(created.nodes).toEqual([{ id: doc.id, title: "Draft", deleted: true }]);
    await expectConverged();
    const gone = await b.heph(["show", doc.id]);
    expect(gone.exitCode).not.toBe(0);
  });

  test("a spoke offline while the others make 1,000 changes catches up", async () => {
    const [a, b, c] = cluster.spokes as [
      (typeof cluster.spokes)[0],
      (typeof cluster.spokes)[0],
      (typeof cluster.spokes)[0],
    ];
    await c.stop();
    const ids: string[] = [];
    for (let index = 0; index < 500; index++) {
      const writer = index % 2 === 0 ? a : b;
      const task = await writer.client.call("task.add", { line: `Offline change ${index}` });
      ids.push(task.id);
    }
    // Each sees the other's tasks, then changes them.
    for (const writer of [a, b, a]) expect((await writer.heph(["sync"])).exitCode).toBe(0);
    for (let index = 0; index < 500; index++) {
      const writer = index % 2 === 0 ? b : a;
      await writer.client.call("task.set_attention", {
        id: ids[index] as string,
        attention: index % 3 === 0 ? "red" : "orange",
      });
    }
    await c.start();
    await expectConverged();
    const red = await c.client.call("task.get", { id: ids[0] as string });
    expect(red.attention).toBe("red");
  });

  test("a spoke killed with SIGKILL mid-sync loses no acknowledged write", async () => {
    const [, b] = cluster.spokes as [(typeof cluster.spokes)[0], (typeof cluster.spokes)[0]];
    const items = Array.from({ length: 1000 }, (_, index) => ({
      kind: "task" as const,
      key: `k${index}`,
      hash: `h${index}`,
      title: `Imported ${index}`,
    }));
    const report = await b.client.call("import.apply", { source: "taskwarrior", items });
    expect(report.results.filter((r) => r.outcome === "created")).toHaveLength(1000);
    // Its push of those 1,000 tasks is under way (the commit prompted it): kill it now.
    await b.kill();
    await b.start();
    await expectConverged();
    const count = (await snapshot(cluster.spokes[2] as typeof b)).filter((node) =>
      (node as { title: string }).title.startsWith("Imported "),
    ).length;
    expect(count).toBe(1000);
  });

  test("the hub killed and restarted mid-sync: spokes catch up and agree", async () => {
    const [a] = cluster.spokes as [(typeof cluster.spokes)[0]];
    for (let index = 0; index < 200; index++)
      await a.client.call("task.add", { line: `Before the hub died ${index}` });
    await cluster.hub.kill();
    await a.client.call("task.add", { line: "While the hub was down" });
    await cluster.hub.start();
    await expectConverged();
  });
});
