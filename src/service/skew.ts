import type { DaemonInfo } from "../protocol/schemas.ts";

/** When the daemon is not the binary this CLI is (an upgrade not yet restarted), one sentence saying so. */
export function describeSkew(
  info: Pick<DaemonInfo, "version" | "binary">,
  cli: { version: string; binary: string },
): string | null {
  const versionDiffers = info.version !== cli.version;
  const binaryDiffers = info.binary !== cli.binary;
  if (!versionDiffers && !binaryDiffers) return null;
  const daemonSide = `the running daemon is ${info.version} (${info.binary})`;
  const cliSide = `this heph is ${cli.version} (${cli.binary})`;
  return `${daemonSide} but ${cliSide}. Run \`heph daemon restart\` to run the new binary.`;
}
