import { ListingStore } from "../store/listing.ts";
import type { Store } from "../store/store.ts";
import type { Handlers } from "./dispatch.ts";

type ListingHandlers = Pick<Handlers, "node.list" | "tag.list">;

/** Titles and tags by prefix: short answers for pickers and shell completion. */
export function createListingHandlers(store: Store): ListingHandlers {
  const listing = new ListingStore(store.db);
  return {
    "node.list": ({ title_prefix, kind, include_contexts, limit }) =>
      listing.titles(title_prefix, {
        kinds: kind === undefined ? [] : [kind].flat(),
        includeContexts: include_contexts,
        limit,
      }),
    "tag.list": ({ prefix, limit }) => listing.tags(prefix.replace(/^#/, ""), limit),
  };
}
