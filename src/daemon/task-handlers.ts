import { resetChecklist } from "../core/checklist.ts";
import { addDays, isLocalDate, parseDate } from "../core/dates.ts";
import { parseQuickAdd, QuickAddError } from "../core/quick-add.ts";
import { compareForNext, explainRank } from "../core/ranking.ts";
import {
  HORIZON_YEARS,
  nextOccurrence,
  parseRecurrence,
  RecurrenceError,
} from "../core/recurrence.ts";
import { advance, firstDoDate } from "../core/task-lifecycle.ts";
import type { LocalDate } from "../core/task-types.ts";
import { Title } from "../protocol/schemas.ts";
import type { CountFilter, Task } from "../protocol/task-schemas.ts";
import type { Store } from "../store/store.ts";
import type { TaskPatch } from "../store/tasks.ts";
import { describeIssues, type Handlers } from "./dispatch.ts";
import { ambiguous, invalidParam, invalidState, notFound } from "./failures.ts";
import { findProjectId } from "./project-handlers.ts";

type TaskHandlers = Pick<
  Handlers,
  Exclude<
    Extract<keyof Handlers, `task.${string}` | `log.${string}` | "next" | `list${string}` | "view">,
    "task.promote"
  >
>;

/** A date from the wire: YYYY-MM-DD (a real calendar date) or a phrase resolved against today. */
function resolveDate(
  field: string,
  value: string | null | undefined,
  today: LocalDate,
): LocalDate | null | undefined {
  if (value === null || value === undefined) return value;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    if (!isLocalDate(value)) throw invalidParam(field, `${value} is not a calendar date`);
    return value;
  }
  const date = parseDate(value, today);
  if (!date) {
    throw invalidParam(
      field,
      `${JSON.stringify(value)} is not a date: use YYYY-MM-DD, today, tomorrow, a weekday, +3d, "in 2 weeks" or "dec 24"`,
    );
  }
  return date;
}

/** A rule from the wire, parsed and checked (no COUNT, an occurrence ahead); imports use it too. */
export function checkRule(
  value: string | null | undefined,
  today: LocalDate,
): string | null | undefined {
  if (value === null || value === undefined) return value;
  // A task rolls forward in place, so a COUNT would start over at every occurrence.
  if (/(^|;|:)COUNT=/i.test(value)) {
    throw invalidParam(
      "recurrence",
      "COUNT is not supported, as a task rolls forward in place; end the rule with UNTIL=YYYYMMDD instead",
    );
  }
  let rule: string;
  let first: string | null;
  try {
    rule = parseRecurrence(value);
    first = nextOccurrence(rule, today, addDays(today, -1));
  } catch (error) {
    if (error instanceof RecurrenceError) throw invalidParam("recurrence", error.message);
    throw error;
  }
  if (first === null) {
    throw invalidParam(
      "recurrence",
      `${value} has no occurrence in the next ${HORIZON_YEARS} years (has it ended, or does the date not exist?)`,
    );
  }
  return rule;
}

