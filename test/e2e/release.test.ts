/** `scripts/build.ts --release`: four archives with heph and a hephd link, and their checksums. */
import { beforeAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, readlinkSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import packageJson from "../../package.json" with { type: "json" };
import { repoRoot } from "../helpers/binary.ts";

const releaseDir = join(repoRoot, "dist", "release");
const version = packageJson.version;
const names = ["linux-x64", "linux-arm64", "darwin-x64", "darwin-arm64"];

beforeAll(() => {
  const build = Bun.spawnSync([process.execPath, "scripts/build.ts", "--release"], {
    cwd: repoRoot,
    stdout: "pipe",
    stderr: "pipe",
  });
  if (build.exitCode !== 0) throw new Error(`release build failed: ${build.stderr.toString()}`);
}, 600_000);

describe("release archives", () => {
  test("SHA256SUMS lists all four archives with their real digests", () => {
    const lines = readFileSync(join(releaseDir, "SHA256SUMS"), "utf8").trim().split("\n");
    expect(lines.map((line) => line.split("  ")[1])).toEqual(
      names.map((name) => `heph-${version}-${name}.tar.gz`),
    );
    for (const line of lines) {
      const [digest, file] = line.split("  ") as [string, string];
      expect(
        createHash("sha256")
          .update(readFileSync(join(releaseDir, file)))
          .digest("hex"),
      ).toBe(digest);
    }
  });

  test("each archive holds heph and a hephd link; binaries are for their platform", () => {
    for (const name of names) {
      const unpacked = mkdtempSync(join(tmpdir(), "heph-rel-"));
      const stem = `heph-${version}-${name}`;
      const untar = Bun.spawnSync([
        "tar",
        "-C",
        unpacked,
        "-xzf",
        join(releaseDir, `${stem}.tar.gz`),
      ]);
      expect(untar.exitCode).toBe(0);
      expect(readlinkSync(join(unpacked, stem, "hephd"))).toBe("heph");
      const magic = readFileSync(join(unpacked, stem, "heph"))
        .subarray(0, 4)
        .toString("hex");
      // ELF for Linux, 64-bit Mach-O (little-endian) for macOS.
      expect(magic).toBe(name.startsWith("linux") ? "7f454c46" : "cffaedfe");
      if (name === `linux-${process.arch}`) {
        const run = Bun.spawnSync([join(unpacked, stem, "heph"), "--version"], { stdout: "pipe" });
        expect(run.stdout.toString().trim()).toBe(version);
        const daemon = Bun.spawnSync([join(unpacked, stem, "hephd"), "--version"], {
          stdout: "pipe",
        });
        expect(daemon.stdout.toString().trim()).toBe(version);
      }
      rmSync(unpacked, { recursive: true, force: true });
    }
  });
});
