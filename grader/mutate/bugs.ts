/**
 * The plausible-bug corpus: wrong implementations of the kind learners really write, one per file in
 * `tests/NN-slug/bugs/*.patch`, each of which the chapter's hidden suite must reject.
 *
 * A bug is a unified diff (as `git diff` writes it, paths `a/solutions/NN-slug/<module>.ts`) that changes modules
 * of its own chapter's solution only; its first line is the one-line description of the mistake, and `git apply`
 * ignores that line. Each bug is applied in a temporary copy of the workbook (package.json, tsconfigs, kit,
 * solutions, tests; node_modules linked), never in the working tree, and the chapter's hidden suite runs there in
 * reference mode through the grader's own isolated runner (watchdog, per-test timeout, manifest), so a bug that
 * hangs or crashes is judged as the grader would judge a learner's. A patched module must still parse. A bug is rejected when at least one test of
 * the manifest does not pass; the verdict names those tests.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseSync } from "vite";
import type { Chapter, ChapterId } from "../curriculum.ts";
import { deadlineFor, DEFAULT_SETTINGS, pool, runSuites, type RunSettings } from "../grade.ts";
import type { TestStatus } from "../report.ts";
import type { RunOutcome } from "../run/spawn.ts";
import { assertStarted, judge, RunFailure } from "../run/verdicts.ts";

export interface Bug {
  chapter: ChapterId;
  /** the patch's file name without `.patch` */
  name: string;
  /** the patch, relative to the root */
  path: string;
  description: string;
  /** the solution modules it replaces */
  modules: string[];
}

export interface BugVerdict {
  chapter: ChapterId;
  bug: string;
  description: string;
  modules: string[];
  /**
   * rejected: some hidden test fails; survived: every test passes; stale: the patch no longer applies; error: the
   * patched module does not parse, or the check could not run
   */
  status: "rejected" | "survived" | "stale" | "error";
  /** the tests that did not pass, in manifest order */
  rejectedBy: { name: string; status: Exclude<TestStatus, "pass">; message?: string }[];
  message?: string;
  ms: number;
}

export interface BugOptions {
  /** bugs checked at a time, each in its own workspace and vitest child */
  concurrency?: number;
  settings?: RunSettings;
}

export class BugCorpusError extends Error {
  override readonly name = "BugCorpusError";
}

/** The bugs of one chapter, read and checked for form. */
export function listBugs(root: string, chapter: ChapterId): Bug[] {
  const dir = join(root, "tests", chapter, "bugs");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".patch"))
    .sort()
    .map((f) => {
      const path = `tests/${chapter}/bugs/${f}`;
      const text = readFileSync(join(root, path), "utf8");
      const description = text.split("\n", 1)[0]!.trim();
      if (description === "" || description.startsWith("diff ") || description.startsWith("--- ")) {
        throw new BugCorpusError(`${path}: the first line must describe the mistake`);
      }
      const modules = [...text.matchAll(/^\+\+\+ b\/(\S+)$/gm)].map((m) => m[1]!);
      if (modules.length === 0) throw new BugCorpusError(`${path}: no '+++ b/solutions/${chapter}/...' header: is it a unified diff?`);
      const foreign = modules.filter((m) => !m.startsWith(`solutions/${chapter}/`));
      if (foreign.length > 0) throw new BugCorpusError(`${path}: changes ${foreign.join(", ")}, outside solutions/${chapter}/`);
      return { chapter, name: f.slice(0, -".patch".length), path, description, modules };
    });
}

const COPIED = ["package.json", "tsconfig.base.json", "tsconfig.json", "tsconfig.solutions.json", "kit", "solutions", "tests"];

function workspaceWith(root: string, bug: Bug): string {
  const ws = mkdtempSync(join(tmpdir(), "kata-bug-"));
  for (const name of COPIED) {
    if (existsSync(join(root, name))) cpSync(join(root, name), join(ws, name), { recursive: true });
  }
  symlinkSync(join(root, "node_modules"), join(ws, "node_modules"), "dir");
  return ws;
}

/**
 * A run, tried again (up to three times) when vitest did not even start: under load the grader's child can fail
 * to read its plan from stdin (EAGAIN on a pipe that is not ready yet), which says nothing about the bug.
 */
async function startedRun(run: () => Promise<RunOutcome>): Promise<RunOutcome> {
  for (let attempt = 1; ; attempt++) {
    const outcome = await run();
    try {
      assertStarted(outcome);
      return outcome;
    } catch (e) {
      if (!(e instanceof RunFailure) || attempt === 3) throw e;
    }
  }
}

