/**
 * `task export` → ImportItems. Pure: the input text, the daemon's time zone in, items out.
 * The mapping (docs/reference/import-mapping.md#taskwarrior) in short: description → title,
 * dotted project → nested projects, H/M/L → red/orange/white, due → late-on (the do-date of a
 * recurring task), the later of scheduled and wait → do-date, recur → RRULE, annotations → log,
 * pending/waiting → outstanding, completed → done, deleted → dropped; a recurring template
 * becomes one rolling heph task and its generated instances fold into it.
 */
import { z } from "zod";
import { localDate } from "../core/calendar.ts";
import type { ImportItem } from "../protocol/import-schemas.ts";
import { withHash } from "./hash.ts";
import { decodeUtf8, type Input, MAX_RECORD_DEPTH, nestingDepth, tooDeep } from "./input.ts";
import type { ImporterOutput, RecordNote, RecordProblem } from "./run.ts";
import { taskwarriorRecurrence } from "./taskwarrior-recur.ts";
import { isoTimestamp, labels, projectName, titleAndBody } from "./text.ts";

type Task = Extract<ImportItem, { kind: "task" }>;

/** 20261201T000000Z (what `task export` writes), or an ISO 8601 instant. */
const TwDate = z.string().transform((text, ctx) => {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  const part = (index: number) => Number(m?.[index]);
  const ms = m
    ? Date.UTC(part(1), part(2) - 1, part(3), part(4), part(5), part(6))
    : Date.parse(text);
  const iso = isoTimestamp(ms);
  if (iso === undefined) {
    ctx.addIssue({
      code: "custom",
      message: `${JSON.stringify(text)} is not a Taskwarrior date such as 20261201T120000Z`,
    });
    return z.NEVER;
  }
  return iso;
});

const Record = z.looseObject({
  uuid: z.string().min(1, "must not be empty"),
  description: z.string(),
  status: z.enum(["pending", "waiting", "completed", "deleted", "recurring"]),
  entry: TwDate.optional(),
  end: TwDate.optional(),
  due: TwDate.optional(),
  scheduled: TwDate.optional(),
  wait: TwDate.optional(),
  until: TwDate.optional(),
  project: z.string().optional(),
  priority: z.string().optional(),
  tags: z.array(z.string()).optional(),
  annotations: z.array(z.looseObject({ entry: TwDate, description: z.string() })).optional(),
  recur: z.string().optional(),
  parent: z.string().optional(),
  depends: z.union([z.array(z.string()), z.string()]).optional(),
});
type Record = z.output<typeof Record>;

/** Fields the mapping uses, and fields Taskwarrior recomputes on every run (never kept). */
const MAPPED = new Set([
  "uuid",
  "description",
  "status",
  "entry",
  "end",
  "due",
  "scheduled",
  "wait",
  "project",
  "priority",
  "tags",
  "annotations",
  "recur",
  "parent",
  "depends",
]);
const VOLATILE = new Set(["id", "urgency", "mask", "imask", "rtype"]);
const ATTENTION: { [key: string]: Task["attention"] } = { H: "red", M: "orange", L: "white" };

interface Found {
  where: string;
  value: unknown;
}

/** The records of a `task export`: a JSON array, or one object per line as older versions print. */
export function readTaskwarriorRecords(input: Input): {
  records: Found[];
  problems: RecordProblem[];
} {
  const text = decodeUtf8(input.bytes);
  if (text !== undefined && /^\s*\[/.test(text) && !tooDeep(text)) {
    try {
      const value = JSON.parse(text) as unknown;
      if (Array.isArray(value))
        return {
          records: value.map((v, i) => ({ where: `${input.name} record ${i + 1}`, value: v })),
          problems: [],
        };
    } catch {
      // Not one JSON document: read it line by line, so one bad record does not sink the rest.
    }
  }
  const records: Found[] = [];
  const problems: RecordProblem[] = [];
  let start = 0;
  let line = 0;
  const bytes = input.bytes;
  while (start <= bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end === -1) end = bytes.length;
    line++;
    const where = `${input.name} line ${line}`;
    const raw = decodeUtf8(bytes.subarray(start, end));
    start = end + 1;
    if (raw === undefined) {
      problems.push({ where, reason: "not valid UTF-8" });
      continue;
    }
    const trimmed = raw.trim().replace(/,$/, "");
    if (trimmed === "" || trimmed === "[" || trimmed === "]") continue;
    if (tooDeep(trimmed)) {
      problems.push({ where, reason: `nested deeper than ${MAX_RECORD_DEPTH} levels` });
      continue;
    }
    try {
      records.push({ where, value: JSON.parse(trimmed.replace(/^\[/, "").replace(/\]$/, "")) });
    } catch (error) {
      problems.push({ where, reason: `not JSON: ${(error as Error).message}` });
    }
  }
  if (records.length === 0 && problems.length === 0 && text !== undefined && text.trim() !== "")
    problems.push({
      where: input.name,
      reason: "not a Taskwarrior export (expected the JSON array `task export` prints)",
    });
  return { records, problems };
}

