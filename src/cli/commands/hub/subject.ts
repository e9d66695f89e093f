/** `heph hub subject revoke|allow SUB`: refuse an OIDC subject's tokens, or let it in again. */
import { jsonArg, socketArg } from "../../args.ts";
import { defineCommand } from "../../command.ts";
import { printJson, printLine } from "../../output.ts";
import { withClient } from "../../session.ts";

/** The subject argument, and where to send the request: the same for both verbs. */
const subjectArgs = {
  subject: { type: "positional", description: "The subject (sub claim)", required: true },
  ...jsonArg,
  ...socketArg,
} as const;

const revoke = defineCommand({
  meta: {
    name: "revoke",
    description: "Refuse every OIDC token of a subject (its sub claim) from now on, until allowed",
  },
  args: subjectArgs,
  async run({ args }) {
    const result = await withClient(args, (client) =>
      client.call("hub.subject.revoke", { subject: args.subject as string }),
    );
    if (args.json) return printJson(result);
    printLine(
      `Revoked ${result.subject} at ${result.revoked_at}: its tokens are refused, old or new, until \`heph hub subject allow ${result.subject}\`.`,
    );
  },
});

const allow = defineCommand({
  meta: { name: "allow", description: "Let a revoked subject in again" },
  args: subjectArgs,
  async run({ args }) {
    const result = await withClient(args, (client) =>
      client.call("hub.subject.allow", { subject: args.subject as string }),
    );
    if (args.json) return printJson(result);
    printLine(
      result.allowed
        ? `Allowed ${result.subject} again.`
        : `${result.subject} was not revoked; nothing to do.`,
    );
  },
});

export default defineCommand({
  meta: { name: "subject", description: "OIDC subjects on a hub started with --oidc-issuer" },
  subCommands: { revoke, allow },
});
