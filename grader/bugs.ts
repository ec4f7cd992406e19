/**
 * The plausible-bug corpus: wrong implementations of the kind learners really write, one per file in
 * `tests/NN-slug/bugs/*.patch`, each of which the chapter's hidden suite must reject.
 *
 * A bug is a unified diff (as `git diff` writes it, paths `a/solutions/NN-slug/<module>.ts`) that changes modules
 * of its own chapter's solution only. Its first line is the one-line description of the mistake; its second,
 * `rejected by: <test>`, names the hidden test that rejects it (`npm run mutate -- --bugs --record` writes it).
 * `git apply` ignores both lines.
 *
 * Every bug is checked in one vitest child and one project, in reference mode, through the grader's runner
 * (watchdog, per-test timeout, manifest, canaries), so a bug that hangs or crashes is judged as a learner's code
 * would be. Each bug gets a mirror of the workbook under `.kata/` (mirror.ts): its patched copy of the chapter's
 * solution, and its own copies of the modules and test files its tests load that depend on it; everything else is
 * shared by the bugs (a vitest project per bug made each transform the whole module graph
 * again). Two checks:
 *   - full (`npm run mutate -- --bugs`): the whole hidden suite; a bug is rejected when any test does not pass,
 *     and the verdict names every such test;
 *   - named (`kata verify`'s gate, fast): only the test of the `rejected by:` line (and its file's canary); the bug
 *     is rejected when that test does not pass. The bugs first share forks (about 40% less CPU than a fork each).
 *     A verdict from a shared fork is kept only when the test failed an assertion of its own (status fail): any
 *     other outcome (a pass, a timeout, an error, a file a killed fork never ran) may come from an earlier bug's
 *     leftovers in the fork (a busy loop, a timer, a kill), so that bug is checked again in a fresh fork, whose
 *     verdict is final.
 * A patched module must still parse: a bug rejected for a syntax error says nothing about the suite.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parseSync } from "vite";
import { conditionsFor, parseMode } from "#kit/modes";
import type { Chapter, ChapterId, ManifestTest } from "./curriculum.ts";
import { deadlineFor, DEFAULT_SETTINGS, type RunSettings } from "./grade.ts";
import type { TestStatus } from "./report.ts";
import { buildMirror, dependents, mirrorCopies, mirrorOutcome, moduleGraph } from "./mirror.ts";
import { runPlan, type RunOutcome } from "./run/spawn.ts";
import { assertStarted, judge } from "./run/verdicts.ts";

export interface Bug {
  chapter: ChapterId;
  /** the patch's file name without `.patch` */
  name: string;
  /** the patch, relative to the root */
  path: string;
  description: string;
  /** the full name of the hidden test that rejects it (the `rejected by:` line), if recorded */
  rejectedByTest?: string;
  /** the solution modules it replaces */
  modules: string[];
}

export interface BugVerdict {
  chapter: ChapterId;
  bug: string;
  description: string;
  modules: string[];
  /**
   * rejected: a hidden test (the named one, in a named check) does not pass; survived: it passes; stale: the patch
   * no longer applies; error: the patched module does not parse, the named test is not in the manifest, or the
   * check could not run
   */
  status: "rejected" | "survived" | "stale" | "error";
  /** the tests that did not pass, in manifest order */
  rejectedBy: { name: string; status: Exclude<TestStatus, "pass">; message?: string }[];
  message?: string;
}

export type BugCheck = "full" | "named";

export class BugCorpusError extends Error {
  override readonly name = "BugCorpusError";
}

