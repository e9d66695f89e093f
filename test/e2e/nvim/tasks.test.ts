/** heph.nvim task commands against the compiled daemon: next, list buffers, done, promote, show. */
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

test("editors/nvim/test/tasks_spec.lua passes in Neovim", async () => {
  const run = await runSpec("tasks_spec.lua", daemon);
  expect(run.stdout, report(run)).toContain("8 passed, 0 failed");
  expect(run.exitCode, report(run)).toBe(0);

  const client = new RpcClient(daemon.paths.socket);
  try {
    const { doc, task } = run.results.promoted as { doc: string; task: string };
    const body = (await client.call("node.get", { id: doc })).body;
    expect(body).toContain(`- [ ] Buy adapters tomorrow p2 [[${task}]]\n`);
    expect(body).toContain("(edited before promoting)");
    expect((await client.call("task.get", { id: task })).state).toBe("done");
    const next = (await client.call("next", {})).map((t) => t.title);
    expect(next).not.toContain("Call mom");
    expect(next).not.toContain("Renew passport");
    expect(next).toContain("Pay rent");
  } finally {
    client.close();
  }
}, 60_000);
