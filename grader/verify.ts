/**
 * `kata verify`: the honesty gates, run on this repository (CI runs them on every change).
 *
 * 1. The reference passes every hidden test, every public example and the integration suite (with the
 *    anti-delegation detector on, so no rule of native-policy.ts fails the reference).
 * 2. In solo mode the pristine stubs pass none of the hidden tests (nor the public examples).
 * 3. Chapters and solutions export the same names and types (exports.ts).
 * 4. Both trees type-check.
 * 5. Manifests (the chapters' and the integration suite's), lessons and hints are present and valid, and the
 *    manifests agree with the reference run.
 * 6. Every plausible bug of the corpus (tests/NN-slug/bugs/) is rejected by the hidden test it names
 *    (grader/bugs.ts).
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { gateBugCorpus } from "./bugs.ts";
import { CurriculumError, loadChapter, SLUGS, type Chapter } from "./curriculum.ts";
import { runtimeExports, typeLevelExports } from "./exports.ts";
import { integrationProblems, loadIntegration } from "./integration.ts";
import { DEFAULT_SETTINGS, deadlineFor, runSuites, SHARED_SETTINGS, TESTS_PER_FILE, type RunSettings } from "./grade.ts";
import { buildMirror, dependents, mirrorCopies, mirrorOutcome, moduleGraph } from "./mirror.ts";
import { parseHints, sections, taskSections } from "./lesson.ts";
import { manifestFromRun, referenceRun, testRecords } from "./manifest.ts";
import { notImplementedItem } from "./messages.ts";
import { CANARY } from "./run/protocol.ts";
import type { RunOutcome } from "./run/spawn.ts";
import { assertStarted, runProblem, stoppedFile } from "./run/verdicts.ts";
import { runTool, tscArgs, type ToolResult } from "./tools.ts";

export interface GateResult {
  gate: string;
  problems: string[];
  /** what was checked, for the summary line */
  checked: string;
  ms: number;
}

/** The minimum number of hidden tests per chapter (CONTRIBUTING §5). */
export const minTests = (c: Chapter) => (Number(c.number) <= 4 ? 15 : 20);

function fileProblems(outcome: RunOutcome, files: readonly string[]): string[] {
  const problems: string[] = [];
  const run = runProblem(outcome);
  if (run !== undefined) problems.push(run.message ?? "the run did not end normally");
  for (const file of files) {
    const module = outcome.results.find((r) => r.type === "module" && r.file === file);
    if (module?.type === "module" && module.errors[0] !== undefined) problems.push(`${file}: ${module.errors[0].message.split("\n")[0]}`);
    const canary = outcome.results.find((r) => r.type === "test" && r.file === file && r.name === CANARY);
    if (canary?.type !== "test" || canary.state !== "passed") {
      problems.push(`${file}: ${stoppedFile(outcome, file, DEFAULT_SETTINGS.hardMs) ?? "the integrity canary was not reported passed"}`);
    }
  }
  return problems;
}

/** Gate 1: one reference run of every hidden suite and public example; every test passes. */
export function gateReference(outcome: RunOutcome, files: readonly string[]): GateResult {
  const records = testRecords(outcome, files);
  const problems = fileProblems(outcome, files);
  for (const r of records) {
    if (r.state !== "passed") problems.push(`${r.file}: "${r.name}" ${r.state} against the reference: ${r.errors[0]?.message.split("\n")[0] ?? ""}`);
  }
  return { gate: "1 reference passes", problems, checked: `${records.length} tests in ${files.length} files`, ms: 0 };
}

/** Whether a file ran to its end in a run: its canary was reported passed, or it failed to load. */
function accountedFor(outcome: RunOutcome, file: string): boolean {
  return outcome.results.some(
    (r) => (r.type === "test" && r.file === file && r.name === CANARY && r.state === "passed") || (r.type === "module" && r.file === file && r.errors.length > 0),
  );
}

