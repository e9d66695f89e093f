/**
 * The documented merge rules, one example each, on a hub and two spokes (real stores in a temp
 * dir): a spoke writes offline, then every spoke pushes and pulls until nothing moves.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { duplicateTitle } from "../../src/sync/project.ts";
import { createTask, type Device, expectConverged, Mesh, snapshot, TODAY } from "./helpers.ts";

let mesh: Mesh;
let a: Device;
let b: Device;

beforeEach(() => {
  mesh = new Mesh(2);
  [a, b] = mesh.spokes as [Device, Device];
});
afterEach(() => mesh.close());

/** The value of one query on every replica (hub first). */
function everywhere<T>(read: (device: Device) => T): T[] {
  return mesh.devices.map(read);
}

function makeDoc(device: Device, title: string, body: string): string {
  const id = device.store.nodes.create({ kind: "doc", title, body, aliases: [], tags: [] }).id;
  mesh.heal();
  return id;
}

describe("merge rules", () => {
  test("concurrent edits to different parts of one body both survive", () => {
    const id = makeDoc(a, "Notes", "one two three");
    a.store.nodes.update(id, { body: "zero one two three" });
    b.store.nodes.update(id, { body: "one two three four" });
    b.store.nodes.update(id, { body: "one 2 three four" });
    mesh.heal();
    expect(everywhere((d) => d.store.nodes.get(id)?.body)).toEqual(
      Array(3).fill("zero one 2 three four"),
    );
    expect(everywhere((d) => d.replica.conflicts.openCount())).toEqual([0, 0, 0]);
    expectConverged(mesh);
  });

  test("a concurrent title change: one winner everywhere, one conflict on each replica, resolvable", () => {
    const id = makeDoc(a, "Plan", "");
    a.store.nodes.update(id, { title: "Plan A" });
    b.store.nodes.update(id, { title: "Plan B" });
    mesh.heal();
    const titles = everywhere((d) => d.store.nodes.get(id)?.title);
    const winner = titles[0] as string;
    const loser = winner === "Plan A" ? "Plan B" : "Plan A";
    expect(titles).toEqual([winner, winner, winner]);
    for (const device of mesh.devices) {
      expect(
        device.replica.conflicts
          .list({ all: true })
          .map(({ node_id, field, kept, lost, resolved_at }) => ({
            node_id,
            field,
            kept,
            lost,
            resolved_at,
          })),
      ).toEqual([{ node_id: id, field: "title", kept: winner, lost: loser, resolved_at: null }]);
    }
    // The loser's device takes the lost value back; every replica follows and settles.
    const conflict = b.replica.conflicts.list({ all: false })[0];
    expect(b.replica.resolveConflict(conflict?.id as number, "lost")).toBe(true);
    expect(b.store.nodes.get(id)?.title).toBe(loser);
    expect(b.replica.conflicts.get(conflict?.id as number)?.resolution).toBe("lost");
    mesh.heal();
    expect(everywhere((d) => d.store.nodes.get(id)?.title)).toEqual([loser, loser, loser]);
    expect(everywhere((d) => d.replica.conflicts.openCount())).toEqual([0, 0, 0]);
    expectConverged(mesh);
  });

  test("a field written again after a conflict settles it on every replica, the writer's too", () => {
    const id = makeDoc(a, "Plan", "");
    a.store.nodes.update(id, { title: "Plan A" });
    b.store.nodes.update(id, { title: "Plan B" });
    mesh.heal();
    expect(everywhere((d) => d.replica.conflicts.openCount())).toEqual([1, 1, 1]);
    a.store.nodes.update(id, { title: "Plan C" });
    mesh.heal();
    expect(everywhere((d) => d.replica.conflicts.openCount())).toEqual([0, 0, 0]);
    expect(
      everywhere((d) => d.replica.conflicts.list({ all: true }).map((c) => c.resolution)),
    ).toEqual(Array(3).fill(["superseded"]));
    expectConverged(mesh);
  });

  test("a delete loses to an edit it had not seen, and wins once it has seen it", () => {
    // An edit that adds text, and one that only removes some (no new text in the engine).
    for (const edited of ["keep me, edited", "keep"]) {
      const id = makeDoc(a, "Draft", "keep me");
      a.store.nodes.delete(id);
      b.store.nodes.update(id, { body: edited });
      mesh.heal();
      for (const device of mesh.devices) {
        const node = device.store.nodes.get(id);
        expect({ [device.name]: node?.deleted_at }).toEqual({ [device.name]: null });
        expect(node?.body).toBe(edited);
        const conflicts = device.replica.conflicts.list({ all: false, nodeId: id });
        expect(conflicts.map(({ node_id, field, kept }) => ({ node_id, field, kept }))).toEqual([
          { node_id: id, field: "deleted", kept: null },
        ]);
      }
      expectConverged(mesh);
      // Later writes to the node leave the question open, on every replica.
      b.store.nodes.update(id, { title: "Draft, again" });
      mesh.heal();
      expect(
        everywhere((d) => d.replica.conflicts.list({ all: false, nodeId: id }).length),
      ).toEqual([1, 1, 1]);
      // Deleted again by a device that has seen the edit: gone everywhere.
      a.store.nodes.delete(id);
      mesh.heal();
      expect(everywhere((d) => d.store.nodes.get(id))).toEqual([undefined, undefined, undefined]);
      expect(everywhere((d) => d.store.nodes.get(id, { includeDeleted: true })?.body)).toEqual(
        Array(3).fill(edited),
      );
      // Deleted after all: the question is settled everywhere, the deleting device included.
      expect(
        everywhere((d) => d.replica.conflicts.list({ all: false, nodeId: id }).length),
      ).toEqual([0, 0, 0]);
      expectConverged(mesh);
    }
  });

  test("a delete made after seeing the edit wins, whatever the other replicas merged first", () => {
    const id = makeDoc(a, "Draft", "v1");
    a.store.nodes.delete(id);
    b.store.nodes.update(id, { body: "v2" });
    mesh.push(a);
    mesh.push(b);
    // b takes in a's delete (overruled by its own edit) but not what the hub wrote since.
    mesh.pullPage(b, { limit: 1, maxBytes: 1e9 });
    expect(b.store.nodes.get(id)?.body).toBe("v2");
    b.store.nodes.delete(id);
    mesh.heal();
    expect(everywhere((d) => d.store.nodes.get(id))).toEqual([undefined, undefined, undefined]);
    expectConverged(mesh);
  });

  test("a node deleted on two devices at once stays deleted, with no conflict", () => {
    for (const editFirst of [a, b]) {
      const id = makeDoc(a, "Twice", "x");
      // One device edits before deleting: the other's delete had not seen that edit, but the
      // editor's own delete had, whichever of the two the engine keeps as the last write.
      editFirst.store.nodes.update(id, { body: "x, edited" });
      a.store.nodes.delete(id);
      b.store.nodes.delete(id);
      mesh.heal();
      expect(everywhere((d) => d.store.nodes.get(id))).toEqual([undefined, undefined, undefined]);
      expect(everywhere((d) => d.replica.conflicts.openCount())).toEqual([0, 0, 0]);
      expectConverged(mesh);
    }
  });

  test("a node kept through two deletes is one open question, the same everywhere", () => {
    const id = makeDoc(a, "Kept", "x");
    a.store.nodes.delete(id);
    b.store.nodes.update(id, { body: "x1" });
    mesh.heal();
    // a deletes again, having seen the edit; b edits again, not having seen that delete.
    a.store.nodes.delete(id);
    b.store.nodes.update(id, { body: "x12" });
    mesh.heal();
    expect(everywhere((d) => d.store.nodes.get(id)?.body)).toEqual(Array(3).fill("x12"));
    const second = a.store.nodes.get(id) && a.replica.conflicts.list({ all: false, nodeId: id });
    expect(second?.length).toBe(1);
    for (const device of mesh.devices)
      expect(device.replica.conflicts.list({ all: false, nodeId: id })).toEqual(
        (second ?? []).map((c) => expect.objectContaining({ field: "deleted", lost: c.lost })),
      );
    expectConverged(mesh);
  });

  test("an overruled delete can be carried out from its conflict", () => {
    const id = makeDoc(a, "Old", "x");
    b.store.nodes.delete(id);
    a.store.nodes.update(id, { title: "Old, renamed" });
    mesh.heal();
    expect(everywhere((d) => d.store.nodes.get(id)?.title)).toEqual(Array(3).fill("Old, renamed"));
    const conflict = b.replica.conflicts.list({ all: false }).find((c) => c.field === "deleted");
    expect(b.replica.resolveConflict(conflict?.id as number, "lost")).toBe(true);
    mesh.heal();
    expect(everywhere((d) => d.store.nodes.get(id))).toEqual([undefined, undefined, undefined]);
    expectConverged(mesh);
  });

  test("two projects named Home made offline: both kept, the larger id renamed the same everywhere", () => {
    const first = a.store.transaction(() => a.store.projects.create("Home", null)).id;
    const second = b.store.transaction(() => b.store.projects.create("Home", null)).id;
    mesh.heal();
    const [small, large] = [first, second].sort() as [string, string];
    for (const device of mesh.devices) {
      const names = new Map(device.store.projects.list().map((p) => [p.id, p.name]));
      expect({ [device.name]: names }).toEqual({
        [device.name]: new Map([
          [small, "Home"],
          [large, `Home (${large.slice(-6)})`],
        ]),
      });
    }
    expect(duplicateTitle("Home", large)).toBe(`Home (${large.slice(-6)})`);
    expectConverged(mesh);
  });

  test("a task moved to two projects on two devices ends in one of them everywhere", () => {
    const [p1, p2] = a.store.transaction(() => [
      a.store.projects.create("P1", null).id,
      a.store.projects.create("P2", null).id,
    ]);
    const task = createTask(a, { title: "Move me" });
    mesh.heal();
    a.tasks["task.set_project"]({ id: task.id, project: p1 });
    b.tasks["task.set_project"]({ id: task.id, project: p2 });
    mesh.heal();
    const projects = everywhere((d) => d.store.tasks.get(task.id)?.project_id);
    expect([p1, p2]).toContain(projects[0] as string);
    expect(projects).toEqual(Array(3).fill(projects[0]));
    for (const device of mesh.devices)
      expect(
        device.store.db
          .query("SELECT dst FROM links WHERE src = ? AND type = 'in-project'")
          .all(task.id),
      ).toEqual([{ dst: projects[0] }]);
    expectConverged(mesh);
  });

  test("a project renamed on one device while a task moves into it on another", () => {
    const project = a.store.transaction(() => a.store.projects.create("Chores", null)).id;
    const task = createTask(b, { title: "Sweep" });
    mesh.heal();
    a.store.transaction(() => a.store.projects.rename(project, "Housework"));
    b.tasks["task.set_project"]({ id: task.id, project: "Chores" });
    mesh.heal();
    expect(everywhere((d) => d.store.tasks.get(task.id)?.project)).toEqual(
      Array(3).fill("Housework"),
    );
    expect(everywhere((d) => d.store.projects.find("Housework")?.outstanding)).toEqual([1, 1, 1]);
    expectConverged(mesh);
  });

  test("a recurring task done on two devices for one occurrence rolls forward once, logging both", () => {
    const task = createTask(a, { title: "Water plants", recurrence: "FREQ=DAILY" });
    expect(task.do_date).toBe(TODAY);
    mesh.heal();
    a.tasks["task.done"]({ id: task.id });
    b.tasks["task.done"]({ id: task.id });
    mesh.heal();
    for (const device of mesh.devices) {
      const merged = device.store.tasks.get(task.id);
      expect({ [device.name]: [merged?.state, merged?.do_date] }).toEqual({
        [device.name]: ["outstanding", "2026-03-11"],
      });
      const done = device.store.tasks.tailLog(task.id, 100).filter((e) => e.kind === "done");
      expect(done.map((e) => e.text)).toEqual(Array(2).fill(`occurrence ${TODAY}`));
    }
    expectConverged(mesh);
  });

  test("concurrent typed links and log entries on one node are all kept", () => {
    const task = createTask(a, { title: "Linked" });
    const x = makeDoc(a, "X", "");
    const y = makeDoc(b, "Y", "");
    a.store.transaction(() => a.store.links.add(task.id, "related", x));
    b.store.transaction(() => b.store.links.add(task.id, "related", y));
    a.store.transaction(() => a.store.tasks.appendLog(task.id, "note", "from a"));
    b.store.transaction(() => b.store.tasks.appendLog(task.id, "note", "from b"));
    mesh.heal();
    for (const device of mesh.devices) {
      expect(
        device.store.links
          .out(task.id)
          .filter((l) => l.type === "related")
          .map((l) => l.dst)
          .sort(),
      ).toEqual([x, y].sort());
      expect(
        device.store.tasks
          .tailLog(task.id, 100)
          .filter((e) => e.kind === "note")
          .map((e) => e.text)
          .sort(),
      ).toEqual(["from a", "from b"]);
    }
    expectConverged(mesh);
  });

  test("restarts between writes and syncs lose nothing", () => {
    const first = makeDoc(a, "Before restart", "one");
    mesh.restart(a);
    a.store.nodes.update(first, { body: "one two" });
    const task = createTask(a, { title: "Made after a restart" });
    // Restarted before pushing: the writes wait in the log.
    mesh.restart(a);
    expect(a.replica.origin).toBe(String(a.clientId));
    b.store.nodes.update(first, { title: "Renamed on b" });
    mesh.push(a);
    mesh.restart(mesh.hub);
    mesh.push(b);
    mesh.restart(b);
    mesh.heal();
    mesh.restart(a);
    mesh.restart(b);
    for (const device of mesh.devices) {
      expect(device.store.nodes.get(first)).toMatchObject({
        title: "Renamed on b",
        body: "one two",
      });
      expect(device.store.tasks.get(task.id)?.title).toBe("Made after a restart");
    }
    // Nothing is sent twice or missed after the restarts: one more round moves nothing.
    expect(mesh.heal()).toBe(0);
    expectConverged(mesh);
    expect(snapshot(a.store).nodes.length).toBe(3);
  });
});
