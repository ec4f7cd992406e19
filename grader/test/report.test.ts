/**
 * The grade report's JSON schema and the sums behind it.
 */
import { describe, expect, it } from "vitest";
import { chapterReport, chapterStatus, GradeReport, type TestReport } from "../report.ts";

const test = (over: Partial<TestReport>): TestReport => ({
  name: "Task 1: Ready > ready(v) is ready",
  file: "tests/01-poll/poll.test.ts",
  task: 1,
  points: 1,
  status: "pass",
  notImplemented: false,
  ...over,
});

const chapter = chapterReport({ id: "01-poll", title: "Poll and Future", mode: "solo:01", tasks: ["Ready", "Spin"] }, [
  test({}),
  test({ name: "Task 2: Spin > counts", task: 2, points: 2, status: "fail", message: "expected 3 to be 4" }),
  test({ name: "Task 2: Spin > stops", task: 2, status: "timeout", message: "timed out after 5000 ms" }),
]);

const report = {
  schema: "kata-grade/1",
  mode: "solo",
  submission: null,
  generatedAt: "2025-01-01T00:00:00.000Z",
  durationMs: 1234,
  score: chapter.score,
  maxScore: chapter.maxScore,
  chapters: [chapter],
  integration: null,
  coming: ["02-state-machines"],
};

describe("the grade report", () => {
  it("sums points per chapter and per task", () => {
    expect(chapter).toMatchObject({ score: 1, maxScore: 4, passed: 1, total: 3, status: "in-progress" });
    expect(chapter.tasks).toEqual([
      { task: 1, title: "Ready", score: 1, maxScore: 1, passed: 1, total: 1 },
      { task: 2, title: "Spin", score: 0, maxScore: 3, passed: 0, total: 2 },
    ]);
  });

  it("accepts a complete report and keeps it as it is", () => {
    expect(GradeReport.parse(report)).toEqual(report);
  });

  it("rejects an unknown status, a missing score, an unknown chapter and extra fields", () => {
    const bad = (f: (r: any) => void) => {
      const copy = structuredClone(report) as any;
      f(copy);
      return GradeReport.safeParse(copy).success;
    };
    expect(bad(() => {})).toBe(true);
    expect(bad((r) => (r.chapters[0].tests[0].status = "passed"))).toBe(false);
    expect(bad((r) => delete r.score)).toBe(false);
    expect(bad((r) => (r.chapters[0].id = "20-extra"))).toBe(false);
    expect(bad((r) => (r.chapters[0].tests[0].extra = 1))).toBe(false);
    expect(bad((r) => (r.chapters[0].tests[0].task = 0))).toBe(false);
  });

  it("names a chapter's status: done, not started (only stubs' errors), in progress, no tests", () => {
    expect(chapterStatus([test({})])).toBe("done");
    expect(chapterStatus([test({ status: "fail", notImplemented: true })])).toBe("not-started");
    expect(chapterStatus([test({ status: "fail", notImplemented: true }), test({ status: "fail" })])).toBe("in-progress");
    expect(chapterStatus([test({}), test({ status: "fail", notImplemented: true })])).toBe("in-progress");
    expect(chapterStatus([])).toBe("no-tests");
  });
});