/**
 * Gate 2: each chapter's suite and examples in its own solo mode against the pristine stubs; nothing passes, and
 * every test fails at a stub ("not implemented yet: X"), which is what a learner who has not started should read.
 * Each chapter's solo mode is a mirror of the workbook with the chapter's stubs in place of its solution
 * (mirror.ts), so every chapter runs in one vitest project (19 projects, each transforming the module graph again,
 * took 22-25 s; see DESIGN.md). In shared forks a file that did not run to its end (its fork stopped by another
 * file) is run again in a fork of its own, so no test goes unjudged.
 */
export async function gateStubs(root: string, chapters: readonly Chapter[], settings: RunSettings = SHARED_SETTINGS): Promise<GateResult> {
  const suites = chapters.map((c) => ({ chapter: c.id, files: [...c.hiddenTests, ...c.publicTests] })).filter((s) => s.files.length > 0);
  if (suites.length === 0) return { gate: "2 stubs fail", problems: [], checked: "no suites", ms: 0 };
  mkdirSync(join(root, ".kata"), { recursive: true });
  const stage = mkdtempSync(join(root, ".kata", "solo-"));
  try {
    const graph = moduleGraph(root);
    const mirrors = suites.map((s) => {
      const dir = join(stage, s.chapter);
      cpSync(join(root, "chapters", s.chapter), join(dir, "chapters", s.chapter), { recursive: true });
      buildMirror(root, dir, s.chapter, "chapters", mirrorCopies(graph, dependents(graph, s.chapter), s.files));
      const mirror = relative(root, dir);
      return { ...s, mirror, paths: s.files.map((f) => `${mirror}/${f}`) };
    });
    const run = (files: string[], isolate: boolean) => {
      const outcome = runSuites(root, [{ mode: "reference", files }], { ...settings, isolate }, deadlineFor(files.length * TESTS_PER_FILE, settings));
      return outcome.then((o) => (assertStarted(o), o));
    };
    const shared = await run(mirrors.flatMap((m) => m.paths), false);
    const rerun = mirrors.flatMap((m) => m.paths).filter((f) => !accountedFor(shared, f));
    const problems: string[] = [];
    const alone = rerun.length === 0 ? undefined : await run(rerun, true);
    const trouble = alone === undefined ? undefined : runProblem(alone);
    if (trouble !== undefined) problems.push(trouble.message ?? "the run did not end normally");
    const records = mirrors.flatMap((m) =>
      m.files.flatMap((f) => testRecords(mirrorOutcome(alone !== undefined && rerun.includes(`${m.mirror}/${f}`) ? alone : shared, m.mirror), [f])),
    );
    for (const r of records) {
      if (r.state === "passed") problems.push(`${r.file}: "${r.name}" passes against the pristine stub (it judges nothing)`);
      else if (r.errors[0] === undefined || notImplementedItem(r.errors[0]) === undefined) {
        const said = r.errors[0]?.message.split("\n")[0] ?? r.state;
        problems.push(`${r.file}: "${r.name}" fails against the pristine stub with "${said}", not at a stub: a learner who has not started should read "not implemented yet"`);
      }
    }
    return { gate: "2 stubs fail", problems, checked: `${records.length} tests fail in solo mode${rerun.length === 0 ? "" : ` (${rerun.length} file(s) again in forks of their own)`}`, ms: 0 };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

/** `tsc -p <project>` in the repository, run once per verify (gates 3 and 4 share the reference tree's). */
function typecheck(root: string): (project: string) => Promise<ToolResult> {
  const runs = new Map<string, Promise<ToolResult>>();
  return (project) => {
    if (!runs.has(project)) runs.set(project, runTool(process.execPath, tscArgs(project), root, 180_000));
    return runs.get(project)!;
  };
}

export async function gateExports(root: string, chapters: readonly Chapter[], tsc: (project: string) => Promise<ToolResult>): Promise<GateResult> {
  const withBoth = chapters.filter((c) => existsSync(join(root, "solutions", c.id, "index.ts")) && existsSync(join(root, "chapters", c.id, "index.ts")));
  const problems = chapters.filter((c) => !withBoth.includes(c)).map((c) => `${c.id}: chapters/${c.id}/index.ts or solutions/${c.id}/index.ts is missing`);
  problems.push(...(await runtimeExports(root, withBoth)), ...(await typeLevelExports(root, withBoth, await tsc("tsconfig.solutions.json"))));
  return { gate: "3 same exports", problems, checked: `${withBoth.length} chapters at run time and type level`, ms: 0 };
}

export async function gateTypecheck(tsc: (project: string) => Promise<ToolResult>): Promise<GateResult> {
  const problems: string[] = [];
  for (const project of ["tsconfig.json", "tsconfig.solutions.json"]) {
    const result = await tsc(project);
    if (result.code !== 0) problems.push(`tsc -p ${project}:\n    ${result.output.trim().split("\n").slice(0, 20).join("\n    ")}`);
  }
  return { gate: "4 type-check", problems, checked: "tsconfig.json and tsconfig.solutions.json", ms: 0 };
}

/**
 * The hidden-test count that the top-level README's chapter table ("| 06 | The task | ... | 61 |") gives chapter
 * `number`: undefined without a README, null without a row.
 */
function readmeTestCount(root: string, number: string): number | null | undefined {
  const path = join(root, "README.md");
  if (!existsSync(path)) return undefined;
  const row = new RegExp(`^\\| ${number} \\|.*\\| (\\d+) \\|$`, "m").exec(readFileSync(path, "utf8"));
  return row === null ? null : Number(row[1]);
}

/** Gate 5 for one chapter: kata.json, README, HINTS, the describe blocks, and the manifest against the run. */
export function contentProblems(root: string, chapter: Chapter, outcome: RunOutcome): string[] {
  const problems: string[] = [];
  const dir = join(root, "chapters", chapter.id);
  const read = (name: string) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), "utf8") : undefined);
  const expected = chapter.tasks.map((title, i) => `Task ${i + 1}: ${title}`);
  const readme = read("README.md");
  if (readme === undefined) problems.push("README.md is missing");
  else {
    const found = taskSections(readme).map((s) => `Task ${s.number}: ${s.title}`);
    if (found.join("\n") !== expected.join("\n")) {
      problems.push(`README.md's task headings [${found.join("; ")}] differ from kata.json's [${expected.join("; ")}]`);
    }
    const all = sections(readme);
    if (!all.some((s) => s.heading === "Read the source")) problems.push("README.md has no '## Read the source' section");
    const quiz = all.find((s) => s.heading === "Check your understanding");
    if (quiz === undefined) problems.push("README.md has no '## Check your understanding' section");
    else if (quiz.body.filter((l) => l.includes("<details>")).length < 3) {
      problems.push("README.md's '## Check your understanding' has fewer than 3 questions with answers folded in <details>");
    }
    if (!new RegExp(`^# Chapter ${chapter.number}: `, "m").test(readme)) problems.push(`README.md does not start with '# Chapter ${chapter.number}: <title>'`);
  }
  const hintsText = read("HINTS.md");
  if (hintsText === undefined) problems.push("HINTS.md is missing");
  else {
    const hints = parseHints(hintsText);
    const found = [...hints].map(([n, h]) => `Task ${n}: ${h.title}`);
    if (found.join("\n") !== expected.join("\n")) {
      problems.push(`HINTS.md's task headings [${found.join("; ")}] differ from kata.json's [${expected.join("; ")}]`);
    }
    for (const [n, h] of hints) if (h.hints.length < 2) problems.push(`HINTS.md, task ${n}: ${h.hints.length} numbered hint(s), at least 2 wanted`);
  }
  if (chapter.hiddenTests.length === 0) problems.push(`tests/${chapter.id}/ has no *.test.ts file`);
  const { manifest, problems: runProblems } = manifestFromRun(chapter, outcome);
  problems.push(...runProblems);
  for (let task = 1; task <= chapter.tasks.length; task++) {
    if (!manifest.tests.some((t) => t.task === task)) problems.push(`task ${task} (${chapter.tasks[task - 1]}) has no hidden test`);
  }
  if (manifest.tests.length < minTests(chapter)) problems.push(`${manifest.tests.length} hidden tests, at least ${minTests(chapter)} wanted`);
  const listedCount = readmeTestCount(root, chapter.number);
  if (listedCount === null) problems.push(`the top-level README.md's chapter table has no row for chapter ${chapter.number}`);
  else if (listedCount !== undefined && listedCount !== manifest.tests.length) {
    problems.push(`the top-level README.md's chapter table gives ${listedCount} hidden tests; the reference run has ${manifest.tests.length}`);
  }
  if (chapter.manifest === null) problems.push(`tests/${chapter.id}/manifest.json is missing: run npm run kata -- manifest --chapters ${chapter.number}`);
  else {
    const key = (t: { file: string; name: string; task: number }) => `${t.file} | ${t.name} | task ${t.task}`;
    const listed = new Set(chapter.manifest.tests.map(key));
    const ran = new Set(manifest.tests.map(key));
    const stale = [...listed].filter((k) => !ran.has(k));
    const fresh = [...ran].filter((k) => !listed.has(k));
    if (stale.length > 0 || fresh.length > 0) {
      problems.push(
        `tests/${chapter.id}/manifest.json disagrees with the reference run (run npm run kata -- manifest --chapters ${chapter.number}):` +
          stale.map((k) => `\n    listed but not run: ${k}`).join("") +
          fresh.map((k) => `\n    run but not listed: ${k}`).join(""),
      );
    }
  }
  return problems.map((p) => `${chapter.id}: ${p}`);
}

