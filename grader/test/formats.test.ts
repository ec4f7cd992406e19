/**
 * The machine formats (formats.ts), each validated by the zod schema of what its consumer reads
 * (format-schemas.ts); and `kata grade --submissions` on the command line, whose per-student results are in one of
 * them.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BatchSummary } from "../batch.ts";
import { classroom, exercism, gradescope, junit } from "../formats.ts";
import { chapterReport, GradeReport, type TestReport } from "../report.ts";
import { ClassroomResult, ExercismResults, GradescopeResults, JUnitReport, readXml } from "./format-schemas.ts";
import { CASES, writeCorpus } from "./hostile-corpus.ts";
import { ROOT } from "./workbooks.ts";

const t = (name: string, file: string, task: number, status: TestReport["status"], message?: string): TestReport => ({
  name,
  file,
  task,
  points: task === 2 ? 2 : 1,
  status,
  notImplemented: false,
  ...(message === undefined ? {} : { message }),
  durationMs: 3,
});

const report = GradeReport.parse({
  schema: "kata-grade/1",
  mode: "solo",
  submission: "students/ada",
  generatedAt: new Date(0).toISOString(),
  durationMs: 1234,
  score: 3,
  maxScore: 7,
  chapters: [
    chapterReport({ id: "01-poll", title: "Poll", mode: "solo:01", tasks: ["One", "Two"] }, [
      t("Task 1: One > a", "tests/01-poll/a.test.ts", 1, "pass"),
      t("Task 1: One > b <&> \"quoted\"", "tests/01-poll/a.test.ts", 1, "fail", "expected 1 to be 2\n- Expected\n+ Received"),
      t("Task 2: Two > c", "tests/01-poll/b.test.ts", 2, "pass"),
      t("Task 2: Two > d", "tests/01-poll/b.test.ts", 2, "timeout", "blocked the thread for more than 10 s (an infinite loop?) and was stopped"),
    ]),
  ],
  integration: chapterReport({ id: "integration", title: "Integration", mode: "integrated", tasks: ["echo"] }, [
    t("echo server > current_thread > echoes", "tests/integration/echo.test.ts", 1, "error", "the test process crashed"),
  ]),
  coming: [],
});

describe("formats", () => {
  it("exercism: results.json v3, tests in file order with their task_id, no hidden test code", () => {
    const out = ExercismResults.parse(exercism(report));
    expect(out.status).toBe("fail");
    expect(out.tests.map((x) => [x.name, x.status, x.task_id])).toEqual([
      ["01-poll > Task 1: One > a", "pass", 1],
      ['01-poll > Task 1: One > b <&> "quoted"', "fail", 1],
      ["01-poll > Task 2: Two > c", "pass", 2],
      ["01-poll > Task 2: Two > d", "fail", 2],
      ["integration > echo server > current_thread > echoes", "error", 1],
    ]);
    expect(out.tests.every((x) => x.test_code === "")).toBe(true);
    expect(out.tests[3]!.message).toMatch(/^timed out: blocked the thread/);
  });

  it("exercism: status error, with a message, when no test could run", () => {
    const broken = GradeReport.parse({ ...report, integration: null, chapters: [chapterReport({ id: "01-poll", title: "Poll", mode: "solo:01", tasks: ["One"] }, [t("Task 1: One > a", "tests/01-poll/a.test.ts", 1, "error", "syntax error in chapters/01-poll/ready.ts:3:1: Unexpected token")])] });
    const out = ExercismResults.parse(exercism(broken));
    expect(out.status).toBe("error");
    expect(out.message).toMatch(/^syntax error/);
  });

  it("gradescope: per-test score and max_score, hidden tests after_published by default or as configured", () => {
    const out = GradescopeResults.parse(gradescope(report));
    expect(out.score).toBe(3);
    expect(out.tests.map((x) => [x.number, x.score, x.max_score, x.status, x.visibility])).toEqual([
      ["01.1", 1, 1, "passed", "after_published"],
      ["01.1", 0, 1, "failed", "after_published"],
      ["01.2", 2, 2, "passed", "after_published"],
      ["01.2", 0, 2, "failed", "after_published"],
      ["I.1", 0, 1, "failed", "after_published"],
    ]);
    expect(GradescopeResults.parse(gradescope(report, { visibility: "hidden" })).tests.every((x) => x.visibility === "hidden")).toBe(true);
    expect(out.tests.reduce((s, x) => s + (x.max_score ?? 0), 0)).toBe(report.maxScore);
  });

  it("junit: well-formed XML, a suite per section, failures and errors counted, text escaped", () => {
    const xml = junit(report);
    const root = JUnitReport.parse(readXml(xml));
    expect(root.children.map((s) => [s.attributes.name, s.attributes.tests, s.attributes.failures, s.attributes.errors])).toEqual([
      ["01-poll: Poll", "4", "2", "0"],
      ["integration: Integration", "1", "0", "1"],
    ]);
    const cases = root.children[0]!.children;
    expect(cases[1]!.attributes.name).toBe('Task 1: One > b <&> "quoted"');
    expect(cases[1]!.children[0]!.attributes.message).toBe("expected 1 to be 2");
    expect(root.attributes).toMatchObject({ tests: "5", failures: "2", errors: "1" });
  });

  it("classroom: what GitHub Classroom's grading reporter decodes, points per test", () => {
    const out = ClassroomResult.parse(classroom(report));
    expect(out.max_score).toBe(7);
    expect(out.tests.reduce((s, x) => s + x.score, 0)).toBe(3);
    expect(out.tests.map((x) => x.status)).toEqual(["pass", "fail", "pass", "fail", "error"]);
    expect(Buffer.from(Buffer.from(JSON.stringify(out)).toString("base64"), "base64").toString()).toBe(JSON.stringify(out));
  });
});

const dir = mkdtempSync(join(tmpdir(), "kata-batch-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("kata grade --submissions", () => {
  it("grades every subfolder, writes summary.csv and summary.json, and each student's results in the format asked", async () => {
    const cases = CASES.filter((c) => ["honest", "syntax-error", "throw-at-import"].includes(c.name));
    const subs = join(dir, "subs");
    const out = join(dir, "out");
    writeCorpus(subs, cases);
    const stderr = await new Promise<string>((resolve, reject) => {
      execFile(
        join(ROOT, "node_modules", ".bin", "tsx"),
        [join(ROOT, "grader", "cli.ts"), "grade", "--submissions", subs, "--out", out, "--chapters", "01", "--format", "exercism", "--jobs", "2", "--timeout", "2", "--hang", "3"],
        { cwd: ROOT, timeout: 300_000 },
        (error, _stdout, stderr) => (error === null ? resolve(stderr) : reject(new Error(`${error.message}\n${stderr}`))),
      );
    });
    expect(stderr).toMatch(/\] 3\/3 /);
    const summary = BatchSummary.parse(JSON.parse(readFileSync(join(out, "summary.json"), "utf8")));
    expect(summary.sections).toEqual(["01-poll"]);
    expect(summary.students.map((s) => [s.student, s.status, s.score, s.maxScore])).toEqual([
      ["honest", "graded", 27, 27],
      ["syntax-error", "graded", 0, 27],
      ["throw-at-import", "graded", 0, 27],
    ]);
    const csv = readFileSync(join(out, "summary.csv"), "utf8").trim().split("\n");
    expect(csv[0]).toBe("student,status,score,max_score,percent,01-poll,seconds,error");
    expect(csv[1]).toMatch(/^honest,graded,27,27,100,27,[\d.]+,$/);
    for (const s of summary.students) {
      const results = ExercismResults.parse(JSON.parse(readFileSync(join(out, s.results!), "utf8")));
      expect(results.tests.length).toBe(27);
      expect(results.status).toBe(s.student === "honest" ? "pass" : "error");
    }
  }, 300_000);
});
