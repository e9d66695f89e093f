import type { z } from "zod";

/** One method's contract: what it takes, what it returns, and whether it writes. */
export interface MethodSpec<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  summary: string;
  params: P;
  result: R;
  /** Writes to the store. A write is never retried by the client once it may have arrived. */
  mutates: boolean;
}

export function spec<P extends z.ZodType, R extends z.ZodType>(
  summary: string,
  params: P,
  result: R,
  mutates: boolean,
): MethodSpec<P, R> {
  return { summary, params, result, mutates };
}