const REJECTED_BY = "rejected by: ";

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
      const [first = "", second = ""] = text.split("\n", 2);
      const description = first.trim();
      if (description === "" || description.startsWith("diff ") || description.startsWith("--- ")) {
        throw new BugCorpusError(`${path}: the first line must describe the mistake`);
      }
      const modules = [...text.matchAll(/^\+\+\+ b\/(\S+)$/gm)].map((m) => m[1]!);
      if (modules.length === 0) throw new BugCorpusError(`${path}: no '+++ b/solutions/${chapter}/...' header: is it a unified diff?`);
      const foreign = modules.filter((m) => !m.startsWith(`solutions/${chapter}/`));
      if (foreign.length > 0) throw new BugCorpusError(`${path}: changes ${foreign.join(", ")}, outside solutions/${chapter}/`);
      const named = second.startsWith(REJECTED_BY) ? second.slice(REJECTED_BY.length).trim() : "";
      return { chapter, name: f.slice(0, -".patch".length), path, description, ...(named === "" ? {} : { rejectedByTest: named }), modules };
    });
}

/** Writes (or replaces) the `rejected by:` line of a bug file. */
export function recordRejectedBy(root: string, bug: Bug, test: string): void {
  const lines = readFileSync(join(root, bug.path), "utf8").split("\n");
  lines.splice(1, lines[1]?.startsWith(REJECTED_BY) === true ? 1 : 0, `${REJECTED_BY}${test}`);
  writeFileSync(join(root, bug.path), lines.join("\n"));
}

interface Prepared {
  bug: Bug;
  expected: ManifestTest[];
  /** the bug's own copy of the workbook's modules, relative to the root */
  mirror: string;
  /** a verdict reached without running anything (stale patch, parse error, no named test) */
  early?: Pick<BugVerdict, "status" | "rejectedBy" | "message">;
}

/** Patches a copy of the chapter's solution in the bug's mirror under `stage`, or says why the bug cannot run. */
function prepare(root: string, stage: string, chapter: Chapter, bug: Bug, check: BugCheck, copies: (files: string[]) => Set<string>): Prepared {
  const mirror = join(stage, `${chapter.id}--${bug.name}`);
  const all = chapter.manifest?.tests ?? [];
  const named = all.filter((t) => t.name === bug.rejectedByTest);
  const prepared: Prepared = { bug, expected: check === "full" ? all : named, mirror: relative(root, mirror) };
  const early = (status: BugVerdict["status"], message: string): Prepared => ({ ...prepared, early: { status, rejectedBy: [], message } });
  if (all.length === 0) return early("error", "the chapter has no manifest");
  if (check === "named" && bug.rejectedByTest === undefined) {
    return early("error", `no 'rejected by:' line naming the test that rejects it (npm run mutate -- --bugs --chapter ${chapter.id.slice(0, 2)} --record)`);
  }
  if (check === "named" && named.length === 0) return early("error", `its 'rejected by:' test is not in the manifest: ${bug.rejectedByTest}`);
  const copy = join(mirror, "solutions", chapter.id);
  cpSync(join(root, "solutions", chapter.id), copy, { recursive: true });
  try {
    execFileSync("git", ["apply", "-p3", "--whitespace=nowarn", join(root, bug.path)], { cwd: copy, stdio: ["ignore", "ignore", "pipe"] });
  } catch (e) {
    const why = (e as { stderr?: Buffer }).stderr?.toString().trim().split("\n")[0] ?? String(e);
    return early("stale", `the patch does not apply to the current solution: ${why}`);
  }
  for (const module of bug.modules) {
    const file = join(copy, module.slice(`solutions/${chapter.id}/`.length));
    const { errors } = parseSync(module, readFileSync(file, "utf8"), { lang: "ts" });
    if (errors.length > 0) return early("error", `${module} does not parse once patched: ${errors[0]!.message}`);
  }
  buildMirror(root, mirror, chapter.id, "solutions", copies(prepared.expected.map((t) => t.file)));
  return prepared;
}

