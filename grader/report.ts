/**
 * The grade report: the JSON `kata grade --format json` writes (validated with these schemas before it is
 * written), and what every text view is rendered from.
 */
import { z } from "zod";
import { ChapterId } from "./curriculum.ts";

export const TestStatus = z.enum(["pass", "fail", "timeout", "error"]);
export type TestStatus = z.infer<typeof TestStatus>;

export const TestReport = z.strictObject({
  /** the describe path and the test's name, joined by " > " (as in the manifest) */
  name: z.string(),
  file: z.string(),
  task: z.int().positive(),
  points: z.number().nonnegative(),
  status: TestStatus,
  /** why it did not pass: the assertion's message only (absent when it passed) */
  message: z.string().optional(),
  /** it failed only because a stub still throws NotImplementedError */
  notImplemented: z.boolean(),
  /** how long the test ran, when it ran to an end */
  durationMs: z.number().nonnegative().optional(),
});
export type TestReport = z.infer<typeof TestReport>;

export const TaskReport = z.strictObject({
  task: z.int().positive(),
  title: z.string(),
  score: z.number().nonnegative(),
  maxScore: z.number().nonnegative(),
  passed: z.int().nonnegative(),
  total: z.int().nonnegative(),
});
export type TaskReport = z.infer<typeof TaskReport>;

/** "not-started": nothing passes and every failure is a stub's NotImplementedError; "no-tests": no manifest yet. */
export const ChapterStatus = z.enum(["not-started", "in-progress", "done", "no-tests"]);
export type ChapterStatus = z.infer<typeof ChapterStatus>;

export const Mode = z.enum(["solo", "integrated", "reference"]);
export type Mode = z.infer<typeof Mode>;

export const ChapterReport = z.strictObject({
  id: ChapterId,
  title: z.string(),
  /** "solo:01", "integrated" or "reference" */
  mode: z.string(),
  status: ChapterStatus,
  score: z.number().nonnegative(),
  maxScore: z.number().nonnegative(),
  passed: z.int().nonnegative(),
  total: z.int().nonnegative(),
  tasks: z.array(TaskReport),
  tests: z.array(TestReport),
});
export type ChapterReport = z.infer<typeof ChapterReport>;

/**
 * The integration suite (`tests/integration/`: the apps on the assembled runtime), graded as a section of its own:
 * against the solutions in reference mode, against the learner's chapters otherwise. Its tasks are its apps.
 */
export const IntegrationReport = ChapterReport.extend({ id: z.literal("integration") });
export type IntegrationReport = z.infer<typeof IntegrationReport>;
export type SectionReport = ChapterReport | IntegrationReport;
export const SectionId = z.union([ChapterId, z.literal("integration")]);
export type SectionId = z.infer<typeof SectionId>;

export const GradeReport = z.strictObject({
  schema: z.literal("kata-grade/1"),
  mode: Mode,
  /** the submission's directory as given on the command line, or null for this workbook's own chapters */
  submission: z.string().nullable(),
  generatedAt: z.iso.datetime(),
  durationMs: z.int().nonnegative(),
  score: z.number().nonnegative(),
  maxScore: z.number().nonnegative(),
  chapters: z.array(ChapterReport),
  /** the integration suite, when it was graded (a full grade; never a single chapter's) */
  integration: IntegrationReport.nullable().default(null),
  /** chapters of the curriculum that are not written yet */
  coming: z.array(ChapterId),
});
export type GradeReport = z.infer<typeof GradeReport>;

export function chapterStatus(tests: readonly TestReport[]): ChapterStatus {
  if (tests.length === 0) return "no-tests";
  if (tests.every((t) => t.status === "pass")) return "done";
  if (tests.every((t) => t.status !== "pass" && t.notImplemented)) return "not-started";
  return "in-progress";
}

/**
 * Sums a chapter's tests into its report. The tests are listed in task order (in file order within a task), so
 * that "the first failure" every view shows is the one of the earliest unfinished task, not of the file that
 * happens to sort first.
 */
export function chapterReport<I extends SectionId>(
  base: { id: I; title: string; mode: string; tasks: readonly string[] },
  unordered: readonly TestReport[],
): Omit<ChapterReport, "id"> & { id: I } {
  const tests = [...unordered].sort((a, b) => a.task - b.task);
  const score = (ts: readonly TestReport[]) => ts.reduce((s, t) => s + (t.status === "pass" ? t.points : 0), 0);
  const max = (ts: readonly TestReport[]) => ts.reduce((s, t) => s + t.points, 0);
  const tasks = base.tasks.map((title, i) => {
    const mine = tests.filter((t) => t.task === i + 1);
    return {
      task: i + 1,
      title,
      score: score(mine),
      maxScore: max(mine),
      passed: mine.filter((t) => t.status === "pass").length,
      total: mine.length,
    };
  });
  return {
    id: base.id,
    title: base.title,
    mode: base.mode,
    status: chapterStatus(tests),
    score: score(tests),
    maxScore: max(tests),
    passed: tests.filter((t) => t.status === "pass").length,
    total: tests.length,
    tasks,
    tests,
  };
}
