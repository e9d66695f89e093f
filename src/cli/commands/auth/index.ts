import { defineCommand } from "../../command.ts";

export default defineCommand({
  meta: { name: "auth", description: "Sign this device in to a hub through OIDC" },
  subCommands: {
    login: () => import("./login.ts").then((m) => m.default),
  },
});
