/** Argument fragments shared by commands, so the same flag means the same thing everywhere. */
import type { CompletionHint } from "./completion/hint.ts";

export const jsonArg = {
  json: { type: "boolean", description: "Print JSON on stdout (and nothing else there)" },
} as const;

export const socketArg = {
  socket: {
    type: "string",
    description: "The daemon's socket (default: $HEPH_SOCKET, else the XDG default)",
    valueHint: "path",
    complete: { files: true } satisfies CompletionHint,
  },
} as const;
