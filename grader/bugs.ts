/**
 * The plausible-bug corpus: wrong implementations of the kind learners really write, one per file in
 * `tests/NN-slug/bugs/*.patch`, each of which the chapter's hidden suite must reject.
 *
 * A bug is a unified diff (as `git diff` writes it, paths `a/solutions/NN-slug/<module>.ts`) that changes modules
 * of its own chapter's solution only. Its first line is the one-line description of the mistake; its second,
 * `rejected by: <test>`, names the hidden test that rejects it (`npm run mutate -- --bugs --record` writes it).
 * `git apply` ignores both lines.
 *
 * Bugs are checked in batches, one vitest child per chapter: each bug gets a patched copy of the chapter's
 * solution under `.kata/` (inside the workbook, so its `#kit/` and `#kata/` imports resolve as the solution's do)
 * and a project of its own in which `#kata/NN-slug` is aliased to that copy, in reference mode, through the
 * grader's isolated runner (watchdog, per-test timeout, manifest, canaries), so a bug that hangs or crashes is
 * judged as a learner's code would be. Two checks:
 *   - full (`npm run mutate -- --bugs`): the whole hidden suite; a bug is rejected when any test does not pass,
 *     and the verdict names every such test;
 *   - named (`kata verify`'s gate, fast): only the test of the `rejected by:` line (and its file's canary); the bug
 *     is rejected when that test does not pass.
 * A patched module must still parse: a bug rejected for a syntax error says nothing about the suite.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, cpSync, type Dirent, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { parseSync } from "vite";
import { conditionsFor, parseMode } from "#kit/modes";
import type { Chapter, ChapterId, ManifestTest } from "./curriculum.ts";
import { deadlineFor, DEFAULT_SETTINGS, type RunSettings } from "./grade.ts";
import type { TestStatus } from "./report.ts";
import type { ResultRecord } from "./run/records.ts";
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

/** What a test file, module or worker entry refers to: `import`/`export ... from`, `import()`, `new URL(..., import.meta.url)`. */
const REFERENCE = /(?:\bfrom\s*|\bimport\s*\(?\s*|new URL\(\s*)["']([^"']+)["']/g;

/**
 * The workbook's module graph in reference mode: each `.ts` file of kit/, solutions/ and tests/ (relative to the
 * root) with the files it refers to. `#kata/NN-slug` is the chapter's solution, `#kit/x` the kit's module; packages
 * and Node's modules are left out.
 */
function moduleGraph(root: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const files = ["kit", "solutions", "tests"].flatMap((top) =>
    (readdirSync(join(root, top), { recursive: true, withFileTypes: true }) as Dirent[])
      .filter((d) => d.isFile() && d.name.endsWith(".ts"))
      .map((d) => relative(root, join(d.parentPath, d.name))),
  );
  for (const file of files) {
    const targets = [...readFileSync(join(root, file), "utf8").matchAll(REFERENCE)].flatMap(([, spec]) => {
      if (spec!.startsWith("#kata/")) return [`solutions/${spec!.slice("#kata/".length)}/index.ts`];
      if (spec!.startsWith("#kit/")) return [`kit/${spec!.slice("#kit/".length)}.ts`];
      if (spec!.startsWith(".")) return [normalize(join(dirname(file), spec!))];
      return [];
    });
    graph.set(file, targets);
  }
  return graph;
}

/** The files that refer, directly or not, to a module of `chapter`'s solution (its own modules left out). */
function dependents(graph: Map<string, string[]>, chapter: ChapterId): Set<string> {
  const own = `solutions/${chapter}/`;
  const found = new Set<string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const [file, targets] of graph) {
      if (file.startsWith(own) || found.has(file)) continue;
      if (targets.some((t) => t.startsWith(own) || found.has(t))) {
        found.add(file);
        grew = true;
      }
    }
  }
  return found;
}

/**
 * Fills `mirror` with the workbook's kit/, solutions/ and tests/ as one bug sees them: a file in `copies` is copied
 * (it refers to the patched chapter, so the bug needs its own instance of it), a folder without such a file and
 * every other file is a symbolic link to the original (vite resolves links to the real file: the bugs share those
 * modules and their transforms). Files already in the mirror (the patched chapter) are left as they are. The
 * mirror's package.json carries the workbook's imports, so `#kata/` and `#kit/` resolve inside the mirror.
 */
