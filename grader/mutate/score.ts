/**
 * Scores: a chapter's Stryker report reduced to counts, a mutation score and the list of survivors, with the
 * reviewed equivalent mutants (`grader/mutate/equivalents/NN-slug.json`) taken out of the score.
 *
 * score = (killed + timed out) / (killed + timed out + survived + no coverage - equivalent - unreachable), as
 * Stryker's "mutation score" with equivalent mutants excluded (and those only a race of real threads reaches). Runtime and compile errors (a mutant that cannot even load)
 * count in neither part. An equivalent mutant is recognised by its file, mutator, the trimmed source line it
 * starts on and its replacement, so it survives edits elsewhere in the file; an entry that matches no survivor
 * any more is reported as stale. Mutants that change only given code (given.ts) count nowhere but in `given`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { z } from "zod";
import type { ChapterId } from "../curriculum.ts";
import type { LearnerFilter } from "./given.ts";
import type { ReportMutant, StrykerReport } from "./report-schema.ts";

/** The target before a chapter is released (README, contributor section). */
export const RELEASE_SCORE = 85;

export const Equivalent = z.strictObject({
  file: z.string(),
  mutator: z.string(),
  /** the trimmed source line the mutant starts on */
  line: z.string(),
  /** the mutant's replacement text, whitespace collapsed */
  replacement: z.string(),
  /**
   * equivalent: no test can tell it from the original; unreachable: a test could tell, but not in-process: only a
   * race between real threads reaches it (a compare-and-swap that loses; the real-thread suites run the solution
   * in worker threads, where Stryker's mutants are not switched on), or only an allocation beyond the test
   * forks' heap
   */
  kind: z.enum(["equivalent", "unreachable"]).default("equivalent"),
  /** why no test can tell it from the original, or why only real threads reach it */
  reason: z.string().min(10),
});
export type Equivalent = z.input<typeof Equivalent>;

export const EquivalentsFile = z.strictObject({ chapter: z.string(), equivalent: z.array(Equivalent) });

export interface MutantView {
  id: string;
  file: string;
  line: number;
  column: number;
  mutator: string;
  /** the trimmed source line the mutant starts on */
  lineText: string;
  original: string;
  replacement: string;
  status: ReportMutant["status"];
  /** the first test that killed it */
  killedBy?: string;
  /** how many tests reach it */
  covering: number;
}

export interface ChapterSummary {
  chapter: ChapterId;
  created: number;
  /** mutants of given code only (the stub holds those lines): not counted anywhere else */
  given: number;
  killed: number;
  timeout: number;
  survived: number;
  noCoverage: number;
  /** runtime and compile errors */
  errors: number;
  equivalent: number;
  /** recorded as reachable only by real threads */
  unreachable: number;
  /** percent, two decimals; null when no mutant counts */
  score: number | null;
  durationMs: number;
  cached: boolean;
  /** survivors and uncovered mutants not recorded as equivalent */
  survivors: MutantView[];
  equivalents: (MutantView & { reason: string; kind: "equivalent" | "unreachable" })[];
  /** entries of the equivalents file that match no surviving mutant */
  stale: Equivalent[];
}

const collapse = (s: string) => s.replace(/\s+/g, " ").trim();

export function equivalentsPath(root: string, id: ChapterId): string {
  return join(root, "grader", "mutate", "equivalents", `${id}.json`);
}

/** Appends entries to the chapter's equivalents file (creating it), skipping any already there. */
export function recordEquivalents(root: string, id: ChapterId, entries: readonly Equivalent[]): number {
  const current = loadEquivalents(root, id);
  const key = (e: Equivalent) => `${e.file}|${e.mutator}|${e.line}|${e.replacement}`;
  const known = new Set(current.map(key));
  const fresh = entries.filter((e) => !known.has(key(e)));
  mkdirSync(dirname(equivalentsPath(root, id)), { recursive: true });
  writeFileSync(equivalentsPath(root, id), `${JSON.stringify({ chapter: id, equivalent: [...current, ...fresh] }, null, 2)}\n`);
  return fresh.length;
}

