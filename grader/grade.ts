/**
 * Grading: run chapters' hidden suites in a grading mode and turn the runs into chapter reports.
 *
 * All the chapters graded go into one vitest child, one project per chapter (in solo mode each chapter has its
 * own resolve conditions), two forks at a time. That is measured faster than one child per chapter (19
 * synthetic chapters of 20 tests: 8.4-10.2 s against 12.3-15.0 s, two children at a time), because each child
 * pays vitest's start-up. If the shared run itself is untrusted (the code killed vitest, or the deadline ran
 * out), each chapter is graded again in a child of its own, so one chapter cannot sink the others. A chapter's
 * tests are the ones its manifest lists; the manifest comes from this workbook, never from the code graded.
 */
import { conditionsFor, parseMode } from "#kit/modes";
import { type Chapter, type ChapterId, type ManifestTest } from "./curriculum.ts";
import type { IntegrationSuite } from "./integration.ts";
import { chapterReport, type ChapterReport, type IntegrationReport, type Mode, type SectionId, type TestReport } from "./report.ts";
import { runPlan, type RunOutcome } from "./run/spawn.ts";
import { assertStarted, judge, runProblem, stoppedByOthers } from "./run/verdicts.ts";

export interface RunSettings {
  /** vitest's per-test timeout */
  testTimeoutMs: number;
  /** the watchdog's limit for a blocked fork */
  hardMs: number;
  heapMb: number;
  /** forks per vitest child */
  maxWorkers: number;
  /** vitest children at a time, when chapters are graded one child each */
  concurrency: number;
  /** the overall deadline of one vitest child, before the allowance per test (deadlineFor) */
  baseDeadlineMs: number;
  /** each fork's resident memory cap (the watchdog's), beside the heap cap */
  memMb?: number;
  /** false: the files of a project share forks (RunPlan.isolate; kata verify only); default true */
  isolate?: boolean;
}

export const DEFAULT_SETTINGS: RunSettings = {
  testTimeoutMs: 5_000,
  hardMs: 10_000,
  heapMb: 512,
  maxWorkers: 2,
  concurrency: 2,
  baseDeadlineMs: 60_000,
  memMb: 1024,
};

/**
 * The settings of runs of this repository's own reference (and pristine stubs): `kata verify`'s gates 1 and 2, the
 * release's examples manifest, `kata manifest`. Their forks are shared by the files of a run (RunPlan.isolate): such
 * code needs no walls between files, and a fork per file made them three times slower (1,044 tests in 113 files:
 * 33 s against 11 s). Every file still gets the watchdog, the integrity locks and its canary. Grading never shares.
 */
export const SHARED_SETTINGS: RunSettings = { ...DEFAULT_SETTINGS, isolate: false };

/** The per-test allowance of the integration suite in a run's deadline (its real-socket tests set 20 s each). */
export const INTEGRATION_TEST_MS = 20_000;

/** Tests assumed per file where they are not known yet (verify, manifest): a generous count. */
export const TESTS_PER_FILE = 30;

/**
 * The overall deadline of a run of `tests` tests: it only ends a run whose vitest itself is stuck, so it allows
 * every test its full timeout (the watchdog and the per-test timeout end everything the learner's code can hang).
 */
export function deadlineFor(tests: number, settings: RunSettings): number {
  return settings.baseDeadlineMs + Math.ceil((tests * settings.testTimeoutMs) / settings.maxWorkers);
}

/** The mode name of a chapter's run: "solo:01", "integrated" or "reference". */
export function modeName(mode: Mode, chapter: ChapterId): string {
  return mode === "solo" ? `solo:${chapter.slice(0, 2)}` : mode;
}

/** Test files to run in a grading mode ("solo:01", "integrated", "reference"), which also names its project. */
export interface Suite {
  mode: string;
  files: string[];
}

