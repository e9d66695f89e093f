import { describe, expect, test } from "bun:test";
import {
  decodeLine,
  encodeLine,
  LineSplitter,
  MAX_LINE_BYTES,
} from "../../src/protocol/framing.ts";

const utf8 = new TextEncoder();
const bytes = (text: string) => utf8.encode(text);

/** Decodes every completed line, failing loudly on invalid UTF-8. */
function texts(lines: Uint8Array[]): string[] {
  return lines.map((line) => {
    const text = decodeLine(line);
    if (text === undefined) throw new Error(`line is not valid UTF-8: ${[...line]}`);
    return text;
  });
}

describe("LineSplitter", () => {
  test("one line fed one byte at a time completes only on its newline", () => {
    const splitter = new LineSplitter();
    const line = bytes('{"id":1,"method":"daemon.info"}\n');
    for (let i = 0; i < line.length - 1; i++) {
      const result = splitter.push(line.subarray(i, i + 1));
      expect(result).toEqual({ lines: [], overflow: false });
      expect(splitter.bufferedBytes).toBe(i + 1);
    }
    const last = splitter.push(line.subarray(line.length - 1));
    expect(last.overflow).toBe(false);
    expect(texts(last.lines)).toEqual(['{"id":1,"method":"daemon.info"}']);
    expect(splitter.bufferedBytes).toBe(0);
  });

  test("one line in uneven chunks", () => {
    const splitter = new LineSplitter();
    expect(splitter.push(bytes('{"a"')).lines).toEqual([]);
    expect(splitter.push(bytes(":")).lines).toEqual([]);
    expect(splitter.push(bytes("")).lines).toEqual([]);
    expect(splitter.push(bytes('"bc"')).lines).toEqual([]);
    expect(texts(splitter.push(bytes("}\n")).lines)).toEqual(['{"a":"bc"}']);
  });

  test("many lines in one chunk, keeping the unfinished tail", () => {
    const splitter = new LineSplitter();
    const result = splitter.push(bytes("a\nbb\nccc\ndd"));
    expect(result.overflow).toBe(false);
    expect(texts(result.lines)).toEqual(["a", "bb", "ccc"]);
    expect(splitter.bufferedBytes).toBe(2);
    expect(texts(splitter.push(bytes("d\ne\n")).lines)).toEqual(["ddd", "e"]);
    expect(splitter.bufferedBytes).toBe(0);
  });

  test("empty lines are reported as empty lines", () => {
    const splitter = new LineSplitter();
    expect(texts(splitter.push(bytes("\n\nx\n\n")).lines)).toEqual(["", "", "x", ""]);
    expect(texts(splitter.push(bytes("\r\n")).lines)).toEqual([""]);
    expect(splitter.push(bytes("")).lines).toEqual([]);
  });

  describe("multi-byte UTF-8 split at every byte boundary", () => {
    // 2, 3, 3 and 4 bytes in UTF-8.
    for (const char of ["é", "€", "中", "𝄞"]) {
      test(`${char} (${bytes(char).length} bytes)`, () => {
        const text = `a${char}b${char}`;
        const line = bytes(`${text}\n`);
        for (let cut = 1; cut < line.length; cut++) {
          const splitter = new LineSplitter();
          const first = splitter.push(line.subarray(0, cut));
          expect(first.lines).toEqual([]);
          const second = splitter.push(line.subarray(cut));
          expect(second.overflow).toBe(false);
          expect(texts(second.lines)).toEqual([text]);
        }
      });
    }

    test("a 4-byte character fed one byte per chunk", () => {
      const splitter = new LineSplitter();
      const line = bytes("𝄞\n");
      const lines: Uint8Array[] = [];
      for (let i = 0; i < line.length; i++)
        lines.push(...splitter.push(line.subarray(i, i + 1)).lines);
      expect(texts(lines)).toEqual(["𝄞"]);
    });
  });

  describe("carriage returns", () => {
    test("CRLF loses its CR", () => {
      const splitter = new LineSplitter();
      expect(texts(splitter.push(bytes("abc\r\ndef\r\n")).lines)).toEqual(["abc", "def"]);
    });

    test("CR and LF in different chunks", () => {
      const splitter = new LineSplitter();
      expect(splitter.push(bytes("abc\r")).lines).toEqual([]);
      expect(texts(splitter.push(bytes("\n")).lines)).toEqual(["abc"]);
    });

    test("only one trailing CR is stripped, and a CR inside a line is kept", () => {
      const splitter = new LineSplitter();
      expect(texts(splitter.push(bytes("a\r\r\nb\rc\n")).lines)).toEqual(["a\r", "b\rc"]);
    });
  });

  describe("line length limit (16 bytes)", () => {
    const limit = 16;

    test("a line of exactly the limit passes, in one chunk or split", () => {
      const whole = new LineSplitter(limit);
      expect(whole.push(bytes(`${"x".repeat(16)}\n`))).toEqual({
        lines: [bytes("x".repeat(16))],
        overflow: false,
      });

      const split = new LineSplitter(limit);
      expect(split.push(bytes("x".repeat(10))).overflow).toBe(false);
      expect(split.push(bytes("x".repeat(6))).overflow).toBe(false);
      expect(split.bufferedBytes).toBe(16);
      expect(texts(split.push(bytes("\n")).lines)).toEqual(["x".repeat(16)]);
    });

    test("one byte past the limit overflows, in one chunk", () => {
      const splitter = new LineSplitter(limit);
      const result = splitter.push(bytes(`${"x".repeat(17)}\n`));
      expect(result).toEqual({ lines: [], overflow: true });
    });

    test("one byte past the limit overflows as soon as it arrives, before any newline", () => {
      const splitter = new LineSplitter(limit);
      expect(splitter.push(bytes("x".repeat(16))).overflow).toBe(false);
      expect(splitter.push(bytes("x"))).toEqual({ lines: [], overflow: true });
    });

    test("lines completed before the overflow in the same chunk are still returned", () => {
      const splitter = new LineSplitter(limit);
      const result = splitter.push(bytes(`ok\n${"y".repeat(17)}`));
      expect(result.overflow).toBe(true);
      expect(texts(result.lines)).toEqual(["ok"]);
    });

    test("the limit counts bytes, not characters", () => {
      // 8 × "é" is 8 characters but 16 bytes: fits. 9 × "é" is 18 bytes: overflows.
      expect(new LineSplitter(limit).push(bytes(`${"é".repeat(8)}\n`)).overflow).toBe(false);
      expect(new LineSplitter(limit).push(bytes(`${"é".repeat(9)}\n`)).overflow).toBe(true);
    });

    test("state resets after an overflow", () => {
      const splitter = new LineSplitter(limit);
      splitter.push(bytes("x".repeat(12)));
      expect(splitter.push(bytes("x".repeat(12))).overflow).toBe(true);
      expect(splitter.bufferedBytes).toBe(0);
      const after = splitter.push(bytes("abc\n"));
      expect(after.overflow).toBe(false);
      expect(texts(after.lines)).toEqual(["abc"]);
    });

    test("the default limit is MAX_LINE_BYTES (16 MiB)", () => {
      expect(MAX_LINE_BYTES).toBe(16 * 1024 * 1024);
      const splitter = new LineSplitter();
      const chunk = new Uint8Array(MAX_LINE_BYTES).fill(0x61);
      expect(splitter.push(chunk).overflow).toBe(false);
      expect(splitter.push(new Uint8Array([0x61])).overflow).toBe(true);
    });
  });

  test("the pending part of a line does not share memory with the pushed chunk", () => {
    const splitter = new LineSplitter();
    const chunk = bytes("hello");
    splitter.push(chunk);
    chunk.set(bytes("XXXXX"));
    const buffer = bytes("...wo");
    splitter.push(buffer.subarray(3));
    buffer.fill(0x21);
    expect(texts(splitter.push(bytes("rld\n")).lines)).toEqual(["helloworld"]);
  });

  test("the unfinished tail after a newline does not share memory with the chunk", () => {
    const splitter = new LineSplitter();
    const chunk = bytes("first\nsec");
    expect(texts(splitter.push(chunk).lines)).toEqual(["first"]);
    chunk.fill(0x3f);
    expect(texts(splitter.push(bytes("ond\n")).lines)).toEqual(["second"]);
  });
});

