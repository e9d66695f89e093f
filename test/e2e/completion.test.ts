/**
 * `heph completion bash|zsh|fish` against the real shells, with dist/heph on PATH.
 *
 * How each shell is driven (test/helpers/shells.ts):
 * - bash: source the script, set COMP_WORDS, COMP_CWORD, COMP_LINE and COMP_POINT, call the
 *   function `complete -p heph` registered, print COMPREPLY.
 * - zsh: the script is `_heph` in a directory put on $fpath before `compinit`, as a user
 *   installs it; an interactive zsh on a pseudo-terminal (zsh/zpty) gets the line and a TAB,
 *   and a wrapped compadd prints every match the completion system adds
 *   (test/helpers/zsh-capture.zsh), between markers the reader waits for.
 * - fish: source the script, then `complete -C LINE`.
 * Dynamic candidates come from a real daemon on temp paths; a second environment points at a
 * socket nobody listens on.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  type BinaryDaemon,
  ensureBinary,
  hephBinary,
  runHeph,
  startBinaryDaemon,
} from "../helpers/binary.ts";
import { completeWith, type Offered, requireShell, type Shell } from "../helpers/shells.ts";
import { tempDir } from "../helpers/tmp.ts";

const SHELLS: Shell[] = ["bash", "zsh", "fish"];
const scriptDir = tempDir("heph-compl-");
const scripts: Record<Shell, string> = {
  bash: join(scriptDir.path, "heph.bash"),
  zsh: join(scriptDir.path, "_heph"),
  fish: join(scriptDir.path, "heph.fish"),
};
let daemon: BinaryDaemon;
/** With the daemon: dist/ first on PATH, so the scripts' `heph __complete` is this build. */
let env: Record<string, string>;
/** The same, but the socket is a path nothing listens on. */
let noDaemon: Record<string, string>;
const ids = { rent: "", plants: "", closed: "" };

async function heph(args: string[], withEnv = env) {
  const result = await runHeph(args, withEnv);
  if (result.exitCode !== 0) throw new Error(`heph ${args.join(" ")}: ${result.stderr}`);
  return result.stdout;
}
const taskId = async (args: string[]) =>
  (JSON.parse(await heph([...args, "--json"])) as { id: string }).id;

beforeAll(async () => {
  for (const shell of SHELLS) requireShell(shell);
  ensureBinary();
  daemon = await startBinaryDaemon();
  const path = `${join(hephBinary, "..")}:${daemon.env.PATH}`;
  env = { ...daemon.env, PATH: path };
  noDaemon = { ...env, HEPH_SOCKET: join(daemon.paths.dir, "nobody.sock") };
  for (const shell of SHELLS) writeFileSync(scripts[shell], await heph(["completion", shell]));
  ids.rent = await taskId(["add", "Pay rent tomorrow"]);
  ids.plants = await taskId(["task", "Water the plants", "--project", "Garden"]);
  ids.closed = await taskId(["task", "Old chore", "--project", "Home"]);
  await heph(["done", ids.closed]);
  await heph(["doc", "new", "Meeting notes", "--body", "Plans for #planning"]);
  await heph(["doc", "new", "Meal plan"]);
  await heph(["tag", "add", "Meal plan", "food"]);
});

afterAll(async () => {
  await daemon?.stop();
  scriptDir.cleanup();
});

const values = (offered: Offered[]) => offered.map((o) => o.value).sort();
const complete = (shell: Shell, line: string, bashWords?: string[], withEnv = env) =>
  completeWith(shell, scripts[shell], line, withEnv, bashWords);

describe("heph completion", () => {
  test("prints each script, valid for its shell's parser", async () => {
    for (const [shell, check] of [
      ["bash", ["bash", "-n"]],
      ["zsh", ["zsh", "-n"]],
      ["fish", ["fish", "-n"]],
    ] as const) {
      const run = Bun.spawnSync([...check, scripts[shell]], { env, timeout: 20_000 });
      expect({ shell, exit: run.exitCode, stderr: run.stderr.toString() }).toEqual({
        shell,
        exit: 0,
        stderr: "",
      });
    }
  });

  test("an unknown shell is a usage error naming the shells", async () => {
    const result = await runHeph(["completion", "tcsh"], env);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain('Unknown shell "tcsh": heph completes bash, zsh, fish.');
  });

  test("the hidden helper is not in --help, and not offered as a command", async () => {
    expect(await heph(["--help"])).not.toContain("__complete");
    expect(await heph(["--help"])).toContain("completion");
    for (const shell of SHELLS) expect(values(await complete(shell, "heph __c"))).toEqual([]);
  });
});

