/**
 * The pristine stubs of each chapter, for `kata reset`: where they come from, and how a chapter is restored.
 *
 * Two sources, the first that exists wins:
 * 1. A snapshot, `grader/pristine.json`: every file of `chapters/` with its text and sha256, taken when a student
 *    release is made (`writePristineSnapshot`, called by `kata release` on the bundle it has just assembled, whose
 *    chapters are the stubs by construction). A bundle then resets without git, whatever the learner committed.
 * 2. Git: in a clone of this repository (no snapshot), the files as committed at `HEAD`, or at `--from <rev>`.
 *    The authors' `chapters/` are the stubs (verify's gate 2 fails every hidden test on them), so `HEAD` is pristine
 *    unless the learner committed their own work over the chapter: then `--from` names an older commit
 *    (`git log -- chapters/NN-slug` shows which).
 *
 * A reset never deletes: files the learner added are kept, and every file it overwrites is first copied to
 * `.kata/backup/<time>/`.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { z } from "zod";
import { ChapterId, SLUGS } from "../curriculum.ts";

/** Where a student release keeps its snapshot, relative to the workbook's root. */
export const PRISTINE_SNAPSHOT = "grader/pristine.json";

const sha256 = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");

export const PristineFile = z.strictObject({
  /** relative to the workbook's root, e.g. "chapters/01-poll/poll.ts" */
  path: z.string().regex(/^chapters\/\d\d-[a-z-]+\/.+$/),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  text: z.string(),
});
export type PristineFile = z.infer<typeof PristineFile>;

export const PristineSnapshot = z.strictObject({
  schema: z.literal("kata-pristine/1"),
  /** the commit the release was made from, when known */
  commit: z.string().nullable(),
  chapters: z.partialRecord(ChapterId, z.array(PristineFile)),
});
export type PristineSnapshot = z.infer<typeof PristineSnapshot>;

export class PristineError extends Error {
  override readonly name = "PristineError";
}

/** Every file under `dir`, relative to it, sorted. */
function walk(dir: string, rel = ""): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(dir, rel)).sort()) {
    const path = rel === "" ? name : `${rel}/${name}`;
    if (statSync(join(dir, path)).isDirectory()) out.push(...walk(dir, path));
    else out.push(path);
  }
  return out;
}

/**
 * The snapshot of a workbook's `chapters/` as they are now: for `kata release`, on the bundle it assembled (whose
 * chapters are the pristine stubs). Text files only (the chapters hold nothing else).
 */
export function pristineSnapshot(root: string, commit: string | null = null): PristineSnapshot {
  const chapters: PristineSnapshot["chapters"] = {};
  for (const id of SLUGS) {
    const dir = join(root, "chapters", id);
    if (!existsSync(dir)) continue;
    chapters[id] = walk(dir).map((rel) => {
      const text = readFileSync(join(dir, rel), "utf8");
      return { path: `chapters/${id}/${rel}`, sha256: sha256(text), text };
    });
  }
  return { schema: "kata-pristine/1", commit, chapters };
}

/** Writes the snapshot of `root`'s chapters to `root/grader/pristine.json` (what `kata release` calls on its bundle). */
export function writePristineSnapshot(root: string, commit: string | null = null): PristineSnapshot {
  const snapshot = pristineSnapshot(root, commit);
  mkdirSync(dirname(join(root, PRISTINE_SNAPSHOT)), { recursive: true });
  writeFileSync(join(root, PRISTINE_SNAPSHOT), JSON.stringify(snapshot) + "\n");
  return snapshot;
}

/** Where pristine files come from, and the files of one chapter. */
export interface PristineSource {
  /** for the learner: "the release snapshot", "git HEAD (3fa21d6)" */
  describe: string;
  files(id: ChapterId): PristineFile[];
}

function git(root: string, args: string[]): string {
  return execFileSync("git", ["-C", root, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 << 20 });
}

