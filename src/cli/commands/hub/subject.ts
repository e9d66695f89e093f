/** `heph hub subject revoke SUB`: refuse an OIDC subject's tokens issued until now. */
import { jsonArg, socketArg } from "../../args.ts";
import { defineCommand } from "../../command.ts";
import { printJson, printLine } from "../../output.ts";
import { withClient } from "../../session.ts";

const revoke = defineCommand({
  meta: {
    name: "revoke",
    description: "Refuse every OIDC token of a subject (its sub claim) issued until now",
  },
  args: {
    subject: { type: "positional", description: "The subject (sub claim)", required: true },
    ...jsonArg,
    ...socketArg,
  },
  async run({ args }) {
    const result = await withClient(args, (client) =>
      client.call("hub.subject.revoke", { subject: args.subject as string }),
    );
    if (args.json) return printJson(result);
    printLine(
      `Revoked ${result.subject}: its tokens issued until ${result.revoked_at} are refused.`,
    );
  },
});

export default defineCommand({
  meta: { name: "subject", description: "OIDC subjects on a hub started with --oidc-issuer" },
  subCommands: { revoke },
});
