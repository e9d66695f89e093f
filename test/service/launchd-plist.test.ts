import { describe, expect, test } from "bun:test";
import type { HephPaths } from "../../src/paths.ts";
import {
  escapeXml,
  parseProgramArguments,
  renderLaunchdPlist,
} from "../../src/service/launchd-plist.ts";
import { ServiceError } from "../../src/service/manager.ts";
import { buildServiceSpec } from "../../src/service/spec.ts";

// A space, an ampersand, angle brackets and both quotes: each needs escaping (or care) in XML.
const dataDir = `/Users/ann/Library/Application Support/R&D <"heph's">`;
const paths: HephPaths = {
  dataDir,
  db: `${dataDir}/heph.db`,
  socket: `${dataDir}/hephd.sock`,
  log: `${dataDir}/hephd.log`,
};

function spec(env: Record<string, string> = { HOME: "/Users/ann", PATH: "/usr/bin:/bin" }) {
  return buildServiceSpec({ executable: "/opt/heph/bin/heph", prefix: [] }, paths, "launchd", env);
}

/**
 * Parses with a real plist reader, Python's plistlib, so the test does not grade our XML with
 * our own parser. (`plutil -lint` would be the macOS way, but plutil does not exist on Linux.)
 */
function plistlib(text: string): Record<string, unknown> {
  const child = Bun.spawnSync(
    [
      "python3",
      "-c",
      "import plistlib,sys,json; print(json.dumps(plistlib.loads(sys.stdin.buffer.read())))",
    ],
    { stdin: new TextEncoder().encode(text), stdout: "pipe", stderr: "pipe" },
  );
  if (child.exitCode !== 0) throw new Error(`plistlib rejected the plist: ${child.stderr}`);
  return JSON.parse(child.stdout.toString());
}

describe("renderLaunchdPlist", () => {
  test("a real plist parser reads back every key we promised", () => {
    const parsed = plistlib(renderLaunchdPlist(spec()));
    expect(parsed).toEqual({
      Label: "org.hephaestus.hephd",
      ProgramArguments: [
        "/opt/heph/bin/heph",
        "hephd",
        "--mode",
        "local",
        "--db",
        paths.db,
        "--socket",
        paths.socket,
        "--log",
        paths.log,
      ],
      EnvironmentVariables: {
        HEPH_MANAGED_BY: "launchd",
        HOME: "/Users/ann",
        PATH: "/usr/local/bin:/usr/bin:/bin",
      },
      RunAtLoad: true,
      KeepAlive: true,
      StandardOutPath: paths.log,
      StandardErrorPath: paths.log,
    });
  });

  test("special characters are escaped, not written raw", () => {
    const text = renderLaunchdPlist(spec());
    expect(text).toContain("R&amp;D &lt;&quot;heph&apos;s&quot;&gt;");
    expect(text).not.toContain("R&D");
    expect(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
  });

  test("the same spec gives the same bytes, whatever the environment's key order", () => {
    const a = renderLaunchdPlist(spec());
    const reordered = spec();
    reordered.environment = {
      PATH: "/usr/local/bin:/usr/bin:/bin",
      HOME: "/Users/ann",
      HEPH_MANAGED_BY: "launchd",
    };
    expect(renderLaunchdPlist(reordered)).toBe(a);
    expect(renderLaunchdPlist(spec())).toBe(a);
    expect(a.endsWith("</plist>\n")).toBe(true);
    expect(a.endsWith("\n\n")).toBe(false);
  });

  test("non-ASCII and carriage returns survive the round trip", () => {
    const s = spec();
    s.environment.GREETING = "héllo\r\nwörld ✓";
    expect(
      (plistlib(renderLaunchdPlist(s)).EnvironmentVariables as Record<string, string>).GREETING,
    ).toBe("héllo\r\nwörld ✓");
  });

  test("a control character XML cannot hold is refused, not written", () => {
    expect(() => escapeXml("bell\u0007")).toThrow(ServiceError);
    const s = spec();
    s.program.push("nul\u0000byte");
    expect(() => renderLaunchdPlist(s)).toThrow(/control character/);
  });
});

describe("parseProgramArguments", () => {
  test("reads back exactly what was rendered", () => {
    const s = spec();
    s.program.push("", "a&b", "x<y>z", `"'`, "&#38;literal");
    expect(parseProgramArguments(renderLaunchdPlist(s))).toEqual(s.program);
  });

  test("understands numeric references and <string/>", () => {
    const plist =
      "<dict><key>ProgramArguments</key><array><string>&#65;&#x42;</string><string/></array></dict>";
    expect(parseProgramArguments(plist)).toEqual(["AB", ""]);
  });

  test("null when the plist has no ProgramArguments", () => {
    expect(parseProgramArguments("<plist><dict><key>Label</key></dict></plist>")).toBeNull();
  });
});
