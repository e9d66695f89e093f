import { describe, expect, test } from "bun:test";
import { buildServiceSpec } from "../../src/service/spec.ts";
import { parseExecStart, quoteExecArg, renderSystemdUnit } from "../../src/service/systemd-unit.ts";

const paths = {
  dataDir: "/home/ann/.local/share/heph",
  db: "/home/ann/.local/share/heph/heph.db",
  socket: "/run/user/1000/heph/hephd.sock",
  log: "/home/ann/.local/share/heph/hephd.log",
};

describe("the systemd unit", () => {
  test("carries the required settings", () => {
    const unit = renderSystemdUnit(
      buildServiceSpec({ executable: "/usr/local/bin/heph", prefix: [] }, paths, "systemd", {
        HOME: "/home/ann",
        PATH: "/usr/bin",
      }),
    );
    for (const line of [
      "Type=exec",
      "Restart=on-failure",
      "RestartSec=1",
      "UMask=0077",
      "StartLimitIntervalSec=60",
      "StartLimitBurst=5",
      "WantedBy=default.target",
      `StandardOutput=append:${paths.log}`,
      `StandardError=append:${paths.log}`,
      'Environment="HEPH_MANAGED_BY=systemd"',
      `ExecStart=/usr/local/bin/heph hephd --mode local --db ${paths.db} --socket ${paths.socket} --log ${paths.log}`,
    ]) {
      expect(unit.split("\n")).toContain(line);
    }
    expect(unit).not.toContain("multi-user.target");
  });

  test("is deterministic", () => {
    const spec = buildServiceSpec({ executable: "/bin/heph", prefix: [] }, paths, "systemd", {
      PATH: "/b",
      HOME: "/h",
    });
    expect(renderSystemdUnit(spec)).toBe(renderSystemdUnit(spec));
  });

  test("ExecStart words survive spaces, quotes, backslashes, % and $", () => {
    const odd = ["/opt/my apps/heph", "100%", "$HOME", 'say "hi"', "back\\slash", "", "plain"];
    const unit = renderSystemdUnit({ program: odd, environment: {}, paths });
    expect(parseExecStart(unit)).toEqual(odd);
    expect(quoteExecArg("100%")).toBe("100%%");
    expect(quoteExecArg("$HOME")).toBe("$$HOME");
    expect(quoteExecArg("/opt/my apps/heph")).toBe('"/opt/my apps/heph"');
  });

  test("from source, the service runs bun with the script", () => {
    const spec = buildServiceSpec(
      { executable: "/usr/bin/bun", prefix: ["/src/heph/src/main.ts"] },
      paths,
      "systemd",
      {},
    );
    expect(spec.program.slice(0, 4)).toEqual([
      "/usr/bin/bun",
      "/src/heph/src/main.ts",
      "hephd",
      "--mode",
    ]);
  });
});
