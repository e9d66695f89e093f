/** The daemon's arguments with every path spelled out, as services, dev runs and tests start it. */
export function daemonArgv(paths: { db: string; socket: string; log: string }): string[] {
  return [
    "hephd",
    "--mode",
    "local",
    "--db",
    paths.db,
    "--socket",
    paths.socket,
    "--log",
    paths.log,
  ];
}
