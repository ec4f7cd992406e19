/**
 * Given code: the lines of a solution module that its stub (`chapters/NN-slug/<same file>`) already holds word for
 * word: types, constants, error classes, `FutureBase`, signatures and doc comments. The learner never writes
 * them, so a mutant that changes only given lines says nothing about the hidden suite and is left out of the score
 * (counted as "given" in the report). A line is the learner's when it is not part of the longest common
 * subsequence of the two files' lines (trailing whitespace ignored); a solution module with no stub is all the
 * learner's.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ChapterId } from "../curriculum.ts";

/** The stub of a solution module, or undefined when the chapter has none. */
export function stubOf(root: string, id: ChapterId, module: string): string | undefined {
  const path = join(root, "chapters", id, module);
  return existsSync(path) ? readFileSync(path, "utf8") : undefined;
}

/** 1-based line numbers of a solution module's text that its stub's text does not hold. */
export function learnerLines(solutionText: string, stubText: string | undefined): Set<number> {
  const solution = solutionText.split("\n").map((l) => l.trimEnd());
  const all = new Set(solution.map((_, i) => i + 1));
  if (stubText === undefined) return all;
  const stub = stubText.split("\n").map((l) => l.trimEnd());
  // lcs[i][j]: the LCS length of solution[i..] and stub[j..]
  const n = solution.length;
  const m = stub.length;
  const lcs = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = solution[i] === stub[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (solution[i] === stub[j]) {
      all.delete(i + 1);
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) i++;
    else j++;
  }
  return all;
}

/** Whether a mutant spanning lines `start..end` of a solution file touches a line the learner writes. */
export type LearnerFilter = (file: string, start: number, end: number) => boolean;

/**
 * A filter over `solutions/<id>/...` files as mutated (`sources`: their text in the run's report), against the
 * stubs as they are now; each file's learner lines are computed once.
 */
export function learnerFilter(root: string, id: ChapterId, sources: Record<string, string>): LearnerFilter {
  const cache = new Map<string, Set<number>>();
  const prefix = `solutions/${id}/`;
  return (file, start, end) => {
    if (!file.startsWith(prefix)) return true;
    let lines = cache.get(file);
    if (lines === undefined) cache.set(file, (lines = learnerLines(sources[file] ?? "", stubOf(root, id, file.slice(prefix.length)))));
    for (let l = start; l <= end; l++) if (lines.has(l)) return true;
    return false;
  };
}