/** One vitest child for mirrors' tests (one project in reference mode), or why it could not run. */
async function runMirrors(
  root: string,
  mirrors: readonly Prepared[],
  check: BugCheck,
  settings: RunSettings,
  isolate: boolean,
): Promise<{ outcome?: RunOutcome; failure: string; deadlineMs: number }> {
  const deadlineMs = deadlineFor(
    mirrors.reduce((n, p) => n + p.expected.length, 0),
    settings,
  );
  if (mirrors.length === 0) return { failure: "not run", deadlineMs };
  try {
    const outcome = await runPlan(
      {
        root,
        projects: [{ name: "mirrors", conditions: conditionsFor(parseMode("reference")), files: mirrors.flatMap((p) => [...new Set(p.expected.map((t) => `${p.mirror}/${t.file}`))]) }],
        testTimeoutMs: settings.testTimeoutMs,
        hardMs: settings.hardMs,
        heapMb: settings.heapMb,
        ...(settings.memMb === undefined ? {} : { memMb: settings.memMb }),
        maxWorkers: settings.maxWorkers,
        isolate,
        ...(check === "named" ? { only: mirrors.flatMap((p) => p.expected.map((t) => `${p.mirror}/${t.file}\0${t.name}`)) } : {}),
      },
      deadlineMs,
    );
    assertStarted(outcome);
    return { outcome, failure: "", deadlineMs };
  } catch (e) {
    return { failure: (e as Error).message.replace(/\s*\n\s*/g, " / ").slice(0, 600), deadlineMs };
  }
}

/**
 * Every bug in one vitest child: one project in reference mode, each bug's test files in its own mirror. Beside
 * them runs a control per chapter, its mirror unpatched: the tests its bugs run must pass there, or the mirrors
 * themselves are wrong and every "rejected" would be a lie (BugCorpusError).
 */
async function checkBugs(root: string, stage: string, jobs: readonly { chapter: Chapter; bugs: Bug[] }[], check: BugCheck, settings: RunSettings): Promise<BugVerdict[]> {
  const graph = moduleGraph(root);
  const controls: (Prepared & { chapter: ChapterId })[] = [];
  const prepared = jobs.flatMap((j) => {
    const depending = dependents(graph, j.chapter.id);
    const copies = (files: string[]) => mirrorCopies(graph, depending, files);
    const bugs = j.bugs.map((bug) => ({ chapter: j.chapter.id, ...prepare(root, stage, j.chapter, bug, check, copies) }));
    // the control: the chapter's mirror unpatched, on every test its bugs run, which must all pass
    const expected = [...new Map(bugs.flatMap((b) => (b.early === undefined ? b.expected : [])).map((t) => [`${t.file}\0${t.name}`, t])).values()];
    if (expected.length > 0) {
      const mirror = join(stage, `${j.chapter.id}--unpatched`);
      cpSync(join(root, "solutions", j.chapter.id), join(mirror, "solutions", j.chapter.id), { recursive: true });
      buildMirror(root, mirror, j.chapter.id, "solutions", copies(expected.map((t) => t.file)));
      controls.push({ chapter: j.chapter.id, bug: { ...j.bugs[0]!, name: "unpatched" }, expected, mirror: relative(root, mirror) });
    }
    return bugs;
  });
  const runnable = prepared.filter((p) => p.early === undefined);
  // the bugs (named: in shared forks first; full: a fresh fork each); the controls (unpatched, as trusted as the
  // reference) in shared forks, beside them
  const [run, control] = await Promise.all([runMirrors(root, runnable, check, settings, check === "full"), runMirrors(root, controls, check, settings, false)]);
  for (const c of controls) {
    const failing =
      control.outcome === undefined
        ? [{ name: "(the run)", status: "error", message: control.failure }]
        : judge({ outcome: mirrorOutcome(control.outcome, c.mirror), project: "mirrors", expected: c.expected, root, deadlineMs: control.deadlineMs, hardMs: settings.hardMs }).filter(
            (t) => t.status !== "pass",
          );
    if (failing.length > 0) {
      throw new BugCorpusError(
        `the unpatched mirror of ${c.chapter} fails "${failing[0]!.name}" (${failing[0]!.status}: ${failing[0]!.message?.split("\n")[0] ?? ""}): ` +
          `the mirrors do not run the chapter as the workbook does, so no bug's verdict can be trusted`,
      );
    }
  }
  const verdicts = prepared.map((p) => verdictOf(root, p, run, settings));
  if (check === "full") return verdicts;
  // a shared fork's verdict stands only as an assertion failure: every other outcome is taken again in a fresh fork
  const doubtful = runnable.filter((p) => {
    const v = verdicts[prepared.indexOf(p)]!;
    return v.status !== "rejected" || v.rejectedBy.some((r) => r.status !== "fail");
  });
  if (doubtful.length === 0) return verdicts;
  const again = await runMirrors(root, doubtful, check, settings, true);
  for (const p of doubtful) verdicts[prepared.indexOf(p)] = verdictOf(root, p, again, settings);
  return verdicts;
}