function describe(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join(".") || "record"}: ${i.message}`).join("; ");
}

export interface TaskwarriorOptions {
  /** The daemon's time zone: Taskwarrior's instants become local dates in it. */
  timeZone: string;
}

export function mapTaskwarrior(
  found: readonly Found[],
  options: TaskwarriorOptions,
): ImporterOutput {
  const problems: RecordProblem[] = [];
  const notes: RecordNote[] = [];
  const where = new Map<string, string>();
  const records: Array<{ where: string; record: Record }> = [];
  for (const entry of found) {
    if (nestingDepth(entry.value) > MAX_RECORD_DEPTH) {
      problems.push({
        where: entry.where,
        reason: `nested deeper than ${MAX_RECORD_DEPTH} levels`,
      });
      continue;
    }
    const parsed = Record.safeParse(entry.value);
    if (!parsed.success) problems.push({ where: entry.where, reason: describe(parsed.error) });
    else records.push({ where: entry.where, record: parsed.data });
  }
  const date = (iso: string | undefined) =>
    iso ? localDate(new Date(iso), options.timeZone) : null;
  const templates = new Set(
    records.filter((r) => r.record.status === "recurring").map((r) => r.record.uuid),
  );
  const instances = new Map<string, Record[]>();
  for (const { record } of records)
    if (record.parent && templates.has(record.parent))
      instances.set(record.parent, [...(instances.get(record.parent) ?? []), record]);

  const items: ImportItem[] = [];
  for (const { where: at, record } of records) {
    if (record.parent && templates.has(record.parent)) continue; // folded into its template
    where.set(record.uuid, at);
    const note = (message: string) => notes.push({ key: record.uuid, where: at, message });
    const children = instances.get(record.uuid) ?? [];
    const pending = children
      .filter((c) => c.status === "pending" || c.status === "waiting")
      .sort((a, b) => (a.due ?? "").localeCompare(b.due ?? ""));
    const next = pending[0] ?? record;
    let recurrence: string | null = null;
    if (record.recur !== undefined) {
      if (record.status !== "recurring") {
        note(
          `a recurring instance whose template is not in the export: imported as a one-off task`,
        );
      } else {
        recurrence = taskwarriorRecurrence(record.recur);
        if (recurrence === null)
          note(
            `recur:${record.recur} has no heph rule (heph recurs by days, weeks, months or years); imported without recurrence`,
          );
        else if (record.until)
          recurrence += `;UNTIL=${(date(record.until) as string).replaceAll("-", "")}`;
      }
    }
    const gates = [date(next.scheduled), date(next.wait)]
      .filter((d): d is string => d !== null)
      .sort();
    const due = date(next.due);
    // heph rolls only the do-date forward: a recurring task's due becomes its do-date (a fixed
    // late-on would make every later occurrence late).
    const doDate = recurrence
      ? ([due, ...gates]
          .filter((d): d is string => d !== null)
          .sort()
          .at(-1) ?? null)
      : (gates.at(-1) ?? null);
    const state: Task["state"] =
      record.status === "completed"
        ? "done"
        : record.status === "deleted"
          ? "dropped"
          : "outstanding";
    const closedAt =
      state === "outstanding"
        ? null
        : (record.end ??
          (record.modified ? TwDate.safeParse(record.modified).data : undefined) ??
          record.entry ??
          null);
    const log = [record, ...children].flatMap((r) =>
      (r.annotations ?? []).flatMap((a) =>
        a.description.trim() === "" ? [] : [{ at: a.entry, text: a.description.trim() }],
      ),
    );
    for (const done of children.filter((c) => c.status === "completed"))
      log.push({
        at: done.end ?? done.entry ?? (record.entry as string),
        text: `done in Taskwarrior: the occurrence due ${date(done.due) ?? "(no date)"}`,
      });
    log.sort((a, b) => a.at.localeCompare(b.at));
    const skippedChildren = children.filter((c) => c.status === "deleted").length;
    if (skippedChildren > 0)
      note(`${skippedChildren} deleted occurrence(s) of this recurring task were not imported`);
    const path = (record.project ?? "")
      .split(".")
      .map(projectName)
      .filter((p) => p !== "");
    if (record.priority && !(record.priority in ATTENTION))
      note(`priority:${record.priority} is not H, M or L; attention stays white`);
    const extra: { [key: string]: unknown } = { uuid: record.uuid };
    for (const [k, v] of Object.entries(record))
      if (!MAPPED.has(k) && !VOLATILE.has(k)) extra[k] = v;
    if (record.recur !== undefined) extra.recur = record.recur;
    if (record.depends !== undefined)
      extra.depends = Array.isArray(record.depends)
        ? record.depends
        : record.depends.split(",").filter((d) => d !== "");
    if (record.priority !== undefined && !(record.priority in ATTENTION))
      extra.priority = record.priority;
    const { title, body } = titleAndBody(record.description, "(no description)");
    items.push(
      withHash({
        kind: "task",
        key: record.uuid,
        title,
        body,
        tags: labels(record.tags ?? []),
        properties: { taskwarrior: extra },
        ...(record.entry ? { created_at: record.entry } : {}),
        state,
        attention: ATTENTION[record.priority ?? ""] ?? "white",
        do_date: doDate,
        late_on: recurrence ? null : due,
        recurrence,
        project: path.length > 0 ? path.slice(0, 32) : null,
        closed_at: closedAt,
        log: log.slice(0, 10_000),
        parent_key: null,
        from_line: null,
      }),
    );
  }
  return { items, problems, notes, where };
}
