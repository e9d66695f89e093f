import type { Node } from "../protocol/schemas.ts";
import type { Store } from "../store/store.ts";
import { ambiguous, notFound } from "./failures.ts";

export const noNode = (ref: string) => notFound(`No node matches ${ref}.`, { id: ref });

/** A node by id or unique prefix (4+ characters), of any kind: a node reference. */
export function findNode(store: Store, ref: string, includeDeleted = false): Node {
  if (ref.length === 26) {
    const node = store.nodes.get(ref, { includeDeleted });
    if (node) return node;
    throw noNode(ref);
  }
  const ids = store.nodes.idsWithPrefix(ref, 11, { includeDeleted });
  if (ids.length === 0) throw noNode(ref);
  if (ids.length > 1) {
    const found = ids.map((id) => ({
      id,
      title: store.nodes.get(id, { includeDeleted: true })?.title ?? "",
    }));
    throw ambiguous(ref, "nodes", found);
  }
  return store.nodes.get(ids[0] as string, { includeDeleted }) as Node;
}
