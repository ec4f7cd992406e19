/**
 * Temporary workbooks for the grader's own tests: a learner's submission made from this repository's pristine
 * chapters with a few files changed, and a small synthetic workbook for testing the runner alone.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");

export interface TempDir {
  dir: string;
  dispose(): void;
}

function tempDir(prefix: string): TempDir {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
}

/** A copy of this workbook's `chapters/`, with `copy` (chapter → solution copied over it) and `files` applied. */
export function submission(options: { solutions?: string[]; files?: Record<string, string> } = {}): TempDir {
  const t = tempDir("kata-sub-");
  cpSync(join(ROOT, "chapters"), join(t.dir, "chapters"), { recursive: true });
  for (const id of options.solutions ?? []) cpSync(join(ROOT, "solutions", id), join(t.dir, "chapters", id), { recursive: true });
  writeFiles(t.dir, options.files ?? {});
  return t;
}

/** A workbook of its own: package.json with `#kata/01-poll` and `#kit/*`, the kit, node_modules, and `files`. */
export function workbook(files: Record<string, string>): TempDir {
  const t = tempDir("kata-wb-");
  const imports = {
    "#kit/*": "./kit/*.ts",
    "#kata/01-poll": { "kata-ref-01": "./solutions/01-poll/index.ts", default: "./chapters/01-poll/index.ts" },
  };
  writeFiles(t.dir, { "package.json": JSON.stringify({ type: "module", imports }), ...files });
  cpSync(join(ROOT, "kit"), join(t.dir, "kit"), { recursive: true });
  symlinkSync(join(ROOT, "node_modules"), join(t.dir, "node_modules"), "dir");
  return t;
}