export interface VerifyReport {
  gates: GateResult[];
  chapters: string[];
}

async function timed<T extends GateResult>(f: () => Promise<T> | T, onGate: (g: GateResult) => void): Promise<T> {
  const started = Date.now();
  const result = await f();
  result.ms = Date.now() - started;
  onGate(result);
  return result;
}

export async function verify(root: string, onGate: (g: GateResult) => void): Promise<VerifyReport> {
  const loadProblems: string[] = [];
  const chapters: Chapter[] = [];
  for (const id of SLUGS) {
    try {
      const c = loadChapter(root, id);
      if (c.status === "available") chapters.push(c);
    } catch (e) {
      if (!(e instanceof CurriculumError)) throw e;
      loadProblems.push(`${id}: ${e.message}`);
    }
  }
  let suite: ReturnType<typeof loadIntegration> = null;
  try {
    suite = loadIntegration(root);
  } catch (e) {
    if (!(e instanceof CurriculumError)) throw e;
    loadProblems.push(e.message);
  }
  const files = [...chapters.flatMap((c) => [...c.hiddenTests, ...c.publicTests]), ...(suite?.files ?? [])];
  const gates: GateResult[] = [];
  let outcome: RunOutcome | undefined;
  gates.push(
    await timed(async () => {
      outcome = files.length === 0 ? undefined : await referenceRun(root, files, SHARED_SETTINGS);
      return outcome === undefined ? { gate: "1 reference passes", problems: [], checked: "no tests", ms: 0 } : gateReference(outcome, files);
    }, onGate),
  );
  gates.push(await timed(() => gateStubs(root, chapters), onGate));
  const tsc = typecheck(root);
  gates.push(await timed(() => gateExports(root, chapters, tsc), onGate));
  gates.push(await timed(() => gateTypecheck(tsc), onGate));
  gates.push(
    await timed(() => {
      const problems = [...loadProblems];
      for (const c of chapters) {
        if (outcome !== undefined) problems.push(...contentProblems(root, c, outcome));
        else problems.push(`${c.id}: no hidden tests`);
      }
      if (suite !== null && outcome !== undefined) problems.push(...integrationProblems(suite, outcome));
      return { gate: "5 lessons, hints, manifests", problems, checked: `${chapters.length} chapters${suite === null ? "" : " and the integration suite"}`, ms: 0 };
    }, onGate),
  );
  gates.push(await timed(() => gateBugCorpus(root, chapters), onGate));
  return { gates, chapters: chapters.map((c) => c.id) };
}
