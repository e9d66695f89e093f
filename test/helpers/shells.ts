/**
 * Drives the real bash, zsh and fish against a generated completion script and returns what
 * each offered for one command line. Every run has a deadline; a shell that is not installed
 * fails the test with the command that installs it (never a skip).
 */
import { join } from "node:path";

export type Shell = "bash" | "zsh" | "fish";

export interface Offered {
  /** As the shell would insert it (bash and zsh escape spaces: `Meeting\ notes`). */
  raw: string;
  /** With backslash escapes undone. */
  value: string;
  /** What the shell shows beside it (zsh, fish); "" where it shows none (bash). */
  description: string;
}

const RUN_TIMEOUT_MS = 20_000;
const BASH_DRIVER = join(import.meta.dir, "bash-complete.sh");
const ZSH_CAPTURE = join(import.meta.dir, "zsh-capture.zsh");

/** The shell's path, or an error naming the fix. */
export function requireShell(shell: Shell): string {
  const path = Bun.which(shell);
  if (!path)
    throw new Error(
      `${shell} is not installed; the completion tests run the real shell: apt-get install -y --no-install-recommends bash zsh fish`,
    );
  return path;
}

async function run(command: string[], env: Record<string, string>): Promise<string> {
  const child = Bun.spawn(command, {
    env,
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
    timeout: RUN_TIMEOUT_MS,
    killSignal: "SIGKILL",
  });
  const [stdout, stderr, exitCode] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  if (child.signalCode)
    throw new Error(
      `${command[0]} was killed (${child.signalCode}) after ${RUN_TIMEOUT_MS} ms: ${stderr}`,
    );
  if (exitCode !== 0) throw new Error(`${command.join(" ")} exited ${exitCode}: ${stderr}`);
  return stdout;
}

const undoEscapes = (text: string) => text.replace(/\\(.)/g, "$1");

/** bash: see bash-complete.sh. */
async function bash(script: string, words: string[], env: Record<string, string>) {
  const out = await run(
    [requireShell("bash"), "--norc", "--noprofile", BASH_DRIVER, script, ...words],
    env,
  );
  return out
    .split("\n")
    .filter(Boolean)
    .map((raw) => ({ raw, value: undoEscapes(raw), description: "" }));
}

/** zsh: see zsh-capture.zsh; `script` is the `_heph` file in an $fpath directory. */
async function zsh(script: string, line: string, env: Record<string, string>) {
  const dir = script.slice(0, script.lastIndexOf("/"));
  const out = await run([requireShell("zsh"), "-f", ZSH_CAPTURE, "fpath", dir, line], env);
  return out
    .split("\n")
    .filter((l) => l.startsWith("<hit>"))
    .map((l) => {
      const [raw = "", display = ""] = l.slice("<hit>".length).split("<desc>");
      // _describe shows "value  -- description"; other matches show the value alone.
      const description = display.includes(" -- ")
        ? display.slice(display.indexOf(" -- ") + 4)
        : "";
      return { raw, value: undoEscapes(raw), description };
    })
    .filter((offered) => offered.raw !== ""); // _describe's separator lines
}

/** fish: `complete -C LINE` prints each candidate as `value<TAB>description`. */
async function fish(script: string, line: string, env: Record<string, string>) {
  const driver = "source $argv[1]; and complete -C $argv[2]";
  const out = await run([requireShell("fish"), "--no-config", "-c", driver, script, line], env);
  return out
    .split("\n")
    .filter(Boolean)
    .map((l) => {
      const [raw = "", description = ""] = l.split("\t");
      return { raw, value: raw, description };
    });
}

/**
 * What `shell` offers at the end of `line`. bash gets the line as words split at spaces (a
 * trailing space: an empty word to complete), as COMP_WORDS holds them; `bashWords` overrides
 * that, e.g. for bash's split of `--flag=` into `--flag`, `=`.
 */
export function completeWith(
  shell: Shell,
  script: string,
  line: string,
  env: Record<string, string>,
  bashWords?: string[],
): Promise<Offered[]> {
  if (shell === "bash") return bash(script, bashWords ?? line.split(" "), env);
  if (shell === "zsh") return zsh(script, line, env);
  return fish(script, line, env);
}
