import { defineCommand } from "citty";

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
