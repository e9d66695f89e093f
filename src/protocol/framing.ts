/**
 * Newline-delimited framing over a byte stream. Chunk boundaries are not line boundaries and
 * may split a multi-byte UTF-8 character, so bytes are buffered and only complete lines are
 * decoded. 0x0A never occurs inside a multi-byte UTF-8 sequence, so splitting bytes on it is safe.
 */

/** The longest request or response line, in bytes, without its newline. Documented in docs/reference/rpc.md. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

export type SplitResult =
  | { lines: Uint8Array[]; overflow: false }
  | { lines: Uint8Array[]; overflow: true };

export class LineSplitter {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;

  constructor(private readonly maxLineBytes: number = MAX_LINE_BYTES) {}

  /** Bytes of an unfinished line held so far. */
  get bufferedBytes(): number {
    return this.pendingBytes;
  }

  /**
   * Feeds one chunk. Returns the lines it completed (without "\n" or a trailing "\r"), and
   * `overflow: true` as soon as a line grows past the limit; the caller then drops the stream.
   */
  push(chunk: Uint8Array): SplitResult {
    const lines: Uint8Array[] = [];
    let start = 0;
    while (start <= chunk.length) {
      const newline = chunk.indexOf(NEWLINE, start);
      const end = newline === -1 ? chunk.length : newline;
      if (this.pendingBytes + (end - start) > this.maxLineBytes) {
        this.pending = [];
        this.pendingBytes = 0;
        return { lines, overflow: true };
      }
      if (newline === -1) {
        if (end > start) {
          // Copy: the runtime may reuse the chunk's memory after this callback returns.
          this.pending.push(chunk.slice(start, end));
          this.pendingBytes += end - start;
        }
        break;
      }
      lines.push(this.takeLine(chunk.subarray(start, end)));
      start = newline + 1;
    }
    return { lines, overflow: false };
  }

  private takeLine(tail: Uint8Array): Uint8Array {
    let line: Uint8Array;
    if (this.pending.length === 0) {
      line = tail;
    } else {
      line = new Uint8Array(this.pendingBytes + tail.length);
      let offset = 0;
      for (const piece of this.pending) {
        line.set(piece, offset);
        offset += piece.length;
      }
      line.set(tail, offset);
      this.pending = [];
      this.pendingBytes = 0;
    }
    if (line.length > 0 && line[line.length - 1] === CARRIAGE_RETURN) line = line.subarray(0, -1);
    return line;
  }
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Decodes a line as strict UTF-8; `undefined` when the bytes are not valid UTF-8. */
export function decodeLine(line: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(line);
  } catch {
    return undefined;
  }
}

const encoder = new TextEncoder();

/** Serialises one message as a line of bytes. */
export function encodeLine(message: unknown): Uint8Array {
  return encoder.encode(`${JSON.stringify(message)}\n`);
}
