/** heph.nvim links against the compiled daemon: follow, create, [[ completion, backlinks, :Heph. */
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

test("editors/nvim/test/links_spec.lua passes in Neovim", async () => {
  const run = await runSpec("links_spec.lua", daemon);
  expect(run.stdout, report(run)).toContain("10 passed, 0 failed");
  expect(run.exitCode, report(run)).toBe(0);

  const client = new RpcClient(daemon.paths.socket);
  try {
    // Following [[Seeds#Order]] created the doc; the plan's link resolves to it now.
    const seeds = await client.call("node.resolve", { title: "Seeds" });
    expect(seeds?.kind).toBe("doc");
    const unresolved = (await client.call("links.unresolved", {})).map((u) => u.target);
    expect(unresolved).not.toContain("Seeds");
    expect(unresolved).toContain("Nowhere at all");
    expect(await client.call("node.resolve", { title: "Brand new page" })).not.toBeNull();
  } finally {
    client.close();
  }
}, 60_000);
