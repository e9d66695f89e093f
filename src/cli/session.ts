import { RpcClient } from "../client/client.ts";
import { resolvePaths } from "../paths.ts";

/** A client for the daemon the user means: --socket, else HEPH_SOCKET, else the default. */
export function clientFor(args: { socket?: string | undefined }): RpcClient {
  return new RpcClient(resolvePaths({ socket: args.socket }).socket);
}

/** Runs `work` with a connected client and always closes it. */
export async function withClient<T>(
  args: { socket?: string | undefined },
  work: (client: RpcClient) => Promise<T>,
): Promise<T> {
  const client = clientFor(args);
  try {
    return await work(client);
  } finally {
    client.close();
  }
}