/** Tasks, projects, next/list/view and logs. Every write runs in one transaction. */
export function createTaskHandlers(context: {
  store: Store;
  /** The daemon's calendar date now (its time zone). */
  today: () => LocalDate;
}): TaskHandlers {
  const { store, today } = context;

  const resolveTask = (ref: string): Task => {
    const ids =
      ref.length === 26
        ? [ref.toUpperCase()]
        : store.nodes.idsWithPrefix(ref, 11, { kind: "task" });
    const tasks = ids
      .map((id) => store.tasks.get(id))
      .filter((task): task is Task => task !== undefined && task.deleted_at === null);
    if (tasks.length === 0) throw notFound(`No task with id ${ref}.`, { id: ref });
    if (tasks.length > 1) throw ambiguous(ref, "tasks", tasks);
    return tasks[0] as Task;
  };

  /** A project by name or id; a name nobody has yet becomes a new top-level project. */
  const projectFor = (ref: string | null | undefined): string | null | undefined => {
    if (ref === null || ref === undefined) return ref;
    const existing = store.projects.findId(ref);
    if (existing) return existing;
    // A name from a quick-add line has not been through the params schema: check it here.
    const name = Title.safeParse(ref);
    if (!name.success)
      throw invalidParam(
        "project",
        `a project name ${describeIssues(name.error.issues).replace(/^params: /, "")}`,
      );
    return store.projects.create(name.data, null).id;
  };

  const write = <T>(work: () => T): T => store.transaction(work);

  /** A list filter with its date phrases resolved against `day`. */
  const resolveFilter = <F extends CountFilter>(input: F, day: LocalDate): F => {
    const filter = { ...input };
    for (const key of ["do_from", "do_to", "late_from", "late_to"] as const) {
      filter[key] = resolveDate(key, input[key], day) ?? undefined;
    }
    return filter;
  };

  /** The project a filter names and, unless `subprojects` is false, every project below it. */
  const projectsOf = (filter: CountFilter): string[] | null => {
    if (!filter.project) return null;
    const id = findProjectId(store, filter.project);
    return filter.subprojects ? store.projects.subtree(id) : [id];
  };

  /** done and skip: roll a recurring task forward (and reset its checklist), or close it. */
  const finish = (ref: string, how: "done" | "skip"): Task =>
    write(() => {
      const task = resolveTask(ref);
      if (task.state !== "outstanding")
        throw invalidState(`Task ${task.id} is already ${task.state}; \`reopen\` it first.`, {
          state: task.state,
        });
      if (how === "skip" && !task.recurrence) {
        throw invalidState(
          `Task ${task.id} does not recur, so there is no next occurrence to skip to; use done or drop.`,
        );
      }
      const step = advance(task, today());
      if (step.kind === "advance") {
        if (how === "done") store.tasks.appendLog(task.id, "done", `occurrence ${step.occurrence}`);
        if (task.context_id) {
          const context = store.nodes.get(task.context_id);
          const reset = context ? resetChecklist(context.body) : undefined;
          if (context && reset && reset.reset > 0)
            store.nodes.update(context.id, { body: reset.markdown });
        }
        return store.tasks.update(task.id, { do_date: step.do_date });
      }
      if (how === "done")
        store.tasks.appendLog(
          task.id,
          "done",
          task.recurrence ? `occurrence ${step.occurrence}, the last` : "",
        );
      store.tasks.setState(task.id, "done");
      return store.tasks.get(task.id) as Task;
    });

  const create = (input: {
    title: string;
    body: string;
    attention: Task["attention"];
    do_date: LocalDate | null;
    late_on: LocalDate | null;
    recurrence: string | null;
    project: string | null;
    tags: string[];
  }): Task =>
    write(() => {
      const day = today();
      const recurrence = checkRule(input.recurrence, day) ?? null;
      let doDate = resolveDate("do_date", input.do_date, day) ?? null;
      if (recurrence && !doDate) doDate = firstDoDate(recurrence, day);
      return store.tasks.create({
        title: input.title,
        body: input.body,
        attention: input.attention,
        do_date: doDate,
        late_on: resolveDate("late_on", input.late_on, day) ?? null,
        recurrence,
        project_id: projectFor(input.project) ?? null,
        tags: input.tags,
      });
    });

  const patch = (ref: string, fields: TaskPatch & { project?: string | null }): Task =>
    write(() => {
      const task = resolveTask(ref);
      const { project, ...rest } = fields;
      const day = today();
      const changes: TaskPatch = {
        ...rest,
        do_date: resolveDate("do_date", rest.do_date, day),
        late_on: resolveDate("late_on", rest.late_on, day),
        recurrence: checkRule(rest.recurrence, day),
        project_id: projectFor(project),
      };
      for (const key of Object.keys(changes) as Array<keyof TaskPatch>)
        if (changes[key] === undefined) delete changes[key];
      // A task that starts recurring without a do-date starts at the rule's first occurrence.
      const doDate = changes.do_date === undefined ? task.do_date : changes.do_date;
      if (changes.recurrence && !doDate) changes.do_date = firstDoDate(changes.recurrence, day);
      return store.tasks.update(task.id, changes);
    });

  const parse = (line: string) => {
    try {
      return parseQuickAdd(line, { today: today(), projects: store.projects.names() });
    } catch (error) {
      if (error instanceof QuickAddError) throw invalidParam("line", error.message);
      throw error;
    }
  };

  return {
    "task.create": (params) => create(params),
    "task.parse": (params) => parse(params.line),
    "task.add": (params) => {
      const parsed = parse(params.line);
      return create({
        title: parsed.title,
        body: "",
        attention: parsed.attention ?? "white",
        do_date: parsed.do_date,
        late_on: parsed.late_on,
        recurrence: parsed.recurrence,
        project: parsed.project,
        tags: [],
      });
    },
    "task.get": (params) => resolveTask(params.id),
    "task.update": ({ id, ...fields }) => patch(id, fields),
    "task.done": (params) => finish(params.id, "done"),
    "task.skip": (params) => finish(params.id, "skip"),
    "task.drop": (params) =>
      write(() => {
        const task = resolveTask(params.id);
        if (task.state !== "outstanding")
          throw invalidState(`Task ${task.id} is already ${task.state}.`, { state: task.state });
        store.tasks.setState(task.id, "dropped");
        store.tasks.appendLog(task.id, "dropped", "");
        return store.tasks.get(task.id) as Task;
      }),
    "task.reopen": (params) =>
      write(() => {
        const task = resolveTask(params.id);
        if (task.state === "outstanding")
          throw invalidState(`Task ${task.id} is already outstanding.`, { state: task.state });
        store.tasks.setState(task.id, "outstanding");
        store.tasks.appendLog(task.id, "reopened", "");
        return store.tasks.get(task.id) as Task;
      }),
    "task.set_attention": ({ id, attention }) => patch(id, { attention }),
    "task.set_schedule": ({ id, ...schedule }) => patch(id, schedule),
    "task.set_project": ({ id, project }) => patch(id, { project }),
    "task.delete": (params) =>
      write(() => {
        const task = resolveTask(params.id);
        if (task.context_id) store.nodes.delete(task.context_id);
        store.nodes.delete(task.id);
        return store.tasks.get(task.id) as Task;
      }),
    next: ({ limit, explain }) => {
      const day = today();
      const tasks = store.tasks.next(day, limit);
      if (!explain) return tasks;
      return tasks.map((task, index) => ({
        ...task,
        explain: { position: index + 1, ...explainRank(task, day) },
      }));
    },
    list: (input) => {
      const day = today();
      return store.tasks.list(resolveFilter(input, day), day, projectsOf(input));
    },
    "list.count": (input) => {
      const day = today();
      return { count: store.tasks.count(resolveFilter(input, day), day, projectsOf(input)) };
    },
    view: ({ name, limit }) => {
      const day = today();
      const base = { subprojects: true, state: ["outstanding" as const], limit };
      switch (name) {
        case "inbox":
          return store.tasks.list({ ...base, unfiled: true }, day, null);
        case "ondeck":
          return store.tasks.list({ ...base, attention: ["blue"] }, day, null);
        case "late":
          return store.tasks.list({ ...base, late_to: addDays(day, -1) }, day, null);
        case "upcoming":
          return store.tasks.list(
            { ...base, do_from: addDays(day, 1), do_to: addDays(day, 7) },
            day,
            null,
          );
        case "today": {
          const byDo = store.tasks.list(
            { ...base, exclude_attention: ["blue"], do_to: day },
            day,
            null,
          );
          const byLate = store.tasks.list(
            { ...base, exclude_attention: ["blue"], late_to: day },
            day,
            null,
          );
          const seen = new Set(byDo.map((task) => task.id));
          const merged = [...byDo, ...byLate.filter((task) => !seen.has(task.id))];
          // One list, in the next order (late first), not two lists end to end.
          return merged.sort((a, b) => compareForNext(a, b, day)).slice(0, limit);
        }
      }
    },
    "log.append": ({ id, text }) =>
      write(() => store.tasks.appendLog(resolveTask(id).id, "note", text)),
    "log.tail": ({ id, limit }) => store.tasks.tailLog(resolveTask(id).id, limit),
  };
}