async function checkBug(root: string, chapter: Chapter, bug: Bug, settings: RunSettings): Promise<BugVerdict> {
  const started = Date.now();
  const base = { chapter: bug.chapter, bug: bug.name, description: bug.description, modules: bug.modules };
  const expected = chapter.manifest?.tests ?? [];
  if (expected.length === 0) return { ...base, status: "error", rejectedBy: [], message: "the chapter has no manifest", ms: 0 };
  const ws = workspaceWith(root, bug);
  try {
    try {
      execFileSync("git", ["apply", "--whitespace=nowarn", join(root, bug.path)], { cwd: ws, stdio: ["ignore", "ignore", "pipe"] });
    } catch (e) {
      const why = (e as { stderr?: Buffer }).stderr?.toString().trim().split("\n")[0] ?? String(e);
      return { ...base, status: "stale", rejectedBy: [], message: `the patch does not apply to the current solution: ${why}`, ms: Date.now() - started };
    }
    // A patch that breaks the syntax would be "rejected" for nothing: it must still parse.
    for (const module of bug.modules) {
      const { errors } = parseSync(module, readFileSync(join(ws, module), "utf8"), { lang: "ts" });
      if (errors.length > 0) {
        return { ...base, status: "error", rejectedBy: [], message: `${module} does not parse once patched: ${errors[0]!.message}`, ms: Date.now() - started };
      }
    }
    const files = [...new Set(expected.map((t) => t.file))];
    const deadlineMs = deadlineFor(expected.length, settings);
    const outcome = await startedRun(() => runSuites(ws, [{ mode: "reference", files }], settings, deadlineMs));
    const tests = judge({ outcome, project: "reference", expected, root: ws, deadlineMs, hardMs: settings.hardMs });
    const rejectedBy = tests.flatMap((t) =>
      t.status === "pass" ? [] : [{ name: t.name, status: t.status, ...(t.message === undefined ? {} : { message: t.message.split("\n")[0]! }) }],
    );
    return { ...base, status: rejectedBy.length > 0 ? "rejected" : "survived", rejectedBy, ms: Date.now() - started };
  } catch (e) {
    return { ...base, status: "error", rejectedBy: [], message: (e as Error).message.replace(/\s*\n\s*/g, " / ").slice(0, 600), ms: Date.now() - started };
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
}

/**
 * Checks every bug of `chapters` against its chapter's hidden suite; one verdict per bug, in chapter then file
 * order. Chapters without a `bugs/` folder contribute nothing. Throws BugCorpusError for a malformed bug file.
 */
export async function checkBugCorpus(root: string, chapters: readonly Chapter[], options: BugOptions = {}): Promise<BugVerdict[]> {
  // one fork per bug run: two bugs at a time keep the two cores busy without starving either run
  const settings = options.settings ?? { ...DEFAULT_SETTINGS, maxWorkers: 1 };
  const jobs = chapters.flatMap((c) => listBugs(root, c.id).map((bug) => ({ chapter: c, bug })));
  return pool(jobs, options.concurrency ?? 2, (j) => checkBug(root, j.chapter, j.bug, settings));
}

/** `kata verify`'s gate: every bug is rejected (a surviving, stale or unrunnable bug is a problem). */
export async function gateBugCorpus(root: string, chapters: readonly Chapter[]): Promise<{ gate: string; problems: string[]; checked: string; ms: number }> {
  let verdicts: BugVerdict[];
  try {
    verdicts = await checkBugCorpus(root, chapters);
  } catch (e) {
    if (!(e instanceof BugCorpusError)) throw e;
    return { gate: "6 plausible bugs rejected", problems: [e.message], checked: "the bug corpus", ms: 0 };
  }
  const problems = verdicts
    .filter((v) => v.status !== "rejected")
    .map((v) =>
      v.status === "survived"
        ? `${v.chapter}: bug ${v.bug} (${v.description}) passes the whole hidden suite`
        : `${v.chapter}: bug ${v.bug}: ${v.status}: ${v.message ?? ""}`,
    );
  const chaptersWith = new Set(verdicts.map((v) => v.chapter)).size;
  return { gate: "6 plausible bugs rejected", problems, checked: `${verdicts.length} bugs in ${chaptersWith} chapters`, ms: 0 };
}
