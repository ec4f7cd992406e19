/**
 * One chapter's mutation run: Stryker 9 with its vitest runner, on `solutions/NN-slug/` against the chapter's
 * hidden suite in reference mode.
 *
 * - Only modules with code the learner writes are mutated (given.ts); mutants of given lines are scored out later.
 * - Stryker copies the workbook into a sandbox under the system's temporary directory and mutates only that copy
 *   (mutant schemata: every mutant is compiled in once and switched on by id), so the working tree others use is
 *   never touched.
 * - Per-test coverage: each mutant runs only the tests that reach it (all of them for a mutant reached while the
 *   modules load); the run bails at the first failing test.
 * - A per-mutant timeout of 1.5 x the covering tests' time + 5 s; `concurrency` Stryker workers (2 by default).
 * - Two caches under `reports/mutation/NN-slug/`: `cache.json` holds the hash of every input (solutions, kit,
 *   the chapter's tests and the test support, the configuration); when it matches, the previous report is reused
 *   whole. Otherwise Stryker's incremental file reuses the verdicts of mutants whose code and tests are unchanged.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import type { PartialStrykerOptions } from "@stryker-mutator/api/core";
import type { Chapter, ChapterId } from "../curriculum.ts";
import { learnerLines, stubOf } from "./given.ts";
import { StrykerReport } from "./report-schema.ts";

const require = createRequire(import.meta.url);
const STRYKER_VERSION = (require("@stryker-mutator/core/package.json") as { version: string }).version;

export interface MutateOptions {
  /** Stryker workers, each with one vitest thread */
  concurrency: number;
  /** ignore both caches */
  force: boolean;
  /** Stryker's console output: progress lines, or nothing */
  quiet: boolean;
}

export interface ChapterRun {
  chapter: ChapterId;
  report: StrykerReport;
  /** the wall time of the Stryker run, or of the run the cached report came from */
  durationMs: number;
  cached: boolean;
}

/** Stryker types its log levels as a const enum, which erasable TypeScript cannot import: its values are these strings. */
const logLevel = (level: "off" | "error" | "warn") => level as unknown as NonNullable<PartialStrykerOptions["logLevel"]>;

export const reportDir = (root: string, id: ChapterId) => join(root, "reports", "mutation", id);

/** Every file under `dir` (relative to root), sorted; bug corpora and manifests left out. */
function filesUnder(root: string, dir: string): string[] {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) {
        if (name !== "bugs" && name !== "node_modules") walk(p);
      } else if (name.endsWith(".ts")) out.push(relative(root, p));
    }
  };
  walk(abs);
  return out;
}

/** The hash of everything a chapter's mutation verdicts depend on. */
export function inputHash(root: string, chapter: Chapter): string {
  const h = createHash("sha256");
  h.update(`stryker ${STRYKER_VERSION}\n`);
  const files = [
    "package.json",
    "grader/mutate/stryker.ts",
    "grader/mutate/given.ts",
    "grader/mutate/vitest.config.ts",
    ...filesUnder(root, "solutions"),
    ...filesUnder(root, "kit"),
    ...filesUnder(root, "tests/_support"),
    ...chapter.hiddenTests,
  ];
  for (const f of files) {
    h.update(`${f}\n`);
    h.update(readFileSync(join(root, f)));
  }
  return h.digest("hex");
}

interface CacheEntry {
  hash: string;
  durationMs: number;
}

/** The chapter's solution modules with at least one line the learner writes (a module given whole is skipped). */
export function modulesToMutate(root: string, id: ChapterId): string[] {
  return filesUnder(root, `solutions/${id}`).filter((f) => {
    const module = f.slice(`solutions/${id}/`.length);
    return module !== "index.ts" && learnerLines(readFileSync(join(root, f), "utf8"), stubOf(root, id, module)).size > 0;
  });
}