describe("decodeLine", () => {
  test("decodes valid UTF-8", () => {
    expect(decodeLine(bytes("é€中𝄞"))).toBe("é€中𝄞");
    expect(decodeLine(new Uint8Array())).toBe("");
  });

  test("returns undefined for invalid UTF-8", () => {
    expect(decodeLine(new Uint8Array([0xff]))).toBeUndefined();
    // A lone continuation byte, a truncated 3-byte sequence, an overlong "/" and a surrogate.
    expect(decodeLine(new Uint8Array([0x61, 0x80, 0x62]))).toBeUndefined();
    expect(decodeLine(new Uint8Array([0xe2, 0x82]))).toBeUndefined();
    expect(decodeLine(new Uint8Array([0xc0, 0xaf]))).toBeUndefined();
    expect(decodeLine(new Uint8Array([0xed, 0xa0, 0x80]))).toBeUndefined();
  });

  test("half a character (a split not yet joined) is invalid", () => {
    const euro = bytes("€");
    expect(decodeLine(euro.subarray(0, 2))).toBeUndefined();
  });
});

describe("encodeLine", () => {
  test("one JSON value followed by exactly one newline", () => {
    const line = encodeLine({ jsonrpc: "2.0", id: 1, result: "é\nx" });
    const text = new TextDecoder().decode(line);
    expect(text).toBe('{"jsonrpc":"2.0","id":1,"result":"é\\nx"}\n');
    expect(text.indexOf("\n")).toBe(text.length - 1);
  });

  test("round-trips through the splitter", () => {
    const splitter = new LineSplitter();
    const message = { id: "a", params: { title: "𝄞 note", tags: ["x", "y"] } };
    const [line] = splitter.push(encodeLine(message)).lines;
    expect(line).toBeDefined();
    expect(JSON.parse(decodeLine(line as Uint8Array) as string)).toEqual(message);
  });
});
