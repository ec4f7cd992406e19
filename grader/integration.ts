/**
 * The integration suite: `tests/integration/*.test.ts`, the apps of `grader/apps/` on the assembled runtime over
 * real loopback sockets. It is graded as a section of its own (report.ts `IntegrationReport`): in reference mode
 * against the solutions, otherwise against the learner's chapters all together (integrated mode), and never when a
 * single chapter is graded. Its tasks are its files, one app each, in file order; its manifest
 * (`tests/integration/manifest.json`, written by `kata manifest`) lists every test like a chapter's does.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { CurriculumError } from "./curriculum.ts";
import { testRecords } from "./manifest.ts";
import type { RunOutcome } from "./run/spawn.ts";

export const INTEGRATION_DIR = "tests/integration";

export const IntegrationTest = z.strictObject({
  file: z.string().regex(/^tests\/integration\/[^/]+\.test\.ts$/),
  name: z.string().min(1),
  task: z.int().positive(),
  points: z.number().positive().default(1),
});
export type IntegrationTest = z.infer<typeof IntegrationTest>;

export const IntegrationManifest = z.strictObject({ suite: z.literal("integration"), tests: z.array(IntegrationTest) });
export type IntegrationManifest = z.infer<typeof IntegrationManifest>;

export interface IntegrationSuite {
  /** relative paths of the test files, sorted: file i is task i + 1 */
  files: string[];
  /** one per file: the app it exercises ("echo", "mini-redis") */
  tasks: string[];
  manifest: IntegrationManifest | null;
}

const manifestPath = (root: string) => join(root, INTEGRATION_DIR, "manifest.json");

/** The suite in a workbook, or null when it has none (a student's bundle). */
export function loadIntegration(root: string): IntegrationSuite | null {
  const dir = join(root, INTEGRATION_DIR);
  if (!existsSync(dir)) return null;
  const names = readdirSync(dir)
    .filter((f) => f.endsWith(".test.ts"))
    .sort();
  if (names.length === 0) return null;
  let manifest: IntegrationManifest | null = null;
  if (existsSync(manifestPath(root))) {
    const parsed = IntegrationManifest.safeParse(JSON.parse(readFileSync(manifestPath(root), "utf8")));
    if (!parsed.success) throw new CurriculumError(`${INTEGRATION_DIR}/manifest.json is invalid: ${z.prettifyError(parsed.error)}`);
    manifest = parsed.data;
  }
  return { files: names.map((n) => `${INTEGRATION_DIR}/${n}`), tasks: names.map((n) => n.replace(/\.test\.ts$/, "")), manifest };
}

/** The manifest a reference run gives, keeping the points already listed, and what stops it from being one. */
export function integrationManifestFromRun(suite: IntegrationSuite, outcome: RunOutcome): { manifest: IntegrationManifest; problems: string[] } {
  const points = new Map((suite.manifest?.tests ?? []).map((t) => [`${t.file}\0${t.name}`, t.points]));
  const problems: string[] = [];
  const tests: IntegrationTest[] = [];
  for (const r of testRecords(outcome, suite.files)) {
    if (r.state !== "passed") problems.push(`${r.file}: "${r.name}" does not pass against the reference (${r.errors[0]?.message.split("\n")[0] ?? r.state})`);
    if (tests.some((t) => t.file === r.file && t.name === r.name)) problems.push(`${r.file}: the test name "${r.name}" is used twice`);
    tests.push({ file: r.file, name: r.name, task: suite.files.indexOf(r.file) + 1, points: points.get(`${r.file}\0${r.name}`) ?? 1 });
  }
  for (const file of suite.files) if (!tests.some((t) => t.file === file)) problems.push(`${file}: no test was reported`);
  return { manifest: { suite: "integration", tests }, problems };
}

/** Problems of the suite's manifest against a fresh reference run (verify, gate 5). */
export function integrationProblems(suite: IntegrationSuite, outcome: RunOutcome): string[] {
  const { manifest, problems } = integrationManifestFromRun(suite, outcome);
  if (suite.manifest === null) return [...problems, `${INTEGRATION_DIR}/manifest.json is missing: run npm run kata -- manifest`];
  const key = (t: IntegrationTest) => `${t.file} | ${t.name} | task ${t.task}`;
  const listed = new Set(suite.manifest.tests.map(key));
  const ran = new Set(manifest.tests.map(key));
  const stale = [...listed].filter((k) => !ran.has(k)).map((k) => `\n    listed but not run: ${k}`);
  const fresh = [...ran].filter((k) => !listed.has(k)).map((k) => `\n    run but not listed: ${k}`);
  if (stale.length + fresh.length > 0) problems.push(`${INTEGRATION_DIR}/manifest.json disagrees with the reference run (run npm run kata -- manifest):${stale.join("")}${fresh.join("")}`);
  return problems.map((p) => `integration: ${p}`);
}

export function writeIntegrationManifest(root: string, manifest: IntegrationManifest): void {
  writeFileSync(manifestPath(root), JSON.stringify(manifest, null, 2) + "\n");
}
