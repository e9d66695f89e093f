/** Flags shared by the task commands, spelled as the reference documents them. */
import { ATTENTIONS } from "../core/task-types.ts";
import { UsageError } from "../errors.ts";
import type { CompletionHint, HintedArgsDef } from "./completion/hint.ts";

export const scheduleArgs = {
  project: {
    type: "string",
    description: "Project name or id (an unknown name creates it)",
    valueHint: "name",
    complete: { dynamic: "project" } satisfies CompletionHint,
  },
  do: {
    type: "string",
    description: "Do-date: YYYY-MM-DD, today, tomorrow, friday, +3d, 'dec 24'",
    valueHint: "date",
  },
  late: {
    type: "string",
    description: "Late after this date (same forms as --do)",
    valueHint: "date",
  },
  attention: {
    type: "enum",
    options: [...ATTENTIONS],
    description: "Attention colour",
  },
  recur: {
    type: "string",
    description:
      "Recurrence: daily, weekdays, weekly, monthly, yearly, 'every 3 days', 'every monday'…",
    valueHint: "rule",
  },
  rrule: {
    type: "string",
    description: "Recurrence as an RFC 5545 RRULE, e.g. FREQ=WEEKLY;BYDAY=MO",
    valueHint: "RRULE",
  },
} satisfies HintedArgsDef;

/** `none` clears a field in `heph edit`. */
export function orNone(value: string | undefined): string | null | undefined {
  if (value === undefined) return undefined;
  return value.trim().toLowerCase() === "none" ? null : value;
}

/** --recur and --rrule are two spellings of one field; give at most one. */
export function recurrenceFrom(args: {
  recur?: string | undefined;
  rrule?: string | undefined;
}): string | undefined {
  if (args.recur !== undefined && args.rrule !== undefined) {
    throw new UsageError("Give --recur or --rrule, not both.");
  }
  if (
    args.rrule !== undefined &&
    !/^(RRULE:)?FREQ=/i.test(args.rrule.trim()) &&
    args.rrule.trim().toLowerCase() !== "none"
  ) {
    throw new UsageError(
      `--rrule takes an RFC 5545 rule such as FREQ=WEEKLY;BYDAY=MO, not ${JSON.stringify(args.rrule)}; for phrases use --recur.`,
    );
  }
  return args.recur ?? args.rrule;
}

/** Reads all of stdin when a value is `-`. */
export async function valueOrStdin(value: string): Promise<string> {
  return value === "-" ? await new Response(Bun.stdin.stream()).text() : value;
}
