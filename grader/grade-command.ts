/**
 * `kata grade`: one workbook (this one, or a student's copy with `--submission DIR`), or a folder of them
 * (`--submissions DIR`, batch.ts), in any of the formats of formats.ts.
 *
 * The integration suite is graded with the chapters when every chapter is graded (no `--chapters`), or when
 * `--chapters` names `integration`; never when a single chapter is. Bounds can be set for a whole grade:
 * `--timeout` (seconds per test), `--hang` (seconds a test may block the thread), `--memory` (MB per test process);
 * `kata watch` takes the same.
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { gradeBatch, progressLine } from "./batch.ts";
import { loadCurriculum, resolveChapterArg, type Chapter } from "./curriculum.ts";
import { FORMATS, formatReport, VISIBILITIES, type Format, type Visibility } from "./formats.ts";
import { DEFAULT_SETTINGS, gradeSections, type RunSettings } from "./grade.ts";
import { loadIntegration } from "./integration.ts";
import { remember } from "./progress.ts";
import { paint, renderGrade } from "./render.ts";
import { GradeReport, type Mode } from "./report.ts";
import { UsageError } from "./usage.ts";
import { createWorkspace } from "./workspace.ts";

export const GRADE_USAGE =
  "grade [--chapters 01,02,integration] [--reference|--integrated] [--submission DIR | --submissions DIR] " +
  `[--format ${FORMATS.join("|")}] [--visibility ${VISIBILITIES.join("|")}] [--out FILE|DIR] [--jobs N] [--timeout S] [--hang S] [--memory MB]`;

function positive(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${name} wants a positive number, not ${value}`);
  return n;
}

/** The options that bound a run (`kata grade` and `kata watch`), for node:util's parseArgs. */
export const BOUND_OPTIONS = { timeout: { type: "string" }, hang: { type: "string" }, memory: { type: "string" } } as const;

/** The run settings with the bounds given on the command line: `--timeout S`, `--hang S`, `--memory MB`. */
export function boundedSettings(values: { timeout?: string | undefined; hang?: string | undefined; memory?: string | undefined }): RunSettings {
  return {
    ...DEFAULT_SETTINGS,
    ...(values.timeout === undefined ? {} : { testTimeoutMs: Math.round(positive(values.timeout, "--timeout")! * 1000) }),
    ...(values.hang === undefined ? {} : { hardMs: Math.round(positive(values.hang, "--hang")! * 1000) }),
    ...(values.memory === undefined ? {} : { memMb: Math.round(positive(values.memory, "--memory")!) }),
  };
}

export async function gradeCommand(root: string, args: string[], color: boolean): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      chapters: { type: "string" },
      reference: { type: "boolean" },
      integrated: { type: "boolean" },
      submission: { type: "string" },
      submissions: { type: "string" },
      format: { type: "string", default: "text" },
      visibility: { type: "string" },
      out: { type: "string" },
      jobs: { type: "string" },
      ...BOUND_OPTIONS,
    },
  });
  const format = values.format as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`--format is one of ${FORMATS.join(", ")}, not ${values.format}`);
  if (values.visibility !== undefined && !VISIBILITIES.includes(values.visibility as Visibility)) {
    throw new UsageError(`--visibility is one of ${VISIBILITIES.join(", ")}, not ${values.visibility}`);
  }
  if (values.reference === true && values.integrated === true) throw new UsageError("--reference and --integrated exclude each other");
  if (values.submission !== undefined && values.submissions !== undefined) throw new UsageError("--submission and --submissions exclude each other");
  if (values.jobs !== undefined && values.submissions === undefined) throw new UsageError("--jobs grades several submissions at a time: it goes with --submissions");
  const mode: Mode = values.reference === true ? "reference" : values.integrated === true ? "integrated" : "solo";
  const formatOptions = values.visibility === undefined ? {} : { visibility: values.visibility as Visibility };

  const curriculum = loadCurriculum(root);
  const available = curriculum.chapters.filter((c) => c.status === "available");
  let chapters: Chapter[] = available;
  let withIntegration = true;
  if (values.chapters !== undefined) {
    const names = values.chapters.split(",").map((s) => s.trim());
    withIntegration = names.includes("integration");
    chapters = names
      .filter((n) => n !== "integration")
      .map((n) => {
        const chapter = available.find((c) => c.id === resolveChapterArg(n));
        if (chapter === undefined) throw new UsageError(`no chapter "${n}" to grade (see \`npm run kata -- list\`)`);
        return chapter;
      });
  }
  const integration = withIntegration ? loadIntegration(root) : null;
  const settings = boundedSettings(values);
  const coming = curriculum.chapters.filter((c) => c.status === "coming").map((c) => c.id);

  if (values.submissions !== undefined) {
    if (values.out === undefined) throw new UsageError("--submissions needs --out DIR: where the summary and each student's results go");
    const tty = process.stderr.isTTY === true;
    const summary = await gradeBatch({
      root,
      submissions: values.submissions,
      out: values.out,
      chapters,
      integration,
      mode,
      format,
      formatOptions,
      settings,
      ...(values.jobs === undefined ? {} : { jobs: Math.round(positive(values.jobs, "--jobs")!) }),
      coming,
      onDone: (row, done, total) => process.stderr.write((tty ? "\r\u001b[2K" : "") + progressLine(row, done, total) + (tty && done < total ? "" : "\n")),
    });
    const errors = summary.students.filter((s) => s.status === "error").length;
    console.error(
      `kata: graded ${summary.students.length - errors} of ${summary.students.length} submissions in ${Math.round(summary.durationMs / 1000)} s; ` +
        `wrote ${values.out}/summary.csv, summary.json and each student's results`,
    );
    return 0;
  }

  const started = Date.now();
  const workspace = values.submission === undefined ? undefined : createWorkspace(root, values.submission);
  let graded;
  try {
    graded = await gradeSections({ workspace: workspace?.root ?? root, chapters, mode, settings, integration });
  } finally {
    workspace?.dispose();
  }
  if (workspace === undefined && mode === "solo") remember(root, graded.chapters);
  const all = [...graded.chapters, ...(graded.integration === null ? [] : [graded.integration])];
  const report = GradeReport.parse({
    schema: "kata-grade/1",
    mode,
    submission: values.submission ?? null,
    generatedAt: new Date().toISOString(),
    durationMs: Date.now() - started,
    score: all.reduce((s, r) => s + r.score, 0),
    maxScore: all.reduce((s, r) => s + r.maxScore, 0),
    chapters: graded.chapters,
    integration: graded.integration,
    coming,
  });
  const text = format === "text" ? renderGrade(report, paint(values.out === undefined && color)) : formatReport(report, format, formatOptions);
  if (values.out === undefined) console.log(text);
  else {
    writeFileSync(values.out, text + "\n");
    console.error(`kata: wrote ${values.out}: ${report.score} / ${report.maxScore} points`);
  }
  return 0;
}