export function loadEquivalents(root: string, id: ChapterId): Equivalent[] {
  const path = equivalentsPath(root, id);
  if (!existsSync(path)) return [];
  return EquivalentsFile.parse(JSON.parse(readFileSync(path, "utf8"))).equivalent;
}

function view(file: string, source: string[], m: ReportMutant, testNames: Map<string, string>): MutantView {
  const { start, end } = m.location;
  const lines = source.slice(start.line - 1, end.line);
  if (lines.length > 0) {
    lines[lines.length - 1] = lines[lines.length - 1]!.slice(0, end.column - 1);
    lines[0] = lines[0]!.slice(start.column - 1);
  }
  const killer = m.killedBy?.[0];
  return {
    id: m.id,
    file,
    line: start.line,
    column: start.column,
    mutator: m.mutatorName,
    lineText: (source[start.line - 1] ?? "").trim(),
    original: lines.join("\n"),
    replacement: m.replacement ?? "",
    status: m.status,
    ...(killer === undefined ? {} : { killedBy: testNames.get(killer) ?? killer }),
    covering: m.coveredBy?.length ?? 0,
  };
}

function matches(e: Equivalent, v: MutantView): boolean {
  return e.file === v.file && e.mutator === v.mutator && e.line === v.lineText && e.replacement === collapse(v.replacement);
}

/** An equivalents-file entry for a surviving mutant, with a reason to fill in. */
export function equivalentEntry(v: MutantView, reason: string, kind: "equivalent" | "unreachable" = "equivalent"): Equivalent {
  return { file: v.file, mutator: v.mutator, line: v.lineText, replacement: collapse(v.replacement), kind, reason };
}

export function summarize(
  chapter: ChapterId,
  report: StrykerReport,
  equivalents: readonly Equivalent[],
  run: { durationMs: number; cached: boolean },
  learner: LearnerFilter,
): ChapterSummary {
  const testNames = new Map<string, string>();
  for (const tf of Object.values(report.testFiles ?? {})) for (const t of tf.tests) testNames.set(t.id, t.name);
  const all: MutantView[] = [];
  let created = 0;
  for (const [file, { source, mutants }] of Object.entries(report.files)) {
    const lines = source.split("\n");
    created += mutants.length;
    for (const m of mutants) if (learner(file, m.location.start.line, m.location.end.line)) all.push(view(file, lines, m, testNames));
  }
  all.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  const count = (s: ReportMutant["status"]) => all.filter((m) => m.status === s).length;
  const undetected = all.filter((m) => m.status === "Survived" || m.status === "NoCoverage");
  const used = new Set<Equivalent>();
  const survivors: MutantView[] = [];
  const equivalent: ChapterSummary["equivalents"] = [];
  for (const m of undetected) {
    const e = equivalents.find((e) => matches(e, m));
    if (e === undefined) survivors.push(m);
    else {
      used.add(e);
      equivalent.push({ ...m, reason: e.reason, kind: e.kind ?? "equivalent" });
    }
  }
  const detected = count("Killed") + count("Timeout");
  const valid = detected + undetected.length - equivalent.length;
  return {
    chapter,
    created,
    given: created - all.length,
    killed: count("Killed"),
    timeout: count("Timeout"),
    survived: count("Survived"),
    noCoverage: count("NoCoverage"),
    errors: count("RuntimeError") + count("CompileError"),
    equivalent: equivalent.filter((e) => e.kind === "equivalent").length,
    unreachable: equivalent.filter((e) => e.kind === "unreachable").length,
    score: valid === 0 ? null : Math.round((detected / valid) * 10_000) / 100,
    durationMs: run.durationMs,
    cached: run.cached,
    survivors,
    equivalents: equivalent,
    stale: equivalents.filter((e) => !used.has(e)),
  };
}