function snapshotSource(root: string): PristineSource {
  let snapshot: PristineSnapshot;
  try {
    snapshot = PristineSnapshot.parse(JSON.parse(readFileSync(join(root, PRISTINE_SNAPSHOT), "utf8")));
  } catch (e) {
    throw new PristineError(`${PRISTINE_SNAPSHOT} is not a valid snapshot: ${(e as Error).message.split("\n")[0]}`);
  }
  for (const files of Object.values(snapshot.chapters)) {
    for (const f of files) if (sha256(f.text) !== f.sha256) throw new PristineError(`${PRISTINE_SNAPSHOT}: ${f.path} does not match its sha256`);
  }
  return {
    describe: `the release snapshot (${PRISTINE_SNAPSHOT}${snapshot.commit === null ? "" : `, from ${snapshot.commit.slice(0, 7)}`})`,
    files: (id) => snapshot.chapters[id] ?? [],
  };
}

function gitSource(root: string, rev: string): PristineSource {
  let top: string;
  let commit: string;
  try {
    top = git(root, ["rev-parse", "--show-toplevel"]).trim();
    commit = git(root, ["rev-parse", "--verify", "--quiet", `${rev}^{commit}`]).trim();
  } catch {
    throw new PristineError(`no pristine stubs: this workbook has no ${PRISTINE_SNAPSHOT} and ${rev === "HEAD" ? "is not a git clone" : `git knows no commit "${rev}"`}`);
  }
  if (resolve(top) !== resolve(root)) throw new PristineError(`no pristine stubs: this workbook has no ${PRISTINE_SNAPSHOT} and is not the root of a git clone`);
  return {
    describe: `git ${rev === "HEAD" ? "HEAD" : rev} (${commit.slice(0, 7)})`,
    files: (id) =>
      git(root, ["ls-tree", "-r", "--name-only", commit, "--", `chapters/${id}/`])
        .split("\n")
        .filter((p) => p !== "")
        .map((path) => {
          const text = git(root, ["show", `${commit}:${path}`]);
          return { path, sha256: sha256(text), text };
        }),
  };
}

/** The pristine source of a workbook: its release snapshot, else git at `rev` (HEAD by default). */
export function pristineSource(root: string, rev?: string): PristineSource {
  if (rev === undefined && existsSync(join(root, PRISTINE_SNAPSHOT))) return snapshotSource(root);
  return gitSource(root, rev ?? "HEAD");
}

/** What resetting a chapter would do. */
export interface ResetPlan {
  id: ChapterId;
  /** pristine files whose current text differs, or that are missing */
  restore: PristineFile[];
  /** files of the chapter that are not in the pristine set: left alone */
  kept: string[];
}

export function planReset(root: string, source: PristineSource, id: ChapterId): ResetPlan {
  const pristine = source.files(id);
  if (pristine.length === 0) throw new PristineError(`${source.describe} has no files for chapters/${id}`);
  const dir = join(root, "chapters", id);
  const current = existsSync(dir) ? walk(dir).map((rel) => `chapters/${id}/${rel}`) : [];
  const known = new Set(pristine.map((f) => f.path));
  const restore = pristine.filter((f) => {
    const path = join(root, f.path);
    return !existsSync(path) || sha256(readFileSync(path)) !== f.sha256;
  });
  return { id, restore, kept: current.filter((p) => !known.has(p)) };
}

/** Copies the files a reset will overwrite to `backupDir`, then writes the pristine ones. */
export function applyReset(root: string, plan: ResetPlan, backupDir: string): void {
  for (const f of plan.restore) {
    const path = join(root, f.path);
    if (existsSync(path)) {
      mkdirSync(dirname(join(backupDir, f.path)), { recursive: true });
      copyFileSync(path, join(backupDir, f.path));
    }
  }
  for (const f of plan.restore) {
    mkdirSync(dirname(join(root, f.path)), { recursive: true });
    writeFileSync(join(root, f.path), f.text);
  }
}
