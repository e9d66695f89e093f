import { RpcClient } from "../client/client.ts";
import { resolvePaths } from "../paths.ts";
import type { DaemonInfo } from "../protocol/schemas.ts";
import { selfDescription } from "../self.ts";
import { describeSkew } from "../service/skew.ts";
import { VERSION } from "../version.ts";
import { warn } from "./output.ts";

/** A client for the daemon the user means: --socket, else HEPH_SOCKET, else the default. */
export function clientFor(args: { socket?: string | undefined }): RpcClient {
  return new RpcClient(resolvePaths({ socket: args.socket }).socket, { validateReplies: false });
}

/** What a command may ask of the daemon.info reply that rides along with its own requests. */
export interface DaemonFacts {
  /**
   * The daemon's calendar date, for date chips: they then agree with the daemon's ranking
   * (which tasks are late), and the CLI never sets up the local time zone itself, which costs
   * a run ~3.5 ms.
   */
  today(): Promise<string>;
}

/** The machine's local date: only when the daemon did not say (an older daemon, or no reply). */
function localToday(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * Runs `work` with a connected client and always closes it. daemon.info rides along on the
 * same connection, so a daemon left running an older binary is noticed at no extra round trip.
 */
export async function withClient<T>(
  args: { socket?: string | undefined },
  work: (client: RpcClient, daemon: DaemonFacts) => Promise<T>,
): Promise<T> {
  const client = clientFor(args);
  try {
    const info: Promise<DaemonInfo | null> = client.call("daemon.info", {}).catch(() => null);
    // Replies are not validated on this path: a daemon older than `today` leaves it undefined.
    const facts: DaemonFacts = { today: async () => (await info)?.today ?? localToday() };
    const result = await work(client, facts);
    const daemon = await info;
    const skew = daemon && describeSkew(daemon, { version: VERSION, binary: selfDescription() });
    if (skew) await warn(skew);
    return result;
  } finally {
    client.close();
  }
}
