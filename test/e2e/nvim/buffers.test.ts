/** heph.nvim node buffers against the compiled daemon: open, save, frontmatter, conflict, live reload. */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { RpcClient } from "../../../src/client/client.ts";
import { type BinaryDaemon, startBinaryDaemon } from "../../helpers/binary.ts";
import { report, runSpec } from "../../helpers/nvim.ts";

let daemon: BinaryDaemon;
beforeAll(async () => {
  daemon = await startBinaryDaemon();
});
afterAll(async () => {
  await daemon.stop();
});

test("editors/nvim/test/buffers_spec.lua passes in Neovim", async () => {
  const run = await runSpec("buffers_spec.lua", daemon);
  expect(run.stdout, report(run)).toContain("6 passed, 0 failed");
  expect(run.exitCode, report(run)).toBe(0);

  // What Neovim saved is in the store, as the daemon tells any client.
  const client = new RpcClient(daemon.paths.socket);
  try {
    const final = await client.call("node.find", { ref: "Final" });
    expect(final).toMatchObject({ aliases: ["Last"], tags: ["done"], body: "Body text\n" });
    const shared = await client.call("node.find", { ref: "Shared" });
    expect(shared.body).toBe("my edit\n");
    const task = await client.call("node.find", { ref: "Return books" });
    expect((await client.call("task.get", { id: task.id })).state).toBe("done");
  } finally {
    client.close();
  }
}, 60_000);
