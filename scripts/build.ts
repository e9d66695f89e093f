/**
 * Builds the standalone binary.
 *   bun scripts/build.ts            → dist/heph for this machine (and dist/hephd → heph)
 *   bun scripts/build.ts --release  → dist/release/heph-<version>-<target>.tar.gz for every
 *                                     release target, each holding heph and a hephd link, and
 *                                     dist/release/SHA256SUMS
 * The version string is baked in, so `heph --version` and `daemon.info` name the exact build:
 * package.json's version for a release, with the git commit added for a local build.
 */

import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { $ } from "bun";
import packageJson from "../package.json" with { type: "json" };

/** Bun target → the name users see in archive names. linux-x64 uses the baseline CPU build. */
export const RELEASE_TARGETS: Record<string, string> = {
  "linux-x64": "bun-linux-x64-baseline",
  "linux-arm64": "bun-linux-arm64",
  "darwin-x64": "bun-darwin-x64",
  "darwin-arm64": "bun-darwin-arm64",
};

async function localVersion(): Promise<string> {
  if (process.env.HEPH_VERSION) return process.env.HEPH_VERSION;
  const commit = await $`git rev-parse --short=12 HEAD`.quiet().nothrow();
  if (commit.exitCode !== 0) return packageJson.version;
  const dirty =
    (await $`git status --porcelain --untracked-files=no`.quiet().nothrow()).stdout.length > 0;
  return `${packageJson.version}+g${commit.stdout.toString().trim()}${dirty ? ".dirty" : ""}`;
}

const repoRoot = resolve(import.meta.dir, "..");
/** The two entry points: the CLI's (which dispatches) and the daemon's (see src/main.ts). */
const ENTRY_POINTS = [join(repoRoot, "src/main.ts"), join(repoRoot, "src/daemon/main.ts")];

/**
 * Compiles the executable, as every heph binary is made (the benchmarks compile theirs here
 * too). `quiet` keeps bun's progress lines off stdout; its errors still reach stderr. `entries`
 * replaces heph's entry points, so a benchmark's reference binary is built exactly the same way.
 */
export function compile(
  target: string | undefined,
  outfile: string,
  version: string,
  options: { quiet?: boolean; entries?: string[] } = {},
) {
  const args = [
    "build",
    "--compile",
    "--minify",
    // Precompiled bytecode: the CLI starts without parsing its whole bundle (≈20 ms saved).
    "--bytecode",
    // ES modules split into chunks: a command loads only the modules it uses, not the whole
    // CLI (bytecode for ES modules needs --compile, which this always is).
    "--format=esm",
    "--splitting",
    "--define",
    `HEPH_BUILD_VERSION=${JSON.stringify(version)}`,
    ...(target ? [`--target=${target}`] : []),
    // Two entry points in one executable: the CLI's bundle and the daemon's. src/main.ts
    // imports the daemon's by a computed path, so a CLI run does not load the daemon's code
    // (SQLite store, date parsing, recurrence, YAML): ~0.5 ms less per command.
    ...(options.entries ?? ENTRY_POINTS),
    "--outfile",
    outfile,
  ];
  const result = Bun.spawnSync([process.execPath, ...args], {
    stdout: options.quiet ? "ignore" : "inherit",
    stderr: "inherit",
  });
  if (result.exitCode !== 0) throw new Error(`bun build failed for ${target ?? "this machine"}`);
}

function sha256(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

async function buildRelease() {
  const version = packageJson.version;
  const releaseDir = join("dist", "release");
  rmSync(releaseDir, { recursive: true, force: true });
  mkdirSync(releaseDir, { recursive: true });
  const sums: string[] = [];
  for (const [name, target] of Object.entries(RELEASE_TARGETS)) {
    const stem = `heph-${version}-${name}`;
    const stage = join(releaseDir, stem);
    mkdirSync(stage);
    compile(target, join(stage, "heph"), version);
    symlinkSync("heph", join(stage, "hephd"));
    const archive = `${stem}.tar.gz`;
    // Owner-neutral, so the archive unpacks the same for everyone.
    await $`tar -C ${releaseDir} --owner=0 --group=0 --numeric-owner -czf ${join(releaseDir, archive)} ${stem}`;
    rmSync(stage, { recursive: true });
    sums.push(`${sha256(join(releaseDir, archive))}  ${archive}`);
    console.log(`built ${join(releaseDir, archive)} (${target})`);
  }
  writeFileSync(join(releaseDir, "SHA256SUMS"), `${sums.join("\n")}\n`);
  console.log(`wrote ${join(releaseDir, "SHA256SUMS")}, version ${version}`);
}

async function buildLocal() {
  const version = await localVersion();
  mkdirSync("dist", { recursive: true });
  compile(undefined, "dist/heph", version);
  rmSync("dist/hephd", { force: true });
  symlinkSync("heph", "dist/hephd");
  console.log(`built dist/heph (and dist/hephd → heph), version ${version}`);
}

if (import.meta.main) {
  if (process.argv.includes("--release")) await buildRelease();
  else await buildLocal();
}
