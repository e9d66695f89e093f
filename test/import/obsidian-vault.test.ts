import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { listVault } from "../../src/import/obsidian/vault.ts";

const root = mkdtempSync(join(tmpdir(), "heph-vault-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("listVault", () => {
  test("notes and attachments by path; dot-folders, linked folders and dangling links left out", () => {
    mkdirSync(join(root, "A/B"), { recursive: true });
    mkdirSync(join(root, ".obsidian"));
    mkdirSync(join(root, ".trash"));
    writeFileSync(join(root, "A/B/Note.md"), "hello");
    writeFileSync(join(root, "A/pic.png"), "png!");
    writeFileSync(join(root, ".obsidian/app.json"), "{}");
    writeFileSync(join(root, ".trash/old.md"), "gone");
    symlinkSync(join(root, "A/B/Note.md"), join(root, "Alias.md"));
    symlinkSync(join(root, "A"), join(root, "Loop"));
    symlinkSync(join(root, "nowhere.md"), join(root, "Dangling.md"));
    const listing = listVault(root);
    expect(listing.notes).toEqual([
      { path: "A/B/Note.md", bytes: 5 },
      { path: "Alias.md", bytes: 5 },
    ]);
    expect(listing.attachments).toEqual([{ path: "A/pic.png", bytes: 4 }]);
    expect(listing.problems).toEqual([
      { where: "Dangling.md", reason: "a symbolic link to nothing" },
    ]);
  });

  test("a missing folder or a file is refused with its path", () => {
    expect(() => listVault(join(root, "missing"))).toThrow("no such folder");
    expect(() => listVault(join(root, "A/pic.png"))).toThrow("is not a folder");
  });
});