function buildMirror(root: string, mirror: string, copies: Set<string>): void {
  const needed = (rel: string) => [...copies].some((c) => c === rel || c.startsWith(`${rel}/`));
  const fill = (rel: string) => {
    for (const entry of readdirSync(join(root, rel), { withFileTypes: true })) {
      const child = `${rel}/${entry.name}`;
      if (existsSync(join(mirror, child)) && !entry.isDirectory()) continue;
      if (entry.isDirectory() && existsSync(join(mirror, child)) && child.startsWith("solutions/") && !needed(child)) continue;
      if (!needed(child)) symlinkSync(join(root, child), join(mirror, child));
      else if (entry.isDirectory()) {
        mkdirSync(join(mirror, child), { recursive: true });
        fill(child);
      } else copyFileSync(join(root, child), join(mirror, child));
    }
  };
  for (const top of ["kit", "solutions", "tests"]) {
    mkdirSync(join(mirror, top), { recursive: true });
    fill(top);
  }
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { type?: string; imports?: unknown };
  writeFileSync(join(mirror, "package.json"), JSON.stringify({ type: pkg.type, imports: pkg.imports }));
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
function prepare(root: string, stage: string, chapter: Chapter, bug: Bug, check: BugCheck, copies: Set<string>): Prepared {
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
  buildMirror(root, mirror, copies);
  return prepared;
}

/** The part of a run that concerns one mirror, with its files named as in the workbook. */
function mirrorOutcome(outcome: RunOutcome, mirror: string): RunOutcome {
  const prefix = `${mirror}/`;
  const own = (file: string) => file.startsWith(prefix);
  const strip = (file: string) => file.slice(prefix.length);
  const results = outcome.results.flatMap((r): ResultRecord[] => {
    if (r.type === "test" || r.type === "module") return own(r.file) ? [{ ...r, file: strip(r.file) }] : [];
    return [r];
  });
  const phases = new Map(
    [...outcome.phases].flatMap(([pid, records]) => (records.some((r) => own(r.file)) ? [[pid, records.filter((r) => own(r.file)).map((r) => ({ ...r, file: strip(r.file) }))] as const] : [])),
  );
  return { ...outcome, results, phases };
}

/** Every bug in one vitest child: one project in reference mode, each bug's test files in its own mirror. */
async function checkBugs(root: string, stage: string, jobs: readonly { chapter: Chapter; bugs: Bug[] }[], check: BugCheck, settings: RunSettings): Promise<BugVerdict[]> {
  const graph = moduleGraph(root);
  const prepared = jobs.flatMap((j) => {
    const copies = dependents(graph, j.chapter.id);
    return j.bugs.map((bug) => ({ chapter: j.chapter.id, ...prepare(root, stage, j.chapter, bug, check, copies) }));
  });
  const runnable = prepared.filter((p) => p.early === undefined);
  const deadlineMs = deadlineFor(
    runnable.reduce((n, p) => n + p.expected.length, 0),
    settings,
  );
  let outcome: RunOutcome | undefined;
  let failure = "not run";
  if (runnable.length > 0) {
    try {
      outcome = await runPlan(
        {
          root,
          projects: [{ name: "bugs", conditions: conditionsFor(parseMode("reference")), files: runnable.flatMap((p) => [...new Set(p.expected.map((t) => `${p.mirror}/${t.file}`))]) }],
          testTimeoutMs: settings.testTimeoutMs,
          hardMs: settings.hardMs,
          heapMb: settings.heapMb,
          ...(settings.memMb === undefined ? {} : { memMb: settings.memMb }),
          maxWorkers: settings.maxWorkers,
          ...(check === "named" ? { only: runnable.flatMap((p) => p.expected.map((t) => `${p.mirror}/${t.file}\0${t.name}`)) } : {}),
        },
        deadlineMs,
      );
      assertStarted(outcome);
    } catch (e) {
      outcome = undefined;
      failure = (e as Error).message.replace(/\s*\n\s*/g, " / ").slice(0, 600);
    }
  }
  return prepared.map((p): BugVerdict => {
    const base = { chapter: p.chapter, bug: p.bug.name, description: p.bug.description, modules: p.bug.modules };
    if (p.early !== undefined) return { ...base, ...p.early };
    if (outcome === undefined) return { ...base, status: "error", rejectedBy: [], message: failure };
    const tests = judge({ outcome: mirrorOutcome(outcome, p.mirror), project: "bugs", expected: p.expected, root, deadlineMs, hardMs: settings.hardMs });
    const rejectedBy = tests.flatMap((t) =>
      t.status === "pass" ? [] : [{ name: t.name, status: t.status, ...(t.message === undefined ? {} : { message: t.message.split("\n")[0]! }) }],
    );
    return { ...base, status: rejectedBy.length > 0 ? "rejected" : "survived", rejectedBy };
  });
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
