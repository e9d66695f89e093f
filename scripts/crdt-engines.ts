/**
 * The three CRDT engines issue 13 names (Yjs, Automerge, Loro) behind one small interface, in
 * heph's shape: one document for the store, a map of nodes by id, each node a map of scalar
 * fields (title, kind, attention, dates…) and a collaborative text for its body. Used only by
 * scripts/bench-crdt.ts, to measure them side by side before one is chosen.
 */
import * as Automerge from "@automerge/automerge";
import { LoroDoc, LoroMap, LoroText } from "loro-crdt";
import * as Y from "yjs";

export interface NodeFields {
  [field: string]: string;
}

export interface Replica {
  /** Adds many nodes in one transaction/change/commit. */
  addNodes(nodes: ReadonlyArray<{ id: string; fields: NodeFields; body: string }>): void;
  /** One user edit, committed on its own: text typed into a body, or a field set. */
  insertText(id: string, at: number, text: string): void;
  setField(id: string, field: string, value: string): void;
  body(id: string): string;
  field(id: string, field: string): string | undefined;
  /** The whole state, as a new replica would load it. */
  save(): Uint8Array;
  /** An opaque version, for updateSince. */
  version(): unknown;
  /** What this replica has that a replica at `version` lacks. */
  updateSince(version: unknown): Uint8Array;
  apply(update: Uint8Array): void;
}

export interface Engine {
  name: string;
  create(): Replica;
  load(state: Uint8Array): Replica;
}

function yjsReplica(doc: Y.Doc): Replica {
  const nodes = doc.getMap<Y.Map<unknown>>("nodes");
  const node = (id: string) => nodes.get(id) as Y.Map<unknown>;
  return {
    addNodes(list) {
      doc.transact(() => {
        for (const { id, fields, body } of list) {
          const map = new Y.Map<unknown>();
          for (const [key, value] of Object.entries(fields)) map.set(key, value);
          map.set("body", new Y.Text(body));
          nodes.set(id, map);
        }
      });
    },
    insertText: (id, at, text) => (node(id).get("body") as Y.Text).insert(at, text),
    setField: (id, field, value) => node(id).set(field, value),
    body: (id) => (node(id).get("body") as Y.Text).toString(),
    field: (id, field) => node(id).get(field) as string | undefined,
    save: () => Y.encodeStateAsUpdate(doc),
    version: () => Y.encodeStateVector(doc),
    updateSince: (version) => Y.encodeStateAsUpdate(doc, version as Uint8Array),
    apply: (update) => Y.applyUpdate(doc, update),
  };
}

export const yjs: Engine = {
  name: "Yjs 13.6",
  create: () => yjsReplica(new Y.Doc()),
  load(state) {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state);
    return yjsReplica(doc);
  },
};

type AmDoc = { nodes: Record<string, Record<string, string>> };

function automergeReplica(start: Automerge.Doc<AmDoc>): Replica {
  let doc = start;
  return {
    addNodes(list) {
      doc = Automerge.change(doc, (d) => {
        for (const { id, fields, body } of list) d.nodes[id] = { ...fields, body };
      });
    },
    insertText(id, at, text) {
      doc = Automerge.change(doc, (d) => {
        Automerge.splice(d, ["nodes", id, "body"], at, 0, text);
      });
    },
    setField(id, field, value) {
      doc = Automerge.change(doc, (d) => {
        (d.nodes[id] as Record<string, string>)[field] = value;
      });
    },
    body: (id) => String(doc.nodes[id]?.body ?? ""),
    field: (id, field) => doc.nodes[id]?.[field],
    save: () => Automerge.save(doc),
    version: () => Automerge.getHeads(doc),
    updateSince: (version) => Automerge.saveSince(doc, version as Automerge.Heads),
    apply(update) {
      doc = Automerge.loadIncremental(doc, update);
    },
  };
}

export const automerge: Engine = {
  name: "Automerge 3.5",
  create: () => automergeReplica(Automerge.from<AmDoc>({ nodes: {} })),
  load: (state) => automergeReplica(Automerge.load<AmDoc>(state)),
};

function loroReplica(doc: LoroDoc): Replica {
  const nodes = doc.getMap("nodes");
  const node = (id: string) => nodes.get(id) as LoroMap;
  return {
    addNodes(list) {
      for (const { id, fields, body } of list) {
        const map = nodes.setContainer(id, new LoroMap());
        for (const [key, value] of Object.entries(fields)) map.set(key, value);
        map.setContainer("body", new LoroText()).insert(0, body);
      }
      doc.commit();
    },
    insertText(id, at, text) {
      (node(id).get("body") as LoroText).insert(at, text);
      doc.commit();
    },
    setField(id, field, value) {
      node(id).set(field, value);
      doc.commit();
    },
    body: (id) => (node(id).get("body") as LoroText).toString(),
    field: (id, field) => node(id).get(field) as string | undefined,
    save: () => doc.export({ mode: "snapshot" }),
    version: () => doc.oplogVersion(),
    updateSince: (version) =>
      doc.export({ mode: "update", from: version as ReturnType<LoroDoc["oplogVersion"]> }),
    apply(update) {
      doc.import(update);
    },
  };
}

export const loro: Engine = {
  name: "Loro 1.17",
  create: () => loroReplica(new LoroDoc()),
  load(state) {
    const doc = new LoroDoc();
    doc.import(state);
    return loroReplica(doc);
  },
};

export const ENGINES: Record<string, Engine> = { yjs, automerge, loro };
