import { ServiceError } from "./manager.ts";
import { LAUNCHD_LABEL, type ServiceSpec } from "./spec.ts";

/**
 * The LaunchAgent plist for hephd. Hand-written XML rather than a plist library: the file is
 * small, and writing it ourselves keeps the bytes stable, so `start` can tell "unchanged" by
 * comparing text.
 */
export function renderLaunchdPlist(spec: ServiceSpec): string {
  const environment = Object.keys(spec.environment)
    .sort()
    .flatMap((name) => [key(name, 2), string(spec.environment[name] ?? "", 2)]);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    "<dict>",
    key("Label", 1),
    string(LAUNCHD_LABEL, 1),
    key("ProgramArguments", 1),
    "\t<array>",
    ...spec.program.map((argument) => string(argument, 2)),
    "\t</array>",
    key("EnvironmentVariables", 1),
    "\t<dict>",
    ...environment,
    "\t</dict>",
    key("RunAtLoad", 1),
    "\t<true/>",
    // Plain KeepAlive (BRIEF §8): launchd respawns hephd whenever it exits, even cleanly, while
    // it is loaded. `heph daemon stop` boots the job out, so that never fights a deliberate stop.
    key("KeepAlive", 1),
    "\t<true/>",
    // launchd opens these before exec, so a daemon that dies early still leaves its words here.
    key("StandardOutPath", 1),
    string(spec.paths.log, 1),
    key("StandardErrorPath", 1),
    string(spec.paths.log, 1),
    "</dict>",
    "</plist>",
  ];
  return `${lines.join("\n")}\n`;
}

function key(name: string, depth: number): string {
  return `${"\t".repeat(depth)}<key>${escapeXml(name)}</key>`;
}

function string(value: string, depth: number): string {
  return `${"\t".repeat(depth)}<string>${escapeXml(value)}</string>`;
}

// XML 1.0 cannot carry most control characters at all, not even as &#N; references.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly what we look for
const FORBIDDEN_IN_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;

export function escapeXml(value: string): string {
  if (FORBIDDEN_IN_XML.test(value)) {
    throw new ServiceError(
      `Cannot write ${JSON.stringify(value)} into a launchd plist: it holds a control character that XML cannot represent.`,
    );
  }
  return (
    value
      .replaceAll("&", "&amp;")
      .replaceAll("<", "&lt;")
      .replaceAll(">", "&gt;")
      .replaceAll('"', "&quot;")
      .replaceAll("'", "&apos;")
      // A raw CR would be read back as LF (XML line-end normalisation); a reference survives.
      .replaceAll("\r", "&#13;")
  );
}

export function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_, entity: string) => {
    if (entity.startsWith("#x")) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith("#")) return String.fromCodePoint(Number.parseInt(entity.slice(1), 10));
    return { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" }[entity] ?? "";
  });
}

/**
 * ProgramArguments read back from an installed plist, or null when there is none. Written for
 * the plists we render (and Apple's own XML writer, which has the same shape), not for any
 * plist: a binary plist or a hand-edited oddity gives null, which `status` shows as unknown.
 */
export function parseProgramArguments(plist: string): string[] | null {
  const array = /<key>ProgramArguments<\/key>\s*<array>([\s\S]*?)<\/array>/.exec(plist);
  if (!array) return null;
  const body = array[1] ?? "";
  const items = [...body.matchAll(/<string>([\s\S]*?)<\/string>|<string\s*\/>/g)];
  return items.map((item) => unescapeXml(item[1] ?? ""));
}
