/**
 * A temporary workspace for grading a submission: our package.json, kit, solutions, hidden tests and
 * node_modules, with only `chapters/` taken from the submission. A chapter the submission leaves out is graded as
 * not started: its pristine stubs stand in for it (`kata reset`'s source: the release snapshot, or git), where
 * the missing module would have failed every test with "Cannot find module '#kata/NN-slug'".
 *
 * Everything that holds modules is copied, not symlinked: Node and vite resolve a symlink to its real path, and
 * `#kata/...` from a linked file would then resolve against our repository's chapters instead of the
 * submission's. Only `node_modules` is linked. Nothing else of the submission is read (no tests, no config),
 * and symlinks inside its chapters are skipped.
 */
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { SLUGS, type ChapterId } from "./curriculum.ts";
import { PristineError, pristineSource, type PristineFile } from "./watch/pristine.ts";

export class WorkspaceError extends Error {
  override readonly name = "WorkspaceError";
}

export interface Workspace {
  root: string;
  dispose(): void;
}

const OURS = ["package.json", "tsconfig.base.json", "tsconfig.json", "tsconfig.solutions.json", "kit", "solutions", "tests"];

export function createWorkspace(ourRoot: string, submission: string): Workspace {
  const from = resolve(submission);
  if (!existsSync(from) || !statSync(from).isDirectory()) throw new WorkspaceError(`${submission}: no such directory`);
  const chapters = join(from, "chapters");
  if (!existsSync(chapters) || !statSync(chapters).isDirectory()) {
    throw new WorkspaceError(`${submission} has no chapters/ directory: is it a copy of the workbook?`);
  }
  const root = mkdtempSync(join(tmpdir(), "kata-ws-"));
  const dispose = () => rmSync(root, { recursive: true, force: true });
  try {
    for (const name of OURS) {
      if (existsSync(join(ourRoot, name))) cpSync(join(ourRoot, name), join(root, name), { recursive: true });
    }
    symlinkSync(join(ourRoot, "node_modules"), join(root, "node_modules"), "dir");
    for (const id of SLUGS) {
      const dir = join(chapters, id);
      if (existsSync(dir)) {
        cpSync(dir, join(root, "chapters", id), {
          recursive: true,
          filter: (src) => !lstatSync(src).isSymbolicLink() && basename(src) !== "node_modules",
        });
        continue;
      }
      for (const f of pristineFiles(ourRoot, id)) {
        mkdirSync(dirname(join(root, f.path)), { recursive: true });
        writeFileSync(join(root, f.path), f.text);
      }
    }
    return { root, dispose };
  } catch (e) {
    dispose();
    throw e;
  }
}

/** Our pristine stubs of chapter `id`, none when this copy has no source of them; read once per process. */
const pristineCache = new Map<string, PristineFile[]>();

function pristineFiles(ourRoot: string, id: ChapterId): PristineFile[] {
  const key = `${resolve(ourRoot)}\0${id}`;
  let files = pristineCache.get(key);
  if (files === undefined) {
    try {
      files = pristineSource(ourRoot).files(id);
    } catch (e) {
      if (!(e instanceof PristineError)) throw e;
      files = [];
    }
    pristineCache.set(key, files);
  }
  return files;
}
