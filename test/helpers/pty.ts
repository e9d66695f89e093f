/**
 * Runs a command with its stdout and stderr on a pseudo-terminal, as in a terminal emulator,
 * through python3's pty module (.ci/run installs python3). Returns what the terminal showed.
 */
import { runCommand } from "./binary.ts";

const PTY_RUNNER = `
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execvpe(sys.argv[1], sys.argv[1:], os.environ)
chunks = []
while True:
    try:
        data = os.read(fd, 65536)
    except OSError:
        break
    if not data:
        break
    chunks.append(data)
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(b"".join(chunks))
sys.exit(os.waitstatus_to_exitcode(status))
`;

export async function runOnTerminal(
  command: string[],
  env: Record<string, string>,
): Promise<{ exitCode: number; output: string }> {
  const { exitCode, stdout, stderr } = await runCommand(
    ["python3", "-c", PTY_RUNNER, ...command],
    env,
  );
  if (stderr.includes("Traceback")) throw new Error(`the pty runner failed: ${stderr}`);
  return { exitCode, output: stdout };
}
