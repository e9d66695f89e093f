/** `heph auth login`: an OIDC device login whose access token a spoke sends to its hub. */
import { join, resolve } from "node:path";
import { UsageError } from "../../../errors.ts";
import { configHome } from "../../../paths.ts";
import { deviceLogin } from "../../../sync/device-login.ts";
import { saveToken } from "../../../sync/token-source.ts";
import { jsonArg } from "../../args.ts";
import { defineCommand } from "../../command.ts";
import { printJson, printLine } from "../../output.ts";

/** `$XDG_CONFIG_HOME/heph/hub-token`, else `~/.config/heph/hub-token`. */
function defaultTokenFile(): string {
  return join(configHome(), "heph", "hub-token");
}

export default defineCommand({
  meta: {
    name: "login",
    description: "Sign in with your identity provider (device code) and save the hub token",
  },
  args: {
    issuer: {
      type: "string",
      description: "The OIDC issuer URL the hub trusts (--oidc-issuer)",
      required: true,
    },
    "client-id": {
      type: "string",
      description: "This app's client id at the issuer",
      required: true,
    },
    audience: {
      type: "string",
      description: "The hub's audience (--oidc-audience), if the issuer needs it asked for",
    },
    scope: { type: "string", description: "Scopes to ask for", default: "openid offline_access" },
    "token-file": {
      type: "string",
      description: "Where to save the token (default: <config dir>/heph/hub-token)",
      valueHint: "path",
    },
    ...jsonArg,
  },
  async run({ args }) {
    const issuer = args.issuer as string | undefined;
    if (!issuer)
      throw new UsageError(
        "Give the issuer the hub trusts: --issuer URL (the hub's --oidc-issuer).",
      );
    if (!args["client-id"])
      throw new UsageError("Give this app's client id at the issuer: --client-id ID.");
    try {
      new URL(issuer);
    } catch {
      throw new UsageError(
        `--issuer ${JSON.stringify(issuer)} is not a URL: e.g. https://id.example.com.`,
      );
    }
    const file = resolve((args["token-file"] as string | undefined) ?? defaultTokenFile());
    const result = await deviceLogin({
      issuer,
      clientId: args["client-id"] as string,
      audience: args.audience as string | undefined,
      scope: args.scope as string,
      prompt: (code) => {
        process.stderr.write(
          `To sign in, open ${code.verification_uri} and enter the code ${code.user_code}${code.complete ? `\n(or open ${code.complete})` : ""}\nWaiting…\n`,
        );
      },
    });
    saveToken(
      file,
      result.access_token,
      result.refresh_token
        ? {
            issuer,
            client_id: args["client-id"] as string,
            token_endpoint: result.token_endpoint,
            refresh_token: result.refresh_token,
          }
        : null,
    );
    if (args.json)
      return printJson({ token_file: file, refreshable: result.refresh_token !== undefined });
    printLine(
      `Signed in. The hub token is in ${file}${result.refresh_token ? " (refreshed by the daemon when it expires)" : ""}.`,
    );
    printLine(`Use it: heph daemon start --hub-url <hub URL> --hub-token-file ${file}`);
  },
});
