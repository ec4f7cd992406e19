/**
 * The hostile-submission corpus (hostile-corpus.ts), graded as an instructor would grade it: each case's copy of
 * the workbook in a temporary workspace, with this repository's hidden suites, under small bounds (2 s per test,
 * 2 s of a blocked thread, a heap of 256 MB and 400 MB resident per test process: the hangs and bombs burn less
 * while they run to their bound). Each case must get the right verdict, with the message the student will read,
 * within its time bound, and the chapter graded beside it must keep its full grade. Three cases are graded at a
 * time: most of a hostile case's time is spent waiting for a bound to run out.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCurriculum } from "../curriculum.ts";
import { DEFAULT_SETTINGS, gradeSections, pool, type RunSettings } from "../grade.ts";
import type { ChapterReport } from "../report.ts";
import { createWorkspace } from "../workspace.ts";
import { bound } from "./bounds.ts";
import { CASES, writeCorpus, type HostileCase } from "./hostile-corpus.ts";
import { ROOT } from "./workbooks.ts";

const SETTINGS: RunSettings = { ...DEFAULT_SETTINGS, testTimeoutMs: 2_000, hardMs: 2_000, heapMb: 256, memMb: 400, maxWorkers: 1, concurrency: 1, baseDeadlineMs: 30_000 };
/** The time one case may take on an idle machine: vitest's start, its tests, and up to three runs again after a hang. */
const CASE_SECONDS = 45;

interface Graded {
  c: HostileCase;
  chapters: ChapterReport[];
  seconds: number;
}

const dir = mkdtempSync(join(tmpdir(), "kata-corpus-"));
let results: Map<string, Graded>;

beforeAll(async () => {
  writeCorpus(dir);
  const curriculum = loadCurriculum(ROOT);
  const graded = await pool(CASES, 3, async (c): Promise<Graded> => {
    const ids = [c.chapter, ...(c.bystander === undefined ? [] : [c.bystander])];
    const chapters = curriculum.chapters.filter((ch) => ids.includes(ch.id as (typeof ids)[number]));
    const started = Date.now();
    const ws = createWorkspace(ROOT, join(dir, c.name));
    try {
      const { chapters: reports } = await gradeSections({ workspace: ws.root, chapters, mode: "solo", settings: SETTINGS });
      return { c, chapters: reports, seconds: (Date.now() - started) / 1000 };
    } finally {
      ws.dispose();
    }
  });
  results = new Map(graded.map((g) => [g.c.name, g]));
}, 900_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }), 120_000);

describe("the hostile corpus", () => {
  for (const c of CASES) {
    it(`${c.name}: ${c.what}`, () => {
      const { chapters, seconds } = results.get(c.name)!;
      const mine = chapters.find((r) => r.id === c.chapter)!;
      const failing = mine.tests.filter((t) => t.status !== "pass");
      const summary = failing.map((t) => `[${t.status}] ${t.name}: ${t.message}`).join("\n");
      expect(mine.tests.length, "the manifest's tests are all judged").toBeGreaterThan(0);
      if (c.fails === "none") expect(failing, summary).toEqual([]);
      if (c.fails === "all") expect(mine.score, `no point for ${c.name}`).toBe(0);
      if (c.fails !== "none") expect(failing.length, "at least one test fails").toBeGreaterThan(0);
      for (const t of failing) {
        expect(c.statuses, `${t.name}: ${t.message}`).toContain(t.status);
        expect(t.message ?? "", `what the student reads for ${t.name}`).toMatch(c.message);
      }
      if (c.bystander !== undefined) {
        const other = chapters.find((r) => r.id === c.bystander)!;
        expect(other.score, `${c.bystander} keeps its full grade`).toBe(other.maxScore);
      }
      expect(seconds, "seconds to grade the case").toBeLessThan(bound(CASE_SECONDS));
    });
  }
});
