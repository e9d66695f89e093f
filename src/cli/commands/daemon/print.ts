import { defineCommand } from "../../command.ts";
import { daemonContext, daemonFlags, syncArgs } from "../../daemon-support.ts";
import { printRaw } from "../../output.ts";

export default defineCommand({
  meta: {
    name: "print",
    description: "Print the service file `heph daemon start` would write",
  },
  args: {
    manager: {
      type: "enum",
      options: ["systemd", "launchd"],
      description: "Which manager's file (default: this OS's)",
    },
    ...syncArgs,
  },
  async run({ args }) {
    const manager = args.manager as "systemd" | "launchd" | undefined;
    // Prints only: flags given are checked but not saved; saved ones are shown as they are.
    const { flags } = daemonFlags(args, { checkSaved: false });
    const context = await daemonContext(
      manager ?? (process.platform === "darwin" ? "launchd" : "systemd"),
      flags,
    );
    // A manager was named, so there is always a driver to render with.
    await printRaw(context.manager?.render(context.spec) ?? "");
  },
});
