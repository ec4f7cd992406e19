/**
 * `kata grade --submissions DIR`: every subfolder of DIR is one student's copy of the workbook, graded like
 * `--submission` (only its `chapters/`, with this repository's hidden suites), several at a time within the
 * machine's cores. One submission's trouble (no chapters/, a run that cannot start) is a row of the summary,
 * never the end of the batch.
 *
 * Written to the output directory: `summary.csv` and `summary.json` (one row per student: the total, each
 * section's score, the time it took, the error if any) and `<student>.<ext>` for each student in the chosen
 * format.
 */
import { readdirSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { z } from "zod";
import type { Chapter } from "./curriculum.ts";
import { formatReport, sections, type Format, type FormatOptions } from "./formats.ts";
import { DEFAULT_SETTINGS, gradeSections, pool, type RunSettings } from "./grade.ts";
import type { IntegrationSuite } from "./integration.ts";
import { renderGrade } from "./render.ts";
import { GradeReport, SectionId, type Mode } from "./report.ts";
import { makeOutputDir, UsageError } from "./usage.ts";
import { createWorkspace } from "./workspace.ts";

export const SummaryRow = z.strictObject({
  /** the subfolder's name */
  student: z.string(),
  status: z.enum(["graded", "error"]),
  score: z.number().nonnegative(),
  maxScore: z.number().nonnegative(),
  /** score per section (chapter id, or "integration") */
  sections: z.record(z.string(), z.number().nonnegative()),
  durationMs: z.int().nonnegative(),
  /** why the submission could not be graded */
  error: z.string().optional(),
  /** the student's results file, relative to the output directory */
  results: z.string().optional(),
});
export type SummaryRow = z.infer<typeof SummaryRow>;

export const BatchSummary = z.strictObject({
  schema: z.literal("kata-batch/1"),
  mode: z.enum(["solo", "integrated", "reference"]),
  generatedAt: z.iso.datetime(),
  durationMs: z.int().nonnegative(),
  /** the sections graded, in column order */
  sections: z.array(SectionId),
  maxScore: z.number().nonnegative(),
  students: z.array(SummaryRow),
});
export type BatchSummary = z.infer<typeof BatchSummary>;

export interface BatchInput {
  root: string;
  submissions: string;
  out: string;
  chapters: readonly Chapter[];
  integration: IntegrationSuite | null;
  mode: Mode;
  format: Format;
  formatOptions: FormatOptions;
  settings?: RunSettings;
  /** submissions graded at a time (default: the machine's cores) */
  jobs?: number;
  /** called after each submission, for the progress bar */
  onDone?: (row: SummaryRow, done: number, total: number) => void;
  coming: readonly string[];
}

const EXTENSIONS: Record<Format, string> = { text: "txt", json: "json", exercism: "json", gradescope: "json", junit: "xml", classroom: "json" };

/** The students' folders: every subfolder of DIR, sorted by name (hidden ones and the output directory skipped). */
export function studentFolders(dir: string, out: string): string[] {
  return readdirSync(dir)
    .filter((name) => !name.startsWith(".") && statSync(join(dir, name)).isDirectory() && resolve(dir, name) !== resolve(out))
    .sort();
}

function csvCell(v: string | number): string {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function summaryCsv(summary: BatchSummary): string {
  const header = ["student", "status", "score", "max_score", "percent", ...summary.sections, "seconds", "error"];
  const rows = summary.students.map((r) => [
    r.student,
    r.status,
    r.score,
    r.maxScore,
    r.maxScore === 0 ? 0 : Math.round((r.score / r.maxScore) * 1000) / 10,
    ...summary.sections.map((s) => r.sections[s] ?? 0),
    Math.round(r.durationMs / 100) / 10,
    r.error ?? "",
  ]);
  return [header, ...rows].map((row) => row.map(csvCell).join(",")).join("\n") + "\n";
}

export async function gradeBatch(input: BatchInput): Promise<BatchSummary> {
  const started = Date.now();
  const students = studentFolders(input.submissions, input.out);
  if (students.length === 0) throw new UsageError(`${input.submissions} holds no submissions: one folder per student is expected`);
  makeOutputDir(input.out);
  const jobs = Math.max(1, input.jobs ?? availableParallelism());
  // one fork per submission when several are graded at once: the cores are shared between the submissions
  const settings = { ...(input.settings ?? DEFAULT_SETTINGS), ...(jobs > 1 ? { maxWorkers: 1 } : {}) };
  const sectionIds: SectionId[] = [...input.chapters.map((c) => c.id), ...(input.integration === null ? [] : ["integration" as const])];
  let done = 0;
  const rows = await pool(students, jobs, async (student): Promise<SummaryRow> => {
    const t0 = Date.now();
    let row: SummaryRow;
    try {
      const workspace = createWorkspace(input.root, join(input.submissions, student));
      let graded;
      try {
        graded = await gradeSections({ workspace: workspace.root, chapters: input.chapters, mode: input.mode, settings, integration: input.integration });
      } finally {
        workspace.dispose();
      }
      const all = [...graded.chapters, ...(graded.integration === null ? [] : [graded.integration])];
      const report = GradeReport.parse({
        schema: "kata-grade/1",
        mode: input.mode,
        submission: student,
        generatedAt: new Date().toISOString(),
        durationMs: Date.now() - t0,
        score: all.reduce((s, r) => s + r.score, 0),
        maxScore: all.reduce((s, r) => s + r.maxScore, 0),
        chapters: graded.chapters,
        integration: graded.integration,
        coming: input.coming,
      });
      const file = `${student}.${EXTENSIONS[input.format]}`;
      const text = input.format === "text" ? renderGrade(report) : formatReport(report, input.format, input.formatOptions);
      writeFileSync(join(input.out, file), text + "\n");
      row = {
        student,
        status: "graded",
        score: report.score,
        maxScore: report.maxScore,
        sections: Object.fromEntries(sections(report).map((s) => [s.id, s.score])),
        durationMs: Date.now() - t0,
        results: file,
      };
    } catch (e) {
      row = { student, status: "error", score: 0, maxScore: 0, sections: {}, durationMs: Date.now() - t0, error: e instanceof Error ? e.message : String(e) };
    }
    input.onDone?.(row, ++done, students.length);
    return row;
  });
  const summary = BatchSummary.parse({
    schema: "kata-batch/1",
    mode: input.mode,
    generatedAt: new Date().toISOString(),
    durationMs: Date.now() - started,
    sections: sectionIds,
    maxScore: Math.max(0, ...rows.map((r) => r.maxScore)),
    students: rows,
  });
  writeFileSync(join(input.out, "summary.json"), JSON.stringify(summary, null, 2) + "\n");
  writeFileSync(join(input.out, "summary.csv"), summaryCsv(summary));
  return summary;
}

/** One line of the progress bar: `[#####.....] 5/10  ada 312/861 (41 s)`. */
export function progressLine(row: SummaryRow, done: number, total: number, width = 24): string {
  const filled = Math.round((done / Math.max(1, total)) * width);
  const what = row.status === "error" ? `error: ${row.error?.split("\n")[0]}` : `${row.score}/${row.maxScore}`;
  return `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total}  ${row.student} ${what} (${Math.round(row.durationMs / 1000)} s)`;
}
