import { RpcClient } from "../client/client.ts";
import { resolvePaths } from "../paths.ts";
import { selfDescription } from "../self.ts";
import { describeSkew } from "../service/skew.ts";
import { VERSION } from "../version.ts";
import { warn } from "./output.ts";

/** A client for the daemon the user means: --socket, else HEPH_SOCKET, else the default. */
export function clientFor(args: { socket?: string | undefined }): RpcClient {
  return new RpcClient(resolvePaths({ socket: args.socket }).socket, { validateReplies: false });
}

/**
 * Runs `work` with a connected client and always closes it. daemon.info rides along on the
 * same connection, so a daemon left running an older binary is noticed at no extra round trip.
 */
export async function withClient<T>(
  args: { socket?: string | undefined },
  work: (client: RpcClient) => Promise<T>,
): Promise<T> {
  const client = clientFor(args);
  try {
    const info = client.call("daemon.info", {}).catch(() => null);
    const result = await work(client);
    const daemon = await info;
    const skew = daemon && describeSkew(daemon, { version: VERSION, binary: selfDescription() });
    if (skew) await warn(skew);
    return result;
  } finally {
    client.close();
  }
}
