/**
 * What shell completion offers for an argument's value. A command declares it as `complete` on
 * an arg definition; citty ignores the field, so it changes neither parsing nor `--help`. Only
 * `heph completion` (tree.ts) reads it. Command files import this module as a type only: nothing
 * of it loads when a command runs.
 */

import type { ArgDef } from "citty";

/** Candidates the running daemon knows, asked with `heph __complete <source> <prefix>`. */
export const DYNAMIC_SOURCES = ["task", "closed-task", "project", "tag", "note", "node"] as const;
export type DynamicSource = (typeof DYNAMIC_SOURCES)[number];

export interface CompletionHint {
  /** A fixed set of words (an enum arg's `options` are read without a hint). */
  values?: readonly string[];
  /** The value is a comma-separated list of `values` (`--attention red,orange`). */
  list?: boolean;
  /** Words the daemon knows, offered besides any `values` (`--parent none`). */
  dynamic?: DynamicSource;
  /** File names (`--socket`). */
  files?: boolean;
}

/** An args object whose definitions may carry a hint, for `satisfies` checks of shared fragments. */
export type HintedArgsDef = Record<string, ArgDef & { complete?: CompletionHint }>;
