/**
 * The real Obsidian vault in shared/corpora (205 notes), created note by note through the RPC.
 * The check does not use the parser under test: a separate, simple scan finds every [[…]]
 * outside code, and each must be a wiki link row; each target naming a note must resolve.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { RpcClient } from "../../src/client/client.ts";
import { startTestDaemon, type TestDaemon } from "../helpers/daemon.ts";

const VAULT = resolve(import.meta.dir, "../../../shared/corpora/obsidian-tasks-demo");

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return markdownFiles(path);
    return name.endsWith(".md") ? [path] : [];
  });
}

/** An independent reading of "the [[targets]] outside code" — deliberately simple. */
function expectedTargets(body: string): Set<string> {
  const targets = new Set<string>();
  let fence: string | null = null;
  for (const line of body.split("\n")) {
    const marker = line.match(/^ {0,3}(`{3,}|~{3,})/)?.[1];
    if (fence) {
      if (
        marker &&
        marker[0] === fence[0] &&
        marker.length >= fence.length &&
        line.trim() === marker
      )
        fence = null;
      continue;
    }
    if (marker) {
      fence = marker;
      continue;
    }
    const withoutCode = line.replace(/(`+)[\s\S]*?\1/g, "");
    for (const match of withoutCode.matchAll(/(?<!\\)\[\[([^\]\n]*?)\]\]/g)) {
      const target = (match[1] ?? "").split("|")[0]?.split("#")[0]?.trim() ?? "";
      if (target !== "") targets.add(target);
    }
  }
  return targets;
}

let daemon: TestDaemon;
let client: RpcClient;
const created = new Map<string, { id: string; body: string }>();

beforeAll(async () => {
  daemon = await startTestDaemon();
  client = new RpcClient(daemon.paths.socket);
  for (const file of markdownFiles(VAULT)) {
    const title = basename(file, ".md");
    const text = readFileSync(file, "utf8");
    await client.call("node.create", { kind: "doc", title, body: text });
    const node = await client.call("node.find", { ref: title });
    const stored = await client.call("node.get", { id: node.id });
    created.set(title, { id: node.id, body: stored.body });
  }
}, 120_000);

afterAll(async () => {
  client.close();
  await daemon.stop();
});

describe("the obsidian-tasks-demo vault", () => {
  test("every note was created", () => {
    expect(created.size).toBe(markdownFiles(VAULT).length);
    expect(created.size).toBeGreaterThan(200);
  });

  test("every [[link]] outside code is a wiki link row, and targets naming a note resolve", async () => {
    const names = new Map(
      [...created.keys()].map((title) => [title.toLowerCase(), created.get(title)?.id]),
    );
    let checked = 0;
    let resolvedCount = 0;
    for (const [title, { id, body }] of created) {
      const rows = (await client.call("links.out", { id })).filter((link) => link.type === "wiki");
      const byTarget = new Map(rows.map((row) => [row.target, row]));
      for (const target of expectedTargets(body)) {
        const row = byTarget.get(target);
        expect({ note: title, target, found: row !== undefined }).toEqual({
          note: title,
          target,
          found: true,
        });
        const named = target.split("/").pop()?.replace(/\.md$/i, "").toLowerCase() ?? "";
        if (names.has(named)) {
          expect({ note: title, target, dst: row?.dst }).toEqual({
            note: title,
            target,
            dst: names.get(named),
          });
          resolvedCount++;
        }
        checked++;
      }
      // No link rows the independent scan did not see.
      expect(
        rows.filter((row) => !expectedTargets(body).has(row.target)).map((row) => row.target),
      ).toEqual([]);
    }
    expect(checked).toBeGreaterThan(40);
    expect(resolvedCount).toBeGreaterThan(20);
  });
});
