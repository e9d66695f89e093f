/** Wire shapes shared by the daemon and every client. Fields are snake_case (BRIEF §5). */
import { z } from "zod";

export const NODE_KINDS = ["doc", "task", "project", "tag", "journal"] as const;
export const NodeKind = z.enum(NODE_KINDS);
export type NodeKind = z.infer<typeof NodeKind>;

/** Crockford base32, 26 characters; either case is accepted and stored upper-case. */
export const Ulid = z
  .string()
  .regex(
    /^[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{26}$/,
    "must be a 26-character ULID, such as 01JD3QZ5N6X4W8Y2T7R9M0K1AB",
  );

/** A calendar date; the daemon checks it is a real one (no 2026-02-30). */
export const LocalDateText = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date written YYYY-MM-DD, such as 2026-12-24");

/** Timestamps: ISO 8601 in UTC with milliseconds, e.g. 2026-11-26T14:19:37.123Z. */
export const Timestamp = z.iso.datetime({ precision: 3 });

export const Title = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(1000, "must be at most 1000 characters")
  .refine((title) => !/[\n\r]/.test(title), "must be a single line");

export const Label = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(200, "must be at most 200 characters")
  .refine((label) => !/[\n\r]/.test(label), "must be a single line");

export const Node = z.object({
  id: Ulid,
  kind: NodeKind,
  title: z.string(),
  body: z.string(),
  aliases: z.array(z.string()),
  tags: z.array(z.string()),
  /** Frontmatter keys heph has no field for, kept as written. */
  properties: z.record(z.string(), z.unknown()),
  /** The source folder an import read it from ("Projects/2025", "" the top); null otherwise. */
  folder: z.string().nullable(),
  created_at: Timestamp,
  updated_at: Timestamp,
  deleted_at: Timestamp.nullable(),
});
export type Node = z.infer<typeof Node>;

export const RUNTIME_MODES = ["local", "server", "client"] as const;

export const DaemonInfo = z.object({
  version: z.string(),
  pid: z.number().int(),
  mode: z.enum(RUNTIME_MODES),
  db: z.string(),
  socket: z.string(),
  log: z.string(),
  binary: z.string(),
  started_at: Timestamp,
  uptime_ms: z.number().int().nonnegative(),
  schema_version: z.number().int(),
  /** The IANA time zone whose calendar "today" is (TZ, else the system's). */
  time_zone: z.string(),
  /** The calendar date now in time_zone: the day `next`, views and journals count from. */
  today: LocalDateText,
  /** Which service manager started it (from HEPH_MANAGED_BY), or null when started by hand. */
  managed_by: z.enum(["systemd", "launchd"]).nullable(),
  /** The hub this daemon syncs with (a spoke) or forwards to (client mode). */
  hub_url: z.string().nullable().optional(),
  /** Where a hub (--mode server) serves sync and /rpc over HTTP. */
  http_url: z.string().nullable().optional(),
});
export type DaemonInfo = z.infer<typeof DaemonInfo>;
