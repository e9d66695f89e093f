/**
 * `heph edit` without field flags: the node's frontmatter and body in $VISUAL/$EDITOR, saved
 * with node.update against the version that was opened, so a concurrent change is never lost.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RpcClient } from "../client/client.ts";
import { HephError, RpcError, UsageError } from "../errors.ts";

export function editorCommand(env: Record<string, string | undefined> = process.env): string {
  const editor = env.VISUAL || env.EDITOR;
  if (!editor) throw new UsageError("No editor: set $VISUAL or $EDITOR (e.g. export EDITOR=vim).");
  return editor;
}

export type EditOutcome =
  | { saved: false; reason: "unchanged" }
  | { saved: true; id: string; updated_at: string };

export async function editInEditor(client: RpcClient, ref: string): Promise<EditOutcome> {
  const editor = editorCommand(); // before anything is written to disk
  const found = await client.call("node.find", { ref });
  const opened = await client.call("node.get", { id: found.id, frontmatter: true });
  const dir = mkdtempSync(join(tmpdir(), "heph-edit-"));
  const file = join(
    dir,
    `${opened.title.replace(/[^\p{L}\p{N}._-]+/gu, "-").slice(0, 60) || "node"}.md`,
  );
  writeFileSync(file, opened.body, { mode: 0o600 });
  // Through the shell, as git does: $EDITOR may carry arguments ("code --wait").
  const child = Bun.spawn(["sh", "-c", `${editor} "$1"`, "sh", file], {
    stdio: ["inherit", "inherit", "inherit"],
  });
  const exitCode = await child.exited;
  if (exitCode !== 0) {
    throw new HephError(
      `The editor exited with status ${exitCode}; nothing was saved. Your text is still in ${file}.`,
    );
  }
  const edited = readFileSync(file, "utf8");
  if (edited === opened.body) {
    rmSync(dir, { recursive: true, force: true });
    return { saved: false, reason: "unchanged" };
  }
  try {
    const saved = await client.call("node.update", {
      id: opened.id,
      body: edited,
      base_updated_at: opened.updated_at,
    });
    rmSync(dir, { recursive: true, force: true });
    return { saved: true, id: saved.id, updated_at: saved.updated_at };
  } catch (error) {
    if (error instanceof RpcError && error.kind === "conflict") {
      throw new HephError(
        `${opened.title} changed while you were editing it, so your version was not saved over it. Your text is kept in ${file}; run \`heph edit ${opened.id}\` and bring your changes over.`,
      );
    }
    if (error instanceof RpcError) {
      throw new HephError(`${error.message.replace(/\.?$/, ".")} Your text is kept in ${file}.`);
    }
    throw error;
  }
}
