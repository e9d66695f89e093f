import packageJson from "../package.json" with { type: "json" };

/** Baked in by scripts/build.ts with `--define`; absent when running from source. */
declare const HEPH_BUILD_VERSION: string | undefined;

/** The one version string that `heph --version`, `hephd --version` and `daemon.info` report. */
export const VERSION: string =
  typeof HEPH_BUILD_VERSION === "string" ? HEPH_BUILD_VERSION : `${packageJson.version}-source`;
