/** heph.nvim's transport against the compiled daemon, a stand-in daemon, and a restart. */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { type BinaryDaemon, startBinaryDaemon } from "../../helpers/binary.ts";
import { report, runSpec } from "../../helpers/nvim.ts";

let daemon: BinaryDaemon;
beforeAll(async () => {
  daemon = await startBinaryDaemon();
});
afterAll(async () => {
  await daemon.stop();
});

test("editors/nvim/test/transport_spec.lua passes in Neovim", async () => {
  const run = await runSpec("transport_spec.lua", daemon);
  expect(run.stdout, report(run)).toContain("6 passed, 0 failed");
  expect(run.exitCode, report(run)).toBe(0);
}, 60_000);
