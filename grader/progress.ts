/**
 * The learner's progress, kept in `.kata/` (git-ignored): the last solo-mode report of each chapter with a key
 * of everything it depends on, so `kata list` and `npm start` re-run only the chapters that changed, and how
 * many hints of each task have been revealed.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { ChapterId, type Chapter } from "./curriculum.ts";
import { gradeChapters } from "./grade.ts";
import { ChapterReport } from "./report.ts";

const ProgressFile = z.object({
  chapters: z.partialRecord(ChapterId, z.object({ key: z.string(), report: ChapterReport })),
  hints: z.partialRecord(ChapterId, z.record(z.string(), z.int().nonnegative())),
});
type ProgressFile = z.infer<typeof ProgressFile>;

const path = (root: string) => join(root, ".kata", "progress.json");

function load(root: string): ProgressFile {
  try {
    return ProgressFile.parse(JSON.parse(readFileSync(path(root), "utf8")));
  } catch {
    return { chapters: {}, hints: {} };
  }
}

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

/** Records a solo-mode report just graded (by `kata check` or `kata grade`). */
export function remember(root: string, reports: readonly ChapterReport[]): void {
  const progress = load(root);
  for (const report of reports) progress.chapters[report.id] = { key: chapterKey(root, report.id), report };
  save(root, progress);
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