describe.each(SHELLS)("%s", (shell) => {
  test("top-level commands", async () => {
    const offered = values(await complete(shell, "heph "));
    for (const name of ["add", "next", "done", "daemon", "project", "doc", "tag", "completion"])
      expect(offered).toContain(name);
    expect(offered).not.toContain("__complete");
  });

  test("a command group's sub-commands", async () => {
    expect(values(await complete(shell, "heph daemon "))).toEqual(
      ["print", "restart", "start", "status", "stop", "uninstall"].sort(),
    );
    expect(values(await complete(shell, "heph tag "))).toEqual(["add", "rm"]);
  });

  test("a command's flags", async () => {
    const offered = values(await complete(shell, "heph next --"));
    for (const flag of ["--limit", "--explain", "--json", "--socket", "--help"])
      expect(offered).toContain(flag);
    expect(offered).not.toContain("--project");
  });

  test("fixed values: colours, comma lists, view names, shells", async () => {
    const colours = ["blue", "orange", "red", "white"];
    expect(values(await complete(shell, "heph attention 01ABCDEF "))).toEqual(colours);
    expect(values(await complete(shell, "heph list --attention "))).toEqual(colours);
    expect(values(await complete(shell, "heph view "))).toEqual(
      ["inbox", "late", "ondeck", "today", "upcoming"].sort(),
    );
    expect(values(await complete(shell, "heph completion "))).toEqual(["bash", "fish", "zsh"]);
    // After a comma, the rest of the list (zsh's _values offers the items alone).
    const rest = values(
      await complete(shell, "heph list --state=done,", ["heph", "list", "--state", "=", "done,"]),
    ).map((v) => v.replace(/^(--state=)?done,/, ""));
    expect(rest).toEqual(["dropped", "outstanding"]);
  });

  test("task ids from the daemon, with their titles where the shell shows descriptions", async () => {
    const offered = await complete(shell, "heph done ");
    expect(values(offered)).toEqual([ids.rent, ids.plants].sort());
    if (shell !== "bash")
      expect(offered.find((o) => o.value === ids.plants)?.description).toContain(
        "Water the plants",
      );
    // An id prefix narrows to its task; reopen offers the closed ones.
    expect(values(await complete(shell, `heph show ${ids.rent.slice(0, 24)}`))).toEqual([ids.rent]);
    expect(values(await complete(shell, "heph reopen "))).toEqual([ids.closed]);
  });

  test("project names, note titles and tags from the daemon", async () => {
    expect(values(await complete(shell, "heph list --project "))).toEqual(["Garden", "Home"]);
    expect(
      values(
        await complete(shell, "heph task x --project=Ga", [
          "heph",
          "task",
          "x",
          "--project",
          "=",
          "Ga",
        ]),
      ).map((v) => v.replace(/^--project=/, "")),
    ).toEqual(["Garden"]);
    const notes = await complete(shell, "heph doc show Me");
    expect(values(notes)).toEqual(["Meal plan", "Meeting notes"]);
    // A title with a space is inserted as one word.
    if (shell !== "fish") expect(notes.map((o) => o.raw)).toContain("Meeting\\ notes");
    expect(values(await complete(shell, "heph tag rm Meal "))).toEqual(["food", "planning"]);
  });

  test("with no daemon: dynamic values are empty, the rest still completes", async () => {
    expect(await complete(shell, "heph done ", undefined, noDaemon)).toEqual([]);
    expect(values(await complete(shell, "heph daemon ", undefined, noDaemon))).toContain("status");
    expect(values(await complete(shell, "heph view ", undefined, noDaemon))).toContain("inbox");
  });
});

describe("heph __complete", () => {
  test("prints value<TAB>description lines", async () => {
    expect(await heph(["__complete", "project", "--", "G"])).toBe("Garden\t1 outstanding\n");
    expect(await heph(["__complete", "note", "--", "meet"])).toBe("Meeting notes\tdoc\n");
  });

  test("is silent, exit 0, when no daemon runs", async () => {
    for (const source of ["task", "project", "tag", "note", "node", "closed-task"]) {
      const result = await runHeph(["__complete", source, "--", ""], noDaemon);
      expect(result).toEqual({ exitCode: 0, stdout: "", stderr: "" });
    }
  });
});
