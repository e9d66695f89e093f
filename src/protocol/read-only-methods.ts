/**
 * The methods that write nothing, so a client may retry them after a dropped connection. Kept
 * apart from the method table so a client can know this without building every zod schema;
 * test/protocol/read-only-methods.test.ts checks it matches the table's `mutates` flags.
 */
export const READ_ONLY_METHODS: ReadonlySet<string> = new Set([
  "daemon.info",
  "daemon.shutdown",
  "rpc.discover",
  "node.get",
  "node.resolve",
  "node.find",
  "node.list",
  "links.out",
  "links.back",
  "links.unresolved",
  "tag.list",
  "search",
  "task.parse",
  "task.get",
  "project.list",
  "next",
  "list",
  "list.count",
  "view",
  "log.tail",
  "events.subscribe",
  "events.unsubscribe",
  "node.complete",
  "export",
  "sync.status",
  "conflicts.list",
  "hub.token.list",
]);
