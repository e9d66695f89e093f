import { z } from "zod";
import { defineCommand } from "../../command.ts";

// The daemon verbs check the daemon's replies against their schemas; a run parses only a few,
// so compiling zod's fast paths would cost more than it saves.
z.config({ jitless: true });

export default defineCommand({
  meta: { name: "daemon", description: "Install, start, stop and inspect hephd as a user service" },
  subCommands: {
    start: () => import("./start.ts").then((m) => m.default),
    status: () => import("./status.ts").then((m) => m.default),
    restart: () => import("./restart.ts").then((m) => m.default),
    stop: () => import("./stop.ts").then((m) => m.default),
    uninstall: () => import("./uninstall.ts").then((m) => m.default),
    print: () => import("./print.ts").then((m) => m.default),
  },
});
