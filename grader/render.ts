/**
 * The text views, as pure functions from reports to strings: `kata list`, `kata check`, `kata grade`, the
 * learner's view of `npm start`, and `kata help`. Colour is a parameter, so the same functions serve a terminal,
 * a pipe and a future watch mode.
 */
import type { Chapter, ChapterId } from "./curriculum.ts";
import type { ChapterReport, GradeReport, TestReport } from "./report.ts";

export interface Paint {
  ok(s: string): string;
  bad(s: string): string;
  warn(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const sgr = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;
export function paint(color: boolean): Paint {
  if (!color) return { ok: (s) => s, bad: (s) => s, warn: (s) => s, dim: (s) => s, bold: (s) => s };
  return { ok: sgr(32, 39), bad: sgr(31, 39), warn: sgr(33, 39), dim: sgr(2, 22), bold: sgr(1, 22) };
}

/** A chapter's line in `kata list` and `npm start`. */
export interface ChapterRow {
  id: ChapterId;
  title: string;
  /** "coming" when the chapter is not written yet; otherwise its status in solo mode */
  status: "coming" | ChapterReport["status"];
  passed: number;
  total: number;
}

export function chapterRow(chapter: Chapter, report: ChapterReport | undefined): ChapterRow {
  if (chapter.status === "coming" || report === undefined) {
    return { id: chapter.id, title: chapter.title, status: "coming", passed: 0, total: 0 };
  }
  return { id: chapter.id, title: chapter.title, status: report.status, passed: report.passed, total: report.total };
}

export function statusText(row: Pick<ChapterRow, "status" | "passed" | "total">): string {
  switch (row.status) {
    case "coming":
      return "coming";
    case "no-tests":
      return "no tests yet";
    case "not-started":
      return "not started";
    case "done":
      return "done";
    case "in-progress":
      return `${row.passed} of ${row.total} tests`;
  }
}

function paintStatus(row: ChapterRow, p: Paint): string {
  const text = statusText(row);
  switch (row.status) {
    case "done":
      return p.ok(text);
    case "in-progress":
      return p.warn(text);
    case "coming":
    case "no-tests":
      return p.dim(text);
    case "not-started":
      return text;
  }
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + " ".repeat(n - s.length));

export function renderList(rows: readonly ChapterRow[], p: Paint = paint(false), mark?: ChapterId): string {
  const width = Math.max(...rows.map((r) => r.title.length), 10) + 2;
  return rows
    .map((r) => {
      const lead = r.id === mark ? "▶ " : r.status === "done" ? p.ok("✓ ") : "  ";
      const line = `${lead}${r.id.slice(0, 2)}  ${pad(r.title, width)}${paintStatus(r, p)}`;
      return r.status === "coming" ? p.dim(line) : line;
    })
    .join("\n");
}

/** A test's name without its "Task N: title > " prefix. */
export function shortName(test: Pick<TestReport, "name">): string {
  const i = test.name.indexOf(" > ");
  return /^Task \d+:/.test(test.name) && i >= 0 ? test.name.slice(i + 3) : test.name;
}

function mark(test: TestReport, p: Paint): string {
  switch (test.status) {
    case "pass":
      return p.ok("✓");
    case "fail":
      return p.bad("✗");
    case "timeout":
      return p.bad("⧗");
    case "error":
      return p.bad("!");
  }
}

const indent = (text: string, by: string) =>
  text
    .split("\n")
    .map((l) => by + l)
    .join("\n");

/** `kata check`: per task, each test's mark; the first failing test's message. */
export function renderCheck(report: ChapterReport, p: Paint = paint(false)): string {
  const head = `${p.bold(`Chapter ${report.id.slice(0, 2)}: ${report.title}`)} ${p.dim(`(${report.mode})`)}: ${statusText(report)}`;
  if (report.total === 0) return `${head}\nThis chapter has no hidden tests yet.`;
  const first = report.tests.find((t) => t.status !== "pass");
  const lines = [head];
  for (const task of report.tasks) {
    const score = task.passed === task.total ? p.ok(`${task.passed}/${task.total}`) : `${task.passed}/${task.total}`;
    lines.push(`  Task ${task.task}: ${task.title}  ${score}`);
    for (const test of report.tests.filter((t) => t.task === task.task)) {
      const label = test.status === "timeout" || test.status === "error" ? p.dim(` (${test.status})`) : "";
      lines.push(`    ${mark(test, p)} ${shortName(test)}${label}`);
      if (test === first && test.message !== undefined) lines.push(p.bad(indent(test.message, "        ")));
    }
  }
  return lines.join("\n");
}

/** `kata grade --format text`: the total, each chapter's score, and each unfinished chapter's first failure. */
export function renderGrade(report: GradeReport, p: Paint = paint(false)): string {
  const what = report.submission === null ? "this workbook" : report.submission;
  const lines = [p.bold(`Grade of ${what} (${report.mode}): ${fmt(report.score)} / ${fmt(report.maxScore)} points`)];
  const width = Math.max(...report.chapters.map((c) => c.id.length), 10) + 2;
  for (const c of report.chapters) {
    const row = { status: c.status, passed: c.passed, total: c.total };
    lines.push(`  ${pad(c.id, width)}${pad(`${fmt(c.score)}/${fmt(c.maxScore)}`, 9)}${statusText(row)}`);
    const first = c.tests.find((t) => t.status !== "pass");
    if (first !== undefined && c.status !== "not-started") {
      lines.push(p.dim(`      first failure: Task ${first.task}, ${shortName(first)} (${first.status})`));
      if (first.message !== undefined) lines.push(p.dim(indent(first.message.split("\n")[0]!, "        ")));
    }
  }
  if (report.coming.length > 0) lines.push(p.dim(`  coming: ${report.coming.join(", ")}`));
  return lines.join("\n");
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));

/** What the learner should do next: the first unfinished chapter, its first unfinished task and failure. */
export interface NextStep {
  id: ChapterId;
  title: string;
  task?: { number: number; title: string };
  failing?: { name: string; message?: string };
}

export interface StartView {
  rows: ChapterRow[];
  next?: NextStep;
}

export function startView(chapters: readonly Chapter[], reports: ReadonlyMap<ChapterId, ChapterReport>): StartView {
  const rows = chapters.map((c) => chapterRow(c, reports.get(c.id)));
  const report = chapters.map((c) => reports.get(c.id)).find((r) => r !== undefined && (r.status === "not-started" || r.status === "in-progress"));
  if (report === undefined) return { rows };
  const test = report.tests.find((t) => t.status !== "pass");
  const task = test === undefined ? undefined : report.tasks.find((t) => t.task === test.task);
  return {
    rows,
    next: {
      id: report.id,
      title: report.title,
      ...(task === undefined ? {} : { task: { number: task.task, title: task.title } }),
      ...(test === undefined ? {} : { failing: { name: shortName(test), ...(test.message === undefined ? {} : { message: test.message }) } }),
    },
  };
}

export function renderStart(view: StartView, p: Paint = paint(false)): string {
  const available = view.rows.filter((r) => r.status !== "coming");
  const done = available.filter((r) => r.status === "done").length;
  const coming = view.rows.length - available.length;
  const lines = [
    p.bold("Tokio workbook: build an async runtime, chapter by chapter"),
    `${done} of ${available.length} chapters done${coming > 0 ? p.dim(` (${coming} more coming)`) : ""}`,
    "",
    renderList(view.rows, p, view.next?.id),
    "",
  ];
  const next = view.next;
  if (next === undefined) {
    lines.push(available.length === 0 ? "No chapter is available yet." : p.ok("Every available chapter is done. Well done!"));
    return lines.join("\n");
  }
  const n = next.id.slice(0, 2);
  lines.push(p.bold(`Next: chapter ${n}, ${next.title}${next.task === undefined ? "" : `, task ${next.task.number}: ${next.task.title}`}`));
  if (next.failing !== undefined) {
    lines.push(`  failing: ${next.failing.name}`);
    if (next.failing.message !== undefined) lines.push(p.bad(indent(next.failing.message, "    ")));
  }
  lines.push(
    `  read   chapters/${next.id}/README.md${next.task === undefined ? "" : ` (Task ${next.task.number})`}`,
    `  edit   chapters/${next.id}/`,
    `  check  npm run kata -- check ${n}`,
    `  hint   npm run kata -- hint ${n}${next.task === undefined ? "" : ` ${next.task.number}`}`,
  );
  return lines.join("\n");
}

export interface CommandHelp {
  usage: string;
  summary: string;
}

export function renderHelp(commands: readonly CommandHelp[]): string {
  return [
    "kata: the workbook's grader. Run it as `npm run kata -- <command>` (or `npm start` for your progress).",
    "",
    ...commands.map((c) => `  ${c.usage}\n      ${c.summary}`),
  ].join("\n");
}