/** Runs `items` with at most `limit` at a time, keeping their order in the result. */
export async function pool<T, R>(items: readonly T[], limit: number, f: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Runs suites in one vitest child, stopped at `deadlineMs`; suites of the same mode share one project. */
export function runSuites(workspace: string, suites: readonly Suite[], settings: RunSettings, deadlineMs: number, skip?: string[]): Promise<RunOutcome> {
  const files = new Map<string, string[]>();
  for (const s of suites) files.set(s.mode, [...(files.get(s.mode) ?? []), ...s.files]);
  return runPlan(
    {
      root: workspace,
      projects: [...files].map(([mode, fs]) => ({ name: mode, conditions: conditionsFor(parseMode(mode)), files: fs })),
      testTimeoutMs: settings.testTimeoutMs,
      hardMs: settings.hardMs,
      heapMb: settings.heapMb,
      ...(settings.memMb === undefined ? {} : { memMb: settings.memMb }),
      maxWorkers: settings.maxWorkers,
      ...(settings.isolate === undefined ? {} : { isolate: settings.isolate }),
      ...(skip === undefined ? {} : { skip }),
    },
    deadlineMs,
  );
}

export interface GradeInput {
  /** the workbook the tests run in: this repository, or a submission's temporary workspace */
  workspace: string;
  chapters: readonly Chapter[];
  mode: Mode;
  settings?: RunSettings;
}

/** The tests a chapter is graded on: its manifest's. */
export function expectedTests(chapter: Chapter): ManifestTest[] {
  return chapter.manifest?.tests ?? [];
}

/** A section graded: a chapter, or the integration suite. */
interface Graded {
  id: SectionId;
  title: string;
  tasks: readonly string[];
  expected: readonly ManifestTest[];
  mode: string;
  files: string[];
}

/** Runs of a file again, each without the tests that stopped its fork in the runs before. */
const MAX_RERUNS = 3;

/**
 * A section's verdicts from its run. A test that stopped its file's fork (a hang, a crash, a memory bomb) keeps its
 * verdict, and the tests it left without a result run again without it, so that one bad test costs only itself.
 */
async function verdicts(g: Graded, outcome: RunOutcome, workspace: string, settings: RunSettings, deadlineMs: number): Promise<TestReport[]> {
  const judged = (o: RunOutcome, expected: readonly ManifestTest[], ms: number) =>
    judge({ outcome: o, project: g.mode, expected, root: workspace, deadlineMs: ms, hardMs: settings.hardMs });
  const tests = judged(outcome, g.expected, deadlineMs);
  const skip: string[] = [];
  let last = outcome;
  let pending: readonly ManifestTest[] = g.expected;
  for (let round = 0; round < MAX_RERUNS; round++) {
    const stopped = stoppedByOthers(last, g.mode, pending);
    if (stopped.tests.length === 0) break;
    skip.push(...stopped.culprits);
    pending = stopped.tests;
    const files = [...new Set(pending.map((t) => t.file))];
    const ms = settings.baseDeadlineMs + Math.ceil((pending.length * settings.testTimeoutMs) / settings.maxWorkers);
    last = await runSuites(workspace, [{ mode: g.mode, files }], settings, ms, skip);
    const again = judged(last, pending, ms);
    for (const v of again) tests[tests.findIndex((t) => t.file === v.file && t.name === v.name)] = v;
  }
  return tests;
}

async function report(g: Graded, outcome: RunOutcome | undefined, workspace: string, settings: RunSettings, deadlineMs: number) {
  const base = { id: g.id, title: g.title, mode: g.mode, tasks: g.tasks };
  if (outcome === undefined) return chapterReport(base, []);
  return chapterReport(base, await verdicts(g, outcome, workspace, settings, deadlineMs));
}

/** Grades chapters in one vitest child, or one child per chapter if the shared run cannot be trusted. */
export async function gradeChapters(input: GradeInput): Promise<ChapterReport[]> {
  return (await gradeSections(input)).chapters;
}

export interface Sections {
  chapters: ChapterReport[];
  integration: IntegrationReport | null;
}

/**
 * Grades chapters, and the integration suite if one is given (in `integrated` mode unless the mode is `reference`),
 * in one vitest child; if that run cannot be trusted, each section again in a child of its own.
 */
export async function gradeSections(input: GradeInput & { integration?: IntegrationSuite | null }): Promise<Sections> {
  const settings = input.settings ?? DEFAULT_SETTINGS;
  const graded: Graded[] = input.chapters.map((chapter) => ({
    id: chapter.id,
    title: chapter.title,
    tasks: chapter.tasks,
    expected: expectedTests(chapter),
    mode: modeName(input.mode, chapter.id),
    files: [...new Set(expectedTests(chapter).map((t) => t.file))],
  }));
  const suite = input.integration ?? null;
  if (suite !== null) {
    const expected = suite.manifest?.tests ?? [];
    graded.push({
      id: "integration",
      title: "Integration: apps on the assembled runtime",
      tasks: suite.tasks,
      expected,
      mode: input.mode === "reference" ? "reference" : "integrated",
      files: [...new Set(expected.map((t) => t.file))],
    });
  }
  const done = async (outcomes: (g: Graded) => { outcome: RunOutcome; deadlineMs: number } | undefined): Promise<Sections> => {
    const reports = await pool(graded, settings.concurrency, (g) => {
      const run = outcomes(g);
      return report(g, run?.outcome, input.workspace, settings, run?.deadlineMs ?? 0);
    });
    const chapters = reports.filter((r): r is ChapterReport => r.id !== "integration");
    const integration = reports.find((r): r is IntegrationReport => r.id === "integration") ?? null;
    return { chapters, integration };
  };
  const runnable = graded.filter((g) => g.files.length > 0);
  if (runnable.length === 0) return done(() => undefined);

  const suites = (gs: readonly Graded[]) => gs.map((g) => ({ mode: g.mode, files: g.files }));
  const deadline = (gs: readonly Graded[]) => {
    const ms = gs.reduce((n, g) => n + g.expected.length * (g.id === "integration" ? INTEGRATION_TEST_MS : settings.testTimeoutMs), 0);
    return settings.baseDeadlineMs + Math.ceil(ms / settings.maxWorkers);
  };
  const shared = await runSuites(input.workspace, suites(runnable), settings, deadline(runnable));
  assertStarted(shared);
  const separately = runProblem(shared) !== undefined && runnable.length > 1;
  const outcomes = new Map<Graded, { outcome: RunOutcome; deadlineMs: number }>();
  if (!separately) {
    for (const g of runnable) outcomes.set(g, { outcome: shared, deadlineMs: deadline(runnable) });
  } else {
    await pool(runnable, settings.concurrency, async (g) => {
      outcomes.set(g, { outcome: await runSuites(input.workspace, suites([g]), settings, deadline([g])), deadlineMs: deadline([g]) });
    });
  }
  return done((g) => outcomes.get(g));
}