/** The chapter's last report as it is, without running anything (after editing the equivalents). */
export function lastRun(root: string, chapter: Chapter): ChapterRun | undefined {
  const dir = reportDir(root, chapter.id);
  const reportFile = join(dir, "mutation.json");
  if (!existsSync(reportFile)) return undefined;
  const cacheFile = join(dir, "cache.json");
  const durationMs = existsSync(cacheFile) ? (JSON.parse(readFileSync(cacheFile, "utf8")) as CacheEntry).durationMs : 0;
  return { chapter: chapter.id, report: StrykerReport.parse(JSON.parse(readFileSync(reportFile, "utf8"))), durationMs, cached: true };
}

export async function mutateChapter(root: string, chapter: Chapter, options: MutateOptions): Promise<ChapterRun> {
  const dir = reportDir(root, chapter.id);
  const reportFile = join(dir, "mutation.json");
  const cacheFile = join(dir, "cache.json");
  const hash = inputHash(root, chapter);
  if (!options.force && existsSync(cacheFile) && existsSync(reportFile)) {
    const cache = JSON.parse(readFileSync(cacheFile, "utf8")) as CacheEntry;
    if (cache.hash === hash) {
      return { chapter: chapter.id, report: StrykerReport.parse(JSON.parse(readFileSync(reportFile, "utf8"))), durationMs: cache.durationMs, cached: true };
    }
  }
  mkdirSync(dir, { recursive: true });
  if (options.force) rmSync(join(dir, "incremental.json"), { force: true });
  const rel = (p: string) => relative(root, p);

  // Stryker's worker processes inherit the environment: the vitest config reads the chapter's files from it.
  process.env.KATA_MUTATE_FILES = chapter.hiddenTests.join(",");
  const { Stryker } = await import("@stryker-mutator/core");
  const started = Date.now();
  const stryker = new Stryker({
    testRunner: "vitest",
    plugins: ["@stryker-mutator/vitest-runner"],
    vitest: { configFile: "grader/mutate/vitest.config.ts", related: false },
    mutate: modulesToMutate(root, chapter.id),
    coverageAnalysis: "perTest",
    concurrency: options.concurrency,
    timeoutMS: 5_000,
    timeoutFactor: 1.5,
    reporters: options.quiet ? ["json", "html"] : ["json", "html", "progress-append-only"],
    jsonReporter: { fileName: rel(reportFile) },
    htmlReporter: { fileName: rel(join(dir, "index.html")) },
    incremental: !options.force,
    incrementalFile: rel(join(dir, "incremental.json")),
    tempDirName: join(tmpdir(), `kata-stryker-${chapter.id}`),
    cleanTempDir: "always",
    // TypeScript 7 has no compiler API: Stryker's tsconfig rewriting would call it. No tsconfig is needed in the
    // sandbox (vitest strips types without reading one), so point the option at a file that does not exist.
    tsconfigFile: "grader/mutate/no-tsconfig.json",
    disableTypeChecks: false,
    // The sandbox holds only what the run reads (other people's scratch files may vanish while Stryker copies).
    ignorePatterns: [
      "/*",
      "!/package.json",
      "!/kit",
      "!/solutions",
      "!/tests",
      "/tests/*",
      "!/tests/_support",
      `!/tests/${chapter.id}`,
      "/tests/*/bugs",
      "!/grader",
      "/grader/*",
      "!/grader/mutate",
      "*.md",
    ],
    logLevel: logLevel(options.quiet ? "error" : "warn"),
    fileLogLevel: logLevel("off"),
    allowConsoleColors: false,
  });
  await stryker.runMutationTest();
  const durationMs = Date.now() - started;
  const report = StrykerReport.parse(JSON.parse(readFileSync(reportFile, "utf8")));
  writeFileSync(cacheFile, `${JSON.stringify({ hash, durationMs } satisfies CacheEntry, null, 2)}\n`);
  return { chapter: chapter.id, report, durationMs, cached: false };
}
