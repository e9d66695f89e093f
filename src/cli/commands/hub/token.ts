/** `heph hub token create|list|revoke`: the hub's per-device bearer tokens. */
import type { HubToken } from "../../../protocol/sync-methods.ts";
import { jsonArg, socketArg } from "../../args.ts";
import { defineCommand } from "../../command.ts";
import { printJson, printLine } from "../../output.ts";
import { withClient } from "../../session.ts";

function describe(token: HubToken): string {
  const state = token.revoked_at ? `revoked ${token.revoked_at}` : "live";
  return `${token.name}  ${token.id}  created ${token.created_at}  last used ${token.last_used_at ?? "never"}  ${state}`;
}

const create = defineCommand({
  meta: { name: "create", description: "Issue a token for a device; it is shown once" },
  args: {
    name: { type: "positional", description: "The device's name, e.g. laptop", required: true },
    ...jsonArg,
    ...socketArg,
  },
  async run({ args }) {
    const token = await withClient(args, (client) =>
      client.call("hub.token.create", { name: args.name as string }),
    );
    if (args.json) return printJson(token);
    printLine(token.token);
    process.stderr.write(
      `Token for ${token.name} (${token.id}). It is shown only now: save it on the device in a file readable only by you, e.g.\n  umask 077; echo '<token>' > ~/.config/heph/hub-token\nthen: heph daemon start --hub-url <hub URL> --hub-token-file ~/.config/heph/hub-token\n`,
    );
  },
});

const list = defineCommand({
  meta: {
    name: "list",
    description: "The hub's device tokens, live and revoked (never their secrets)",
  },
  args: { ...jsonArg, ...socketArg },
  async run({ args }) {
    const { tokens } = await withClient(args, (client) => client.call("hub.token.list", {}));
    if (args.json) return printJson({ tokens });
    if (tokens.length === 0) return printLine("No tokens yet: heph hub token create NAME");
    for (const token of tokens) printLine(describe(token));
  },
});

const revoke = defineCommand({
  meta: {
    name: "revoke",
    description: "Revoke a device's token by name or id; its next request is refused",
  },
  args: {
    token: { type: "positional", description: "The token's name or id", required: true },
    ...jsonArg,
    ...socketArg,
  },
  async run({ args }) {
    const { token } = await withClient(args, (client) =>
      client.call("hub.token.revoke", { token: args.token as string }),
    );
    if (args.json) return printJson(token);
    printLine(`Revoked: ${describe(token)}`);
  },
});

export default defineCommand({
  meta: { name: "token", description: "Issue, list and revoke device tokens" },
  subCommands: { create, list, revoke },
});
