/**
 * The machine formats of a grade, each made from the one GradeReport (report.ts) of a single run:
 *
 * - `exercism`: Exercism's results.json v3: tests in file order, each with the `task_id` of its lesson task;
 * - `gradescope`: Gradescope's results.json: per-test score, max_score and visibility (hidden tests are
 *   `after_published` by default), a number "chapter.task";
 * - `junit`: JUnit XML, one `<testsuite>` per chapter, a `<failure>` or `<error>` per test that did not pass;
 * - `classroom`: the result GitHub Classroom's autograding reporter decodes from `<ID>_RESULTS` (version 1, points
 *   per test), written as plain JSON: the workflow base64-encodes it.
 *
 * Feedback is the grade's own: the test's name, its task and the assertion's message, never the hidden test's code
 * (`test_code` is left empty).
 */
import type { GradeReport, SectionReport, TestReport } from "./report.ts";

export const FORMATS = ["text", "json", "exercism", "gradescope", "junit", "classroom"] as const;
export type Format = (typeof FORMATS)[number];

export const VISIBILITIES = ["hidden", "after_due_date", "after_published", "visible"] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export interface FormatOptions {
  /** Gradescope: the visibility of each hidden test (default `after_published`) */
  visibility?: Visibility;
}

/** Every graded section in order: the chapters, then the integration suite. */
export function sections(report: GradeReport): SectionReport[] {
  return report.integration === null ? report.chapters : [...report.chapters, report.integration];
}

/** The name a test is shown under outside the workbook: its section, its task and its own name. */
function fullName(section: SectionReport, test: TestReport): string {
  return `${section.id} > ${test.name}`;
}

function feedback(test: TestReport): string {
  return test.status === "pass" ? "" : `${test.status === "timeout" ? "timed out: " : ""}${test.message ?? "failed"}`;
}

const round = (n: number) => Math.round(n * 1000) / 1000;

export function exercism(report: GradeReport): object {
  const all = sections(report).flatMap((s) => s.tests.map((t) => ({ s, t })));
  const ran = all.filter(({ t }) => t.status !== "error");
  const status = all.length > 0 && all.every(({ t }) => t.status === "pass") ? "pass" : all.length > 0 && ran.length === 0 ? "error" : "fail";
  return {
    version: 3,
    status,
    message: status === "error" ? (all[0]?.t.message ?? "no test could run") : null,
    tests: all.map(({ s, t }) => ({
      name: fullName(s, t),
      status: t.status === "pass" ? "pass" : t.status === "error" ? "error" : "fail",
      message: t.status === "pass" ? null : feedback(t),
      output: null,
      test_code: "",
      task_id: t.task,
    })),
  };
}

export function gradescope(report: GradeReport, options: FormatOptions = {}): object {
  const visibility = options.visibility ?? "after_published";
  return {
    score: round(report.score),
    execution_time: round(report.durationMs / 1000),
    output: `kata grade (${report.mode}): ${round(report.score)} / ${round(report.maxScore)} points`,
    output_format: "text",
    test_output_format: "text",
    visibility: "visible",
    stdout_visibility: "hidden",
    tests: sections(report).flatMap((s) =>
      s.tests.map((t) => ({
        score: t.status === "pass" ? t.points : 0,
        max_score: t.points,
        status: t.status === "pass" ? "passed" : "failed",
        name: fullName(s, t),
        number: `${s.id === "integration" ? "I" : s.id.slice(0, 2)}.${t.task}`,
        output: feedback(t),
        output_format: "text",
        tags: [s.id, `task ${t.task}`],
        visibility,
      })),
    ),
  };
}

function xml(text: string): string {
  // characters XML 1.0 cannot carry at all are dropped; the rest are escaped
  return text.replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "").replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function junit(report: GradeReport): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const all = sections(report);
  const count = (ts: readonly TestReport[], ...statuses: TestReport["status"][]) => ts.filter((t) => statuses.includes(t.status)).length;
  const allTests = all.flatMap((s) => s.tests);
  lines.push(
    `<testsuites name="kata grade (${report.mode})" tests="${allTests.length}" failures="${count(allTests, "fail", "timeout")}" errors="${count(allTests, "error")}" time="${round(report.durationMs / 1000)}">`,
  );
  for (const s of all) {
    lines.push(
      `  <testsuite name="${xml(`${s.id}: ${s.title}`)}" tests="${s.tests.length}" failures="${count(s.tests, "fail", "timeout")}" errors="${count(s.tests, "error")}" skipped="0" time="0">`,
    );
    for (const t of s.tests) {
      const open = `    <testcase classname="${xml(`${s.id}.task-${t.task}`)}" name="${xml(t.name)}" file="${xml(t.file)}" time="${round((t.durationMs ?? 0) / 1000)}"`;
      if (t.status === "pass") {
        lines.push(`${open}/>`);
        continue;
      }
      const tag = t.status === "error" ? "error" : "failure";
      const message = feedback(t);
      lines.push(`${open}>`, `      <${tag} message="${xml(message.split("\n")[0]!)}" type="${t.status}">${xml(message)}</${tag}>`, "    </testcase>");
    }
    lines.push("  </testsuite>");
  }
  lines.push("</testsuites>");
  return lines.join("\n");
}

export function classroom(report: GradeReport): object {
  const all = sections(report).flatMap((s) => s.tests.map((t) => ({ s, t })));
  return {
    version: 1,
    status: all.length > 0 && all.every(({ t }) => t.status === "pass") ? "pass" : all.length === 0 ? "error" : "fail",
    max_score: round(report.maxScore),
    tests: all.map(({ s, t }) => ({
      name: fullName(s, t),
      status: t.status === "pass" ? "pass" : t.status === "error" ? "error" : "fail",
      score: t.status === "pass" ? t.points : 0,
      message: feedback(t),
      test_code: "",
      filename: t.file,
      line_no: 0,
      duration: t.durationMs ?? 0,
    })),
  };
}

/** The text of a report in a machine format (`text` is rendered elsewhere). */
export function formatReport(report: GradeReport, format: Exclude<Format, "text">, options: FormatOptions = {}): string {
  switch (format) {
    case "json":
      return JSON.stringify(report, null, 2);
    case "exercism":
      return JSON.stringify(exercism(report), null, 2);
    case "gradescope":
      return JSON.stringify(gradescope(report, options), null, 2);
    case "junit":
      return junit(report);
    case "classroom":
      return JSON.stringify(classroom(report), null, 2);
  }
}
