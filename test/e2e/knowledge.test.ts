/** The knowledge-base commands on the compiled binary, with a scripted $EDITOR. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type BinaryDaemon, hephBinary, runHeph, startBinaryDaemon } from "../helpers/binary.ts";

let daemon: BinaryDaemon;
let env: Record<string, string>;
let paths: BinaryDaemon["paths"];

beforeAll(async () => {
  daemon = await startBinaryDaemon();
  ({ env, paths } = daemon);
});
afterAll(() => daemon.stop());

const heph = (args: string[], extraEnv: Record<string, string> = {}) =>
  runHeph(args, { ...env, ...extraEnv });
async function json(...args: string[]) {
  const result = await heph([...args, "--json"]);
  if (result.exitCode !== 0)
    throw new Error(`heph ${args.join(" ")} failed (${result.exitCode}): ${result.stderr}`);
  return JSON.parse(result.stdout);
}

/** An $EDITOR that runs a shell snippet on the file it is given. */
function scriptedEditor(name: string, script: string): string {
  const path = join(paths.dir, name);
  writeFileSync(path, `#!/bin/sh\nset -e\nfile="$1"\n${script}\n`);
  chmodSync(path, 0o755);
  return path;
}

describe("docs, links and journals", () => {
  test("doc new, doc show by title or alias, links, backlinks, resolve", async () => {
    const garden = await json(
      "doc",
      "new",
      "Garden",
      "--body",
      "---\naliases: [The Plot]\n---\nBeds and paths.\n",
    );
    expect(garden).toMatchObject({
      title: "Garden",
      aliases: ["The Plot"],
      body: "Beds and paths.\n",
    });
    await json(
      "doc",
      "new",
      "Spring plan",
      "--body",
      "Start with [[the plot]] and [[Seeds]]. #planning",
    );
    const shown = await heph(["doc", "show", "the plot"]);
    expect(shown.stdout).toContain("Garden");
    expect(shown.stdout).toContain("Beds and paths.");
    const out = await json("links", "Spring plan");
    expect(
      out.map((l: { target: string; type: string }) => `${l.type}:${l.target}`).sort(),
    ).toEqual(["tag:planning", "wiki:Seeds", "wiki:the plot"]);
    const back = await json("backlinks", "Garden");
    expect(back.map((l: { src_title: string }) => l.src_title)).toEqual(["Spring plan"]);
    expect((await heph(["backlinks", "Garden"])).stdout).toContain("Spring plan");
    expect((await json("resolve", "the plot")).id).toBe(garden.id);
    const none = await heph(["resolve", "Nowhere"]);
    expect(none.exitCode).toBe(1);
    expect(none.stdout).toContain("Nothing answers");
  });

  test("today and journal give the same node for a date", async () => {
    const today = await json("today");
    const again = await json("journal", new Date().toISOString().slice(0, 10));
    expect(again.id).toBe(today.id);
    expect((await heph(["journal", "not a date"])).exitCode).toBe(1);
  });

  test("search and tags", async () => {
    const hits = await json("search", "beds");
    expect(hits[0].title).toBe("Garden");
    expect(hits[0].snippet).toContain("[Beds]");
    expect((await heph(["search", 'foo"bar AND ('])).exitCode).toBe(0);
    expect((await heph(["search", "beds", "--kind", "poem"])).exitCode).toBe(2);
    expect((await json("tag", "add", "Garden", "outdoors")).tags).toEqual(["outdoors"]);
    expect((await json("tag", "rm", "Garden", "#outdoors")).tags).toEqual([]);
  });
});

describe("heph edit in $EDITOR", () => {
  test("changes made in the editor are saved, frontmatter included", async () => {
    await json("doc", "new", "Reading", "--body", "- Dune\n");
    const editor = scriptedEditor(
      "editor-append.sh",
      'sed -i "s/^title: Reading$/title: Reading list/" "$file"; printf -- "- Emma\\n" >> "$file"',
    );
    const result = await heph(["edit", "Reading"], { EDITOR: editor });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("Saved");
    const node = await json("doc", "show", "Reading list");
    expect(node.body).toBe("- Dune\n- Emma\n");
  });

  test("an unchanged file saves nothing; a failing editor saves nothing", async () => {
    expect((await heph(["edit", "Reading list"], { EDITOR: "true" })).stdout).toContain(
      "No changes",
    );
    const failed = await heph(["edit", "Reading list"], { EDITOR: "false" });
    expect(failed.exitCode).toBe(1);
    expect(failed.stderr).toContain("nothing was saved");
  });

  test("a change made meanwhile is not overwritten: the user's text is kept in a file", async () => {
    const node = await json("doc", "new", "Contested", "--body", "original\n");
    // The editor changes the file, and meanwhile someone else saves the node (a tag, over the CLI).
    const editor = scriptedEditor(
      "editor-race.sh",
      `printf "mine\\n" >> "$file"\nHEPH_SOCKET="${paths.socket}" "${hephBinary}" tag add ${node.id} theirs >/dev/null`,
    );
    const result = await heph(["edit", node.id], { EDITOR: editor });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("changed while you were editing");
    const kept = result.stderr.match(/kept in (\S+\.md)/)?.[1] as string;
    expect(existsSync(kept)).toBe(true);
    expect(readFileSync(kept, "utf8")).toContain("mine");
    const current = await json("doc", "show", node.id);
    expect(current).toMatchObject({ body: "original\n", tags: ["theirs"] });
  });
});
