/** The line `heph list` writes on stderr after a page that did not hold every match. */
import { expect, test } from "bun:test";
import { moreHint, PAGE_SIZE } from "../../src/cli/commands/list.ts";

const none = { all: false, state: false, limit: false };

test("the default page is 50 rows", () => {
  expect(PAGE_SIZE).toBe(50);
});

test("the rest, grouped by thousands, and the flags that show it", () => {
  expect(moreHint(19_950, none)).toBe(
    "… 19,950 more (--limit N for more, --all for every task in every state)",
  );
  expect(moreHint(1, none)).toBe(
    "… 1 more (--limit N for more, --all for every task in every state)",
  );
  expect(moreHint(1_234_567, { ...none, limit: true })).toStartWith("… 1,234,567 more (");
  expect(moreHint(999, { ...none, state: true })).toBe(
    "… 999 more (--limit N for more, --all for all of them)",
  );
  expect(moreHint(5, { all: true, state: false, limit: true })).toBe(
    "… 5 more (--all without --limit for all of them)",
  );
  expect(moreHint(5, { all: true, state: true, limit: true })).toBe(
    "… 5 more (--all without --limit for all of them)",
  );
});

test("without a count (a daemon older than list.count) it says more may match", () => {
  expect(moreHint(null, none)).toBe(
    "… more may match (--limit N for more, --all for every task in every state)",
  );
});
