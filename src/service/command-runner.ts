/** Running the service manager's own tools (systemctl, launchctl). Injected, so tests can script answers. */

export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export type CommandRunner = (argv: readonly string[]) => Promise<CommandResult>;

/** Runs a real command; a missing executable is exit code 127, like a shell says. */
export const runCommand: CommandRunner = async (argv) => {
  try {
    const child = Bun.spawn([...argv], { stdin: "ignore", stdout: "pipe", stderr: "pipe" });
    const [stdout, stderr, exitCode] = await Promise.all([
      new Response(child.stdout).text(),
      new Response(child.stderr).text(),
      child.exited,
    ]);
    return { exitCode, stdout, stderr };
  } catch (error) {
    return { exitCode: 127, stdout: "", stderr: `${argv[0]}: ${(error as Error).message}` };
  }
};

/** One line for error messages: the command and what it said. */
export function describeFailure(argv: readonly string[], result: CommandResult): string {
  const said = (result.stderr || result.stdout).trim().split("\n").slice(-3).join(" / ");
  return `\`${argv.join(" ")}\` exited ${result.exitCode}${said ? `: ${said}` : ""}`;
}
