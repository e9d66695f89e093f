import type { Clock } from "../../src/core/clock.ts";
import { type DaemonHandle, startDaemon } from "../../src/daemon/run.ts";
import { tempPaths } from "./tmp.ts";

export interface TestDaemon {
  daemon: DaemonHandle;
  paths: ReturnType<typeof tempPaths>;
  stop(): Promise<void>;
}

/** A real daemon in this process: real store file, real socket, on temp paths. */
export async function startTestDaemon(clock?: Clock, timeZone = "UTC"): Promise<TestDaemon> {
  const paths = tempPaths();
  const daemon = await startDaemon(
    { db: paths.db, socket: paths.socket, log: paths.log, timeZone },
    clock,
  );
  return {
    daemon,
    paths,
    stop: async () => {
      await daemon.stop("test");
      paths.cleanup();
    },
  };
}

/** A clock the test moves by hand. */
export function manualClock(start: string): Clock & { set(iso: string): void } {
  let now = new Date(start);
  const clock = (() => new Date(now)) as Clock & { set(iso: string): void };
  clock.set = (iso: string) => {
    now = new Date(iso);
  };
  return clock;
}
