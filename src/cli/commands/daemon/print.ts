import { defineCommand } from "../../command.ts";
import { daemonContext } from "../../daemon-support.ts";
import { printRaw } from "../../output.ts";

export default defineCommand({
  meta: { name: "print", description: "Print the service file `heph daemon start` would write" },
  args: {
    manager: {
      type: "enum",
      options: ["systemd", "launchd"],
      description: "Which manager's file (default: this OS's)",
    },
  },
  async run({ args }) {
    const manager = args.manager as "systemd" | "launchd" | undefined;
    const context = await daemonContext(
      manager ?? (process.platform === "darwin" ? "launchd" : "systemd"),
    );
    // A manager was named, so there is always a driver to render with.
    await printRaw(context.manager?.render(context.spec) ?? "");
  },
});
