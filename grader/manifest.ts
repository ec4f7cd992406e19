/**
 * Manifests: the list of hidden tests a chapter is graded on, made from a reference run.
 *
 * `kata manifest` runs the hidden suites against the solutions and writes `tests/NN-slug/manifest.json`: every
 * test with its file, full name and task (from its `describe("Task N: <title>")`), keeping the points of tests
 * the old manifest already listed. `kata verify` checks that a fresh reference run and the manifest agree.
 */
import { writeFileSync } from "node:fs";
import { manifestPath, type Chapter, type Manifest, type ManifestTest } from "./curriculum.ts";
import { DEFAULT_SETTINGS, deadlineFor, runSuites, TESTS_PER_FILE, type RunSettings } from "./grade.ts";
import { CANARY } from "./run/protocol.ts";
import type { ResultRecord } from "./run/records.ts";
import type { RunOutcome } from "./run/spawn.ts";
import { assertStarted } from "./run/verdicts.ts";

/** One vitest child running `files` with every chapter resolved to the reference. */
export async function referenceRun(root: string, files: readonly string[], settings: RunSettings = DEFAULT_SETTINGS): Promise<RunOutcome> {
  const suites = [{ mode: "reference", files: [...files] }];
  const outcome = await runSuites(root, suites, settings, deadlineFor(files.length * TESTS_PER_FILE, settings));
  assertStarted(outcome);
  return outcome;
}

type TestRecord = Extract<ResultRecord, { type: "test" }>;

/** The test records of `files` in a run, canaries left out, in file order then run order. */
export function testRecords(outcome: RunOutcome, files: readonly string[]): TestRecord[] {
  const all = outcome.results.filter((r): r is TestRecord => r.type === "test" && r.name !== CANARY);
  return files.flatMap((f) => all.filter((r) => r.file === f));
}

/** The task of a test from its top-level describe, checked against the chapter's tasks. */
export function taskOf(chapter: Chapter, name: string): { task: number } | { problem: string } {
  const m = /^Task (\d+): (.+?)(?: > |$)/.exec(name);
  if (m === null) return { problem: `"${name}" is not inside a describe("Task N: <title>") block` };
  const task = Number(m[1]);
  const title = chapter.tasks[task - 1];
  if (title === undefined) return { problem: `"${name}": kata.json has no task ${task}` };
  if (title !== m[2]) return { problem: `"${name}": task ${task} is "${title}" in kata.json` };
  return { task };
}

/** The manifest a reference run gives for a chapter, and what stops it from being one. */
export function manifestFromRun(chapter: Chapter, outcome: RunOutcome): { manifest: Manifest; problems: string[] } {
  const problems: string[] = [];
  const points = new Map((chapter.manifest?.tests ?? []).map((t) => [`${t.file}\0${t.name}`, t.points]));
  const tests: ManifestTest[] = [];
  const seen = new Set<string>();
  for (const record of testRecords(outcome, chapter.hiddenTests)) {
    const key = `${record.file}\0${record.name}`;
    if (seen.has(key)) problems.push(`${record.file}: the test name "${record.name}" is used twice`);
    seen.add(key);
    if (record.state !== "passed") {
      const why = record.errors[0]?.message.split("\n")[0] ?? record.state;
      problems.push(`${record.file}: "${record.name}" does not pass against the reference (${why})`);
    }
    const task = taskOf(chapter, record.name);
    if ("problem" in task) {
      problems.push(`${record.file}: ${task.problem}`);
      continue;
    }
    tests.push({ file: record.file, name: record.name, task: task.task, points: points.get(key) ?? 1 });
  }
  for (const file of chapter.hiddenTests) {
    const module = outcome.results.find((r) => r.type === "module" && r.file === file);
    const error = module?.type === "module" ? module.errors[0] : undefined;
    if (error !== undefined) problems.push(`${file}: ${error.message.split("\n")[0]}`);
    else if (!tests.some((t) => t.file === file) && !problems.some((p) => p.startsWith(file))) problems.push(`${file}: no test was reported`);
  }
  return { manifest: { chapter: chapter.id, tests }, problems };
}

export function writeManifest(root: string, manifest: Manifest): void {
  writeFileSync(manifestPath(root, manifest.chapter), JSON.stringify(manifest, null, 2) + "\n");
}
