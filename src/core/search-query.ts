/**
 * What a user types into a search box, turned into an FTS5 MATCH expression that can never be a
 * syntax error: FTS5 operators and column filters are not reachable from user text.
 *
 * Rules:
 * - Input is cut to its first 500 characters (never inside a surrogate pair); control characters
 *   (NUL included, which FTS5 reads as the end of the query) become spaces; lone surrogates
 *   become U+FFFD.
 * - Terms are split on whitespace. A `"` at the start of a term opens a phrase that runs to the
 *   next `"` (whitespace included); a phrase with no closing quote runs to the end of the input.
 *   A `"` anywhere else is an ordinary character.
 * - Every term and phrase is emitted as an FTS5 string, `"…"` with any inner `"` doubled, so
 *   AND, OR, NOT, NEAR, `(`, `)`, `:`, `^`, `{…}`, `+` and `*` are plain text. The tokenizer then
 *   splits a string on punctuation: `a:b:c` is the phrase "a b c", `foo"bar` is "foo bar".
 * - A term or phrase with no letter, digit or private-use character (`*`, `-`, `(`, emoji) finds
 *   nothing and is dropped. At most 32 terms are kept, the first ones.
 * - Terms are ANDed (FTS5's implicit AND: juxtaposition).
 * - `-term` or `-"a phrase"` excludes, but only when at least one term is not excluded; otherwise
 *   every `-term` is an ordinary term. Excluded terms go last: `"a" "b" NOT "c" NOT "d"`, because
 *   FTS5 binds `x NOT y z` as `x NOT (y z)`.
 * - Prefix `*` (search as you type): the last kept term, when it is not excluded and is a bare
 *   word or an unclosed phrase; any term or phrase written with a trailing `*`; and any term or
 *   phrase with CJK in it (Han, Hiragana, Katakana, Hangul), since unicode61 keeps a run of CJK
 *   as one token: `日本語` must find `日本語のテキスト`. Prefix applies to the last token of a
 *   phrase.
 * - Nothing searchable left: null.
 */

export const MAX_QUERY_CHARS = 500;
export const MAX_QUERY_TERMS = 32;

interface Term {
  text: string;
  negated: boolean;
  /** A bare word, or a phrase without a closing quote: the user may still be typing it. */
  open: boolean;
  prefix: boolean;
}

const SEARCHABLE = /[\p{L}\p{N}\p{Co}]/u;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const CONTROL = /\p{Cc}/gu;
const SPACE = /\s/u;

function clean(input: string): string {
  let text = input;
  if (text.length > MAX_QUERY_CHARS) {
    const cut = /[\uD800-\uDBFF]/.test(text.charAt(MAX_QUERY_CHARS - 1))
      ? MAX_QUERY_CHARS - 1
      : MAX_QUERY_CHARS;
    text = text.slice(0, cut);
  }
  return text.toWellFormed().replace(CONTROL, " ");
}

/** The terms of `text` in order, before any are dropped. */
function scan(text: string): Term[] {
  const terms: Term[] = [];
  let i = 0;
  while (i < text.length) {
    if (SPACE.test(text.charAt(i))) {
      i++;
      continue;
    }
    let negated = false;
    if (text.charAt(i) === "-") {
      negated = true;
      i++;
    }
    if (text.charAt(i) === '"') {
      const close = text.indexOf('"', i + 1);
      if (close === -1) {
        terms.push({ text: text.slice(i + 1), negated, open: true, prefix: false });
        break;
      }
      const phrase = text.slice(i + 1, close);
      i = close + 1;
      let prefix = false;
      while (text.charAt(i) === "*") {
        prefix = true;
        i++;
      }
      terms.push({ text: phrase, negated, open: false, prefix });
      continue;
    }
    const start = i;
    while (i < text.length && !SPACE.test(text.charAt(i))) i++;
    const word = text.slice(start, i);
    const stripped = word.replace(/\*+$/u, "");
    terms.push({ text: stripped, negated, open: true, prefix: stripped !== word });
  }
  return terms;
}

function ftsString(term: Term): string {
  return `"${term.text.replaceAll('"', '""')}"${term.prefix ? "*" : ""}`;
}

export function toFtsQuery(input: string): string | null {
  const terms = scan(clean(input)).filter((term) => SEARCHABLE.test(term.text));
  const kept = terms.slice(0, MAX_QUERY_TERMS);
  if (kept.length === 0) return null;
  if (kept.every((term) => term.negated)) for (const term of kept) term.negated = false;
  // The last term of the input (dropped if past the cap) is the one the user may be typing.
  const last = terms.at(-1);
  if (last?.open && !last.negated) last.prefix = true;
  for (const term of kept) if (CJK.test(term.text)) term.prefix = true;
  const positive = kept.filter((term) => !term.negated).map(ftsString);
  const negative = kept.filter((term) => term.negated).map((term) => `NOT ${ftsString(term)}`);
  return [...positive, ...negative].join(" ");
}
