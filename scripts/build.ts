/**
 * Builds the standalone binary: `bun scripts/build.ts` → dist/heph for this machine.
 * `--target all` (or a list of targets) cross-compiles release binaries into dist/release/.
 * The version string is baked in, so `heph --version` and `daemon.info` name the exact build.
 */

import { mkdirSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { $ } from "bun";
import packageJson from "../package.json" with { type: "json" };

const RELEASE_TARGETS = [
  "bun-linux-x64",
  "bun-linux-arm64",
  "bun-darwin-x64",
  "bun-darwin-arm64",
] as const;

async function buildVersion(): Promise<string> {
  if (process.env.HEPH_VERSION) return process.env.HEPH_VERSION;
  const commit = await $`git rev-parse --short=12 HEAD`.quiet().nothrow();
  if (commit.exitCode !== 0) return packageJson.version;
  const dirty =
    (await $`git status --porcelain --untracked-files=no`.quiet().nothrow()).stdout.length > 0;
  return `${packageJson.version}+g${commit.stdout.toString().trim()}${dirty ? ".dirty" : ""}`;
}

async function compile(target: string | undefined, outfile: string, version: string) {
  const args = [
    "build",
    "--compile",
    "--minify",
    "--sourcemap",
    `--define`,
    `HEPH_BUILD_VERSION=${JSON.stringify(version)}`,
    ...(target ? [`--target=${target}`] : []),
    "src/main.ts",
    "--outfile",
    outfile,
  ];
  const result = Bun.spawnSync([process.execPath, ...args], {
    stdout: "inherit",
    stderr: "inherit",
  });
  if (result.exitCode !== 0) throw new Error(`bun build failed for ${target ?? "this machine"}`);
}

const requested = process.argv.slice(2);
const targetFlag = requested.indexOf("--target");
const targets =
  targetFlag === -1
    ? []
    : requested[targetFlag + 1] === "all"
      ? [...RELEASE_TARGETS]
      : (requested[targetFlag + 1] ?? "").split(",").filter(Boolean);

const version = await buildVersion();
mkdirSync("dist", { recursive: true });
if (targets.length === 0) {
  await compile(undefined, "dist/heph", version);
  // dist/hephd → heph: the daemon's name for the same binary.
  rmSync("dist/hephd", { force: true });
  symlinkSync("heph", "dist/hephd");
  rmSync("dist/heph.map", { force: true });
  console.log(`built dist/heph (and dist/hephd → heph), version ${version}`);
} else {
  mkdirSync(join("dist", "release"), { recursive: true });
  for (const target of targets) {
    const outfile = join("dist", "release", `heph-${target.replace(/^bun-/, "")}`);
    await compile(target, outfile, version);
    console.log(`built ${outfile} (${target}), version ${version}`);
  }
}
