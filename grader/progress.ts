/**
 * The learner's progress, kept in `.kata/progress.json` (git-ignored, validated with zod): the last solo-mode
 * report of each chapter with a key of everything it depends on, so `kata list` and `npm start` re-run only the
 * chapters that changed; how many hints of each task have been revealed; the chapter watch mode was on, so it
 * resumes there; and when every chapter first passed. A file that does not parse is kept aside as
 * `progress.invalid.json` and progress starts afresh.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { ChapterId, type Chapter } from "./curriculum.ts";
import { gradeChapters } from "./grade.ts";
import { ChapterReport } from "./report.ts";

export const ProgressFile = z.object({
  /** per chapter, its last solo-mode report and the key of what it was graded on (chapterKey) */
  chapters: z.partialRecord(ChapterId, z.object({ key: z.string(), report: ChapterReport })),
  /** per chapter and task number, how many hints are revealed */
  hints: z.partialRecord(ChapterId, z.record(z.string(), z.int().nonnegative())),
  /** the chapter watch mode was last on: it opens there again while that chapter does not pass */
  current: ChapterId.optional(),
  /** when watch mode first saw every chapter pass (the celebration is shown in full once) */
  finishedAt: z.iso.datetime().optional(),
});
export type ProgressFile = z.infer<typeof ProgressFile>;

const path = (root: string) => join(root, ".kata", "progress.json");

/** The learner's progress; empty when there is none yet (or the file was invalid: it is kept aside). */
export function loadProgress(root: string): ProgressFile {
  let text: string;
  try {
    text = readFileSync(path(root), "utf8");
  } catch {
    return { chapters: {}, hints: {} };
  }
  try {
    return ProgressFile.parse(JSON.parse(text));
  } catch {
    renameSync(path(root), join(root, ".kata", "progress.invalid.json"));
    return { chapters: {}, hints: {} };
  }
}
const load = loadProgress;

function save(root: string, progress: ProgressFile): void {
  mkdirSync(join(root, ".kata"), { recursive: true });
  writeFileSync(path(root), JSON.stringify(progress, null, 1) + "\n");
}

function hashTree(hash: ReturnType<typeof createHash>, root: string, rel: string): void {
  const abs = join(root, rel);
  if (!existsSync(abs)) return;
  if (statSync(abs).isDirectory()) {
    for (const name of readdirSync(abs).sort()) if (name !== "node_modules") hashTree(hash, root, `${rel}/${name}`);
    return;
  }
  hash.update(`${rel}\0`).update(readFileSync(abs)).update("\0");
}

/** A key of everything a chapter's solo result depends on: its code, its tests, the reference and the grader. */
export function chapterKey(root: string, id: ChapterId): string {
  const hash = createHash("sha256");
  for (const rel of [`chapters/${id}`, `tests/${id}`, "solutions", "kit", "tests/_support", "grader", "package.json"]) {
    hashTree(hash, root, rel);
  }
  return hash.digest("hex");
}

/** Solo-mode reports of the available chapters, graded again where anything they depend on changed. */
export async function currentReports(root: string, chapters: readonly Chapter[]): Promise<Map<ChapterId, ChapterReport>> {
  const progress = load(root);
  const available = chapters.filter((c) => c.status === "available");
  const keys = new Map(available.map((c) => [c.id, chapterKey(root, c.id)]));
  const stale = available.filter((c) => progress.chapters[c.id]?.key !== keys.get(c.id));
  if (stale.length > 0) {
    const reports = await gradeChapters({ workspace: root, chapters: stale, mode: "solo" });
    for (const report of reports) progress.chapters[report.id] = { key: keys.get(report.id)!, report };
    save(root, progress);
  }
  return new Map(available.flatMap((c) => (progress.chapters[c.id] === undefined ? [] : [[c.id, progress.chapters[c.id]!.report] as const])));
}

/**
 * Records solo-mode reports just graded (by `kata check`, `kata grade` or watch mode). `keys` are the chapters'
 * keys taken before the run (watch mode: a file saved during the run makes the report stale, as it is); by
 * default they are taken now.
 */
export function remember(root: string, reports: readonly ChapterReport[], keys?: ReadonlyMap<ChapterId, string>): void {
  const progress = load(root);
  for (const report of reports) progress.chapters[report.id] = { key: keys?.get(report.id) ?? chapterKey(root, report.id), report };
  save(root, progress);
}

/**
 * The last report of each chapter without grading anything, and whether it is *fresh* (nothing it depends on
 * changed since). Watch mode opens with these and checks only what it needs.
 */
export function cachedReports(root: string, chapters: readonly Chapter[]): Map<ChapterId, { report: ChapterReport; fresh: boolean }> {
  const progress = load(root);
  const out = new Map<ChapterId, { report: ChapterReport; fresh: boolean }>();
  for (const c of chapters) {
    const entry = progress.chapters[c.id];
    if (c.status === "available" && entry !== undefined) out.set(c.id, { report: entry.report, fresh: entry.key === chapterKey(root, c.id) });
  }
  return out;
}

/** Changes the learner-facing fields of the progress file (the chapter watch mode is on, the finish). */
export function updateProgress(root: string, change: Partial<Pick<ProgressFile, "current" | "finishedAt">>): ProgressFile {
  const progress = { ...load(root), ...change };
  save(root, progress);
  return progress;
}

/** How many hints of a task are revealed. */
export function hintsShown(progress: ProgressFile, id: ChapterId, task: number): number {
  return progress.hints[id]?.[String(task)] ?? 0;
}

/** Reveals one more hint of a task (up to `available`) and returns how many are revealed now. */
export function revealHint(root: string, id: ChapterId, task: number, available: number): number {
  const progress = load(root);
  const mine = (progress.hints[id] ??= {});
  const shown = Math.min(available, (mine[String(task)] ?? 0) + 1);
  mine[String(task)] = shown;
  save(root, progress);
  return shown;
}
