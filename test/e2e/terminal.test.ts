/**
 * What a person at a terminal sees from the compiled binary: colour only on a terminal, date
 * chips by the daemon's today, output that survives a reader going away, and stdout that holds
 * exactly what was printed.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type BinaryDaemon, hephBinary, runHeph, startBinaryDaemon } from "../helpers/binary.ts";
import { runOnTerminal } from "../helpers/pty.ts";

const ESC = "\u001b[";
let daemon: BinaryDaemon;

// Kiritimati is UTC+14 and Etc/GMT+12 is UTC−12: 26 hours apart, so their dates always differ.
const DAEMON_ZONE = "Pacific/Kiritimati";
const TERMINAL_ZONE = "Etc/GMT+12";

beforeAll(async () => {
  daemon = await startBinaryDaemon({ TZ: DAEMON_ZONE });
});
afterAll(() => daemon.stop());

const heph = (args: string[], extra: Record<string, string> = {}) =>
  runHeph(args, { ...daemon.env, TZ: TERMINAL_ZONE, ...extra });

describe("colour", () => {
  test("on a terminal the task table is coloured; NO_COLOR or a pipe gets plain text", async () => {
    expect((await heph(["add", "Renew passport p1 #Admin"])).exitCode).toBe(0);
    const { NO_COLOR: _, ...colourable } = daemon.env;
    const onTerminal = await runOnTerminal([hephBinary, "next"], colourable);
    expect(onTerminal.exitCode).toBe(0);
    expect(onTerminal.output).toContain("Renew passport");
    expect(onTerminal.output).toContain(`${ESC}31m●`); // red attention mark
    expect(onTerminal.output).toContain(`${ESC}36m#Admin`);

    const noColour = await runOnTerminal([hephBinary, "next"], { ...colourable, NO_COLOR: "1" });
    expect(noColour.output).toContain("Renew passport");
    expect(noColour.output).not.toContain(ESC);

    const piped = await runHeph(["next"], colourable);
    expect(piped.stdout).toContain("Renew passport");
    expect(piped.stdout).not.toContain(ESC);
  });

  test("usage text is coloured on a terminal only; error lines are always plain", async () => {
    const { NO_COLOR: _, ...colourable } = daemon.env;
    expect((await runOnTerminal([hephBinary, "--help"], colourable)).output).toContain(ESC);
    const pipedHelp = await runHeph(["--help"], colourable);
    expect(pipedHelp.stdout).toContain("USAGE");
    expect(pipedHelp.stdout).not.toContain(ESC);

    const onTerminal = await runOnTerminal([hephBinary, "next", "--limit", "0"], colourable);
    expect(onTerminal.exitCode).toBe(2);
    expect(onTerminal.output).toContain("[error] --limit takes a whole number");
    expect(onTerminal.output).not.toContain(ESC);
    const piped = await runHeph(["next", "--limit", "0"], colourable);
    expect(piped.stdout).toBe("");
    expect(piped.stderr).toContain("[error] --limit takes a whole number");
  });
});

describe("date chips use the daemon's today", () => {
  test("a task added for today shows `do today` even where the terminal's date differs", async () => {
    const info = await heph(["health", "--json"]);
    const { today, time_zone } = JSON.parse(info.stdout) as { today: string; time_zone: string };
    expect(time_zone).toBe(DAEMON_ZONE);
    const terminalToday = new Intl.DateTimeFormat("en-CA", { timeZone: TERMINAL_ZONE }).format(
      new Date(),
    );
    expect(terminalToday).not.toBe(today); // the premise: the two calendars disagree now

    const added = await heph(["add", "Water the plants today"]);
    expect(added.stdout).toContain("do today");
    const task = JSON.parse((await heph(["next", "--json"])).stdout).find(
      (t: { title: string }) => t.title === "Water the plants",
    );
    expect(task.do_date).toBe(today);
    expect((await heph(["next"])).stdout).toMatch(/Water the plants\s+do today/);
  });
});

describe("output", () => {
  test("a large body reaches stdout whole, and a reader that stops early is no failure", async () => {
    const body = `${"x".repeat(99)}\n`.repeat(3000); // 300 KB: more than a pipe holds
    const created = Bun.spawnSync([hephBinary, "doc", "new", "Big note", "--body", "-", "--json"], {
      env: daemon.env,
      stdin: new TextEncoder().encode(body),
    });
    expect(created.exitCode).toBe(0);
    const id = JSON.parse(created.stdout.toString()).id as string;

    const whole = await heph(["doc", "show", id, "--frontmatter"]);
    expect(whole.exitCode).toBe(0);
    expect(whole.stdout).toBe(`---\ntitle: Big note\naliases: []\ntags: []\n---\n${body}`);
    const shown = await heph(["doc", "show", id]);
    expect(shown.stdout.endsWith(`\n${body}`)).toBe(true);

    for (const args of [["--frontmatter"], []]) {
      const early = Bun.spawnSync(
        [
          "bash",
          "-c",
          `"$0" doc show "$1" ${args.join(" ")} | head -c 10 >/dev/null; echo "\${PIPESTATUS[0]}"`,
          hephBinary,
          id,
        ],
        { env: daemon.env },
      );
      expect(early.stdout.toString().trim()).toBe("0");
      expect(early.stderr.toString()).toBe("");
    }
  });
});
