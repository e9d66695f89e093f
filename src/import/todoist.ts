/** `heph import todoist FILE`: which of Todoist's two export formats a file is, and its items. */
import type { LocalDate } from "../core/task-types.ts";
import { decodeUtf8, type Input, MAX_RECORD_DEPTH, tooDeep } from "./input.ts";
import type { ImporterOutput } from "./run.ts";
import { mapTodoistCsv } from "./todoist-csv.ts";
import { isTodoistBackup, mapTodoistJson } from "./todoist-json.ts";

export function readTodoist(
  input: Input,
  options: { today: LocalDate; timeZone: string; fileTime: string },
): ImporterOutput {
  const fail = (reason: string): ImporterOutput => ({
    items: [],
    problems: [{ where: input.name, reason }],
    notes: [],
  });
  const text = decodeUtf8(input.bytes);
  if (text === undefined) return fail("not valid UTF-8 (Todoist exports are UTF-8)");
  if (/^\uFEFF?\s*[{[]/.test(text)) {
    if (tooDeep(text)) return fail(`nested deeper than ${MAX_RECORD_DEPTH} levels`);
    let value: unknown;
    try {
      value = JSON.parse(text.replace(/^\uFEFF/, ""));
    } catch (error) {
      return fail(`not JSON: ${(error as Error).message}`);
    }
    if (!isTodoistBackup(value))
      return fail("not a Todoist backup: expected an object with items and projects");
    return mapTodoistJson(value, {
      name: input.name,
      today: options.today,
      timeZone: options.timeZone,
    });
  }
  return mapTodoistCsv(text, {
    fileName: input.name,
    today: options.today,
    fileTime: options.fileTime,
  });
}
