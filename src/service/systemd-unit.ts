import type { ServiceSpec } from "./spec.ts";

/**
 * Quotes one ExecStart word (systemd.syntax(7), systemd.service(5)): double quotes around words
 * with spaces or quotes, backslash and quote escaped, `%` doubled (specifiers) and `$` doubled
 * (variable expansion), so the daemon gets exactly the bytes we meant.
 */
export function quoteExecArg(arg: string): string {
  const escaped = arg
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"')
    .replace(/%/g, "%%")
    .replace(/\$/g, "$$$$");
  return arg === "" || /[\s"'\\;]/.test(arg) ? `"${escaped}"` : escaped;
}

/** `Environment="KEY=value"`: specifiers expand here too, variables do not. */
function environmentLine(key: string, value: string): string {
  const escaped = `${key}=${value}`.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/%/g, "%%");
  return `Environment="${escaped}"`;
}

/** The heph.service user unit. Same spec in, same bytes out, so "changed?" is a string compare. */
export function renderSystemdUnit(spec: ServiceSpec): string {
  const log = spec.paths.log.replace(/%/g, "%%");
  const environment = Object.keys(spec.environment)
    .sort()
    .map((key) => environmentLine(key, spec.environment[key] as string));
  return [
    "# Written by `heph daemon start`; `heph daemon restart` rewrites it, `heph daemon uninstall` removes it.",
    "[Unit]",
    "Description=heph daemon (hephd): the store behind heph and its editor plugins",
    // At most 5 starts in 60 s: a daemon that cannot start stops being retried and shows as failed.
    "StartLimitIntervalSec=60",
    "StartLimitBurst=5",
    "",
    "[Service]",
    // exec: `start` fails visibly when the binary is missing, instead of reporting success.
    "Type=exec",
    `ExecStart=${spec.program.map(quoteExecArg).join(" ")}`,
    ...environment,
    "Restart=on-failure",
    "RestartSec=1",
    "UMask=0077",
    `StandardOutput=append:${log}`,
    `StandardError=append:${log}`,
    "TimeoutStopSec=15",
    "",
    "[Install]",
    "WantedBy=default.target",
    "",
  ].join("\n");
}

/** Reads ExecStart back out of a unit we wrote: the program the installed service runs. */
export function parseExecStart(unit: string): string[] | null {
  const line = unit.split("\n").find((l) => l.startsWith("ExecStart="));
  if (!line) return null;
  const text = line.slice("ExecStart=".length);
  const words: string[] = [];
  let index = 0;
  while (index < text.length) {
    while (text[index] === " ") index++;
    if (index >= text.length) break;
    let word = "";
    const quoted = text[index] === '"';
    if (quoted) index++;
    while (index < text.length) {
      const char = text[index] as string;
      if (quoted && char === '"') {
        index++;
        break;
      }
      if (!quoted && char === " ") break;
      if (char === "\\" && index + 1 < text.length) {
        word += text[index + 1];
        index += 2;
        continue;
      }
      if ((char === "%" || char === "$") && text[index + 1] === char) {
        word += char;
        index += 2;
        continue;
      }
      word += char;
      index++;
    }
    words.push(word);
  }
  return words;
}