/** A bug's verdict from the run that held its mirror. */
function verdictOf(root: string, p: Prepared & { chapter: ChapterId }, run: Awaited<ReturnType<typeof runMirrors>>, settings: RunSettings): BugVerdict {
  const base = { chapter: p.chapter, bug: p.bug.name, description: p.bug.description, modules: p.bug.modules };
  if (p.early !== undefined) return { ...base, ...p.early };
  const { outcome, failure, deadlineMs } = run;
  if (outcome === undefined) return { ...base, status: "error", rejectedBy: [], message: failure };
  const tests = judge({ outcome: mirrorOutcome(outcome, p.mirror), project: "mirrors", expected: p.expected, root, deadlineMs, hardMs: settings.hardMs });
  const rejectedBy = tests.flatMap((t) =>
    t.status === "pass" ? [] : [{ name: t.name, status: t.status, ...(t.message === undefined ? {} : { message: t.message.split("\n")[0]! }) }],
  );
  return { ...base, status: rejectedBy.length > 0 ? "rejected" : "survived", rejectedBy };
}

/**
 * Checks every bug of `chapters` against its chapter's hidden suite (all of it, or the test each bug names); one
 * verdict per bug, in chapter then file order. Chapters without a `bugs/` folder contribute nothing. Throws
 * BugCorpusError for a malformed bug file.
 */
export async function checkBugCorpus(root: string, chapters: readonly Chapter[], check: BugCheck, settings: RunSettings = DEFAULT_SETTINGS): Promise<BugVerdict[]> {
  const jobs = chapters.map((c) => ({ chapter: c, bugs: listBugs(root, c.id) })).filter((j) => j.bugs.length > 0);
  mkdirSync(join(root, ".kata"), { recursive: true });
  const stage = mkdtempSync(join(root, ".kata", "bugs-"));
  try {
    return await checkBugs(root, stage, jobs, check, settings);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

/** `kata verify`'s gate: every bug is rejected by the test it names (a surviving, stale or unrunnable bug is a problem). */
export async function gateBugCorpus(root: string, chapters: readonly Chapter[]): Promise<{ gate: string; problems: string[]; checked: string; ms: number }> {
  const gate = "6 plausible bugs rejected";
  let verdicts: BugVerdict[];
  try {
    verdicts = await checkBugCorpus(root, chapters, "named");
  } catch (e) {
    if (!(e instanceof BugCorpusError)) throw e;
    return { gate, problems: [e.message], checked: "the bug corpus", ms: 0 };
  }
  const problems = verdicts
    .filter((v) => v.status !== "rejected")
    .map((v) =>
      v.status === "survived"
        ? `${v.chapter}: bug ${v.bug} (${v.description}) passes the test that should reject it (npm run mutate -- --bugs --chapter ${v.chapter.slice(0, 2)} checks it against the whole suite)`
        : `${v.chapter}: bug ${v.bug}: ${v.status}: ${v.message ?? ""}`,
    );
  const chaptersWith = new Set(verdicts.map((v) => v.chapter)).size;
  return { gate, problems, checked: `${verdicts.length} bugs in ${chaptersWith} chapters, each by the test it names`, ms: 0 };
}
