/** Source text to heph's field rules: one-line titles, labels, timestamps. Pure. */
import { Label } from "../protocol/schemas.ts";

const TITLE_MAX = 1000;

/**
 * A title from text that may be long or span lines: the first non-empty line, cut to 1000
 * characters (never inside a surrogate pair). When that loses anything, the whole text is the
 * body, so nothing is lost.
 */
export function titleAndBody(text: string, fallback: string): { title: string; body: string } {
  const lines = text.split(/\r?\n/);
  const first = lines.find((line) => line.trim() !== "")?.trim() ?? "";
  let title = first;
  if (title.length > TITLE_MAX) {
    title = title.slice(0, TITLE_MAX);
    if (/[\ud800-\udbff]$/.test(title)) title = title.slice(0, -1);
  }
  if (title === "") return { title: fallback, body: text.trim() === "" ? "" : text };
  const whole = text.trim();
  return { title, body: whole === title ? "" : `${whole}\n` };
}

/** Labels that heph accepts (one line, 1–200 characters), trimmed, the rest dropped. */
export function labels(values: readonly string[]): string[] {
  return values.flatMap((value) => {
    const parsed = Label.safeParse(value);
    return parsed.success ? [parsed.data] : [];
  });
}

/** A path part as a project name: one line, 1–1000 characters. */
export function projectName(text: string): string {
  return text.replace(/\s+/g, " ").trim().slice(0, TITLE_MAX);
}

/** An ISO 8601 instant as heph writes timestamps (UTC, milliseconds), or undefined. */
export function isoTimestamp(ms: number): string | undefined {
  return Number.isFinite(ms) && ms >= 0 && ms < 253402300800000
    ? new Date(ms).toISOString()
    : undefined;
}
