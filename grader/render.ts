/**
 * The text views, as pure functions from reports to strings: `kata list`, `kata check`, `kata grade`, the
 * learner's view of `kata start`, the screens of watch mode (`npm start`: a chapter, the list, the finish), and
 * `kata help`. Colour is a parameter, so the same functions serve a terminal and a pipe.
 */
import type { Chapter, ChapterId } from "./curriculum.ts";
import { otherChapterIn } from "./messages.ts";
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
  /** "coming" when the chapter is not written yet; "unchecked" when watch mode has no report of it yet; otherwise its status in solo mode */
  status: "coming" | "unchecked" | ChapterReport["status"];
  passed: number;
  total: number;
  /** For a chapter none of whose tests got past another chapter's stubs: that chapter (`waitsOn`). Whether its own code is done cannot be told. */
  waitsOn?: string | undefined;
}

/**
 * The other chapter whose stubs stopped every test of a chapter not started ("03-waker"), if there is one. In the
 * student bundle no reference stands in for the chapters a chapter uses, so its examples wait for those.
 */
export function waitsOn(report: Pick<ChapterReport, "status" | "tests">): string | undefined {
  if (report.status !== "not-started") return undefined;
  const others = report.tests.map((t) => otherChapterIn(t.message ?? ""));
  return others.every((c) => c !== undefined) ? others[0] : undefined;
}

export function chapterRow(chapter: Chapter, report: ChapterReport | undefined): ChapterRow {
  if (chapter.status === "coming" || report === undefined) {
    return { id: chapter.id, title: chapter.title, status: "coming", passed: 0, total: 0 };
  }
  return { id: chapter.id, title: chapter.title, status: report.status, passed: report.passed, total: report.total, waitsOn: waitsOn(report) };
}

export function statusText(row: Pick<ChapterRow, "status" | "passed" | "total" | "waitsOn">): string {
  switch (row.status) {
    case "coming":
      return "coming";
    case "unchecked":
      return "not checked yet (c checks every chapter)";
    case "no-tests":
      return "no tests yet";
    case "not-started":
      return row.waitsOn === undefined ? "not started" : `waits on chapters/${row.waitsOn} (no test of it can run before that one)`;
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
    case "unchecked":
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

/**
 * `kata check`: per task, each test's mark; the first failing test's message. When that failure is a timeout or an
 * error, which says little about what the code did, the message of the first failed assertion is shown too.
 */
export function renderCheck(report: ChapterReport, p: Paint = paint(false)): string {
  const head = `${p.bold(`Chapter ${report.id.slice(0, 2)}: ${report.title}`)} ${p.dim(`(${report.mode})`)}: ${statusText({ ...report, waitsOn: waitsOn(report) })}`;
  if (report.total === 0) return `${head}\nThis chapter has no hidden tests yet.`;
  const first = report.tests.find((t) => t.status !== "pass");
  const firstAssertion = first?.status === "fail" ? undefined : report.tests.find((t) => t.status === "fail");
  const lines = [head];
  for (const task of report.tasks) {
    const score = task.passed === task.total ? p.ok(`${task.passed}/${task.total}`) : `${task.passed}/${task.total}`;
    lines.push(`  Task ${task.task}: ${task.title}  ${score}`);
    for (const test of report.tests.filter((t) => t.task === task.task)) {
      const label = test.status === "timeout" || test.status === "error" ? p.dim(` (${test.status})`) : "";
      lines.push(`    ${mark(test, p)} ${shortName(test)}${label}`);
      if ((test === first || test === firstAssertion) && test.message !== undefined) {
        lines.push(p.bad(indent(test.message, "        ")));
      }
    }
  }
  return lines.join("\n");
}

/** `kata grade --format text`: the total, each chapter's score, and each unfinished chapter's first failure. */
export function renderGrade(report: GradeReport, p: Paint = paint(false)): string {
  const what = report.submission === null ? "this workbook" : report.submission;
  const lines = [p.bold(`Grade of ${what} (${report.mode}): ${fmt(report.score)} / ${fmt(report.maxScore)} points`)];
  const all = report.integration === null ? report.chapters : [...report.chapters, report.integration];
  const width = Math.max(...all.map((c) => c.id.length), 10) + 2;
  for (const c of all) {
    lines.push(`  ${pad(c.id, width)}${pad(`${fmt(c.score)}/${fmt(c.maxScore)}`, 9)}${statusText({ ...c, waitsOn: waitsOn(c) })}`);
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
    "kata: the workbook's grader. Run it as `npm run kata -- <command>`; `npm start` opens watch mode.",
    "",
    ...commands.map((c) => `  ${c.usage}\n      ${c.summary}`),
  ].join("\n");
}

// ---------------------------------------------------------------------------------------------------------------
// Watch mode (`npm start`, `kata watch`): what one screen shows is a plain `WatchView`; these functions draw it.

/** A bar of `width` cells, `fraction` of them filled. */
export function progressBar(fraction: number, width: number, p: Paint = paint(false)): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return p.ok("█".repeat(filled)) + p.dim("░".repeat(width - filled));
}

/** The task a learner should work on: the task of the first test that does not pass (undefined when all pass). */
export function focusTask(report: ChapterReport): number | undefined {
  return report.tests.find((t) => t.status !== "pass")?.task;
}

export interface WatchView {
  chapter: { id: ChapterId; title: string; tasks: readonly string[] };
  /** the chapter's last report; undefined before its first check */
  report?: ChapterReport;
  /** a check is under way, for so long */
  checking?: { seconds: number };
  /** how long the last check took, from the save (or the key) to its result on screen */
  lastCheckMs?: number;
  /** chapters whose hidden suite passes, of all chapters */
  done: number;
  chapters: number;
  /** the hints revealed so far for the task in focus */
  hints?: { task: number; shown: readonly string[]; total: number };
  /** the lesson's text of the task in focus (its `## Task N` section of README.md, as written) */
  lesson?: { task: number; lines: readonly string[] };
  /** a student's bundle: the chapter is checked on its public examples, not on the lesson's tasks */
  examples?: boolean;
  /** a one-line notice: a refused `n`, a watcher problem, an error of the grader */
  notice?: string;
  /** no file watching: `r` checks */
  manualRun: boolean;
  /** the terminal's width */
  columns: number;
  /** the terminal's height: a screen that would not fit drops the lesson's text, then lists fewer tests */
  rows?: number;
}

const KEYS = "h hint · r re-run · l list · c check all · n next chapter · q quit";
/** Lines of one task's tests shown at most, and of a failure's message. */
const MAX_TEST_LINES = 8;
const MAX_MESSAGE_LINES = 6;

/** Words of `text` (its own line breaks kept) in lines of at most `width` characters. */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of paragraph.trim().split(/\s+/)) {
      if (line !== "" && line.length + 1 + word.length > width) {
        out.push(line);
        line = word;
      } else line = line === "" ? word : `${line} ${word}`;
    }
    out.push(line);
  }
  return out;
}

/** Lines of a lesson's task shown at most. */
const MAX_LESSON_LINES = 6;

/**
 * The start of a task's text: its paragraphs and list items joined and wrapped to `width` (code blocks as they are),
 * cut at MAX_LESSON_LINES.
 */
export function lessonExcerpt(body: readonly string[], width: number): { lines: string[]; cut: boolean } {
  const blocks: { indent: string; text: string; code: boolean }[] = [];
  let fenced = false;
  let open = false;
  for (const line of body) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    if (fenced || /^\s*```/.test(line)) {
      blocks.push({ indent: "", text: line, code: true });
      open = false;
    } else if (line.trim() === "") open = false;
    else if (open && !/^\s*([-*]|\d+\.)\s/.test(line)) blocks.at(-1)!.text += ` ${line.trim()}`;
    else {
      blocks.push({ indent: /^\s*/.exec(line)![0], text: line.trim(), code: false });
      open = true;
    }
  }
  const out: string[] = [];
  let used = 0;
  for (const b of blocks) {
    if (out.length >= MAX_LESSON_LINES) break;
    const bullet = /^([-*]|\d+\.)\s/.exec(b.text)?.[0] ?? "";
    const wrapped = b.code ? [b.text] : wrap(b.text, Math.max(20, width - b.indent.length - bullet.length));
    out.push(...wrapped.map((l, i) => `${b.indent}${i === 0 ? "" : " ".repeat(bullet.length)}${l}`));
    used++;
  }
  return { lines: out.slice(0, MAX_LESSON_LINES), cut: out.length > MAX_LESSON_LINES || used < blocks.length };
}

const clip = (line: string, columns: number) => (line.length > columns ? line.slice(0, Math.max(1, columns - 1)) + "…" : line);

function headLines(view: Pick<WatchView, "done" | "chapters" | "columns">, p: Paint): string[] {
  const barWidth = Math.max(10, Math.min(30, view.columns - 50));
  return [`${p.bold("Tokio workbook")}  ${progressBar(view.done / view.chapters, barWidth, p)}  ${view.done} of ${view.chapters} chapters done`];
}

/**
 * The screen of one chapter: progress, each task's score, the task in focus with its tests and first failure, the
 * start of its lesson, what to try, the hints revealed, the keys. Fitted to `rows` when given.
 */
export function renderWatch(view: WatchView, p: Paint = paint(false)): string {
  const text = drawWatch(view, p, MAX_TEST_LINES);
  const fits = (t: string) => view.rows === undefined || t.split("\n").length <= view.rows;
  if (fits(text)) return text;
  const { lesson: _, ...shorter } = view;
  const withoutLesson = drawWatch(shorter, p, MAX_TEST_LINES);
  return fits(withoutLesson) ? withoutLesson : drawWatch(shorter, p, 3);
}

function drawWatch(view: WatchView, p: Paint, maxTestLines: number): string {
  const { chapter, report } = view;
  const n = chapter.id.slice(0, 2);
  const dir = `chapters/${chapter.id}/`;
  const lines = headLines(view, p);
  const testsBar = report === undefined || report.total === 0 ? "" : `  ${progressBar(report.passed / report.total, 14, p)}  ${report.passed} of ${report.total} tests`;
  lines.push(p.bold(`Chapter ${n}: ${chapter.title}`) + testsBar, "");

  const focus = report === undefined ? undefined : focusTask(report);
  if (report === undefined) {
    lines.push(p.dim("  not checked yet"));
  } else if (report.total === 0) {
    lines.push("  This chapter has no hidden tests yet.");
  } else {
    const first = report.tests.find((t) => t.status !== "pass");
    for (const task of report.tasks) {
      const complete = task.total > 0 && task.passed === task.total;
      const lead = complete ? p.ok("✓") : task.task === focus ? "▶" : " ";
      const score = complete ? p.ok(`${task.passed}/${task.total}`) : `${task.passed}/${task.total}`;
      const width = Math.max(20, Math.min(52, view.columns - 14));
      lines.push(`  ${lead} ${clip(`Task ${task.task}: ${task.title}`, width).padEnd(width)}  ${score}`);
      if (task.task !== focus) continue;
      const tests = report.tests.filter((t) => t.task === task.task);
      const shown = tests.slice(0, maxTestLines);
      for (const test of shown) {
        const label = test.status === "timeout" || test.status === "error" ? ` (${test.status})` : "";
        // Clipped before painting: a cut must never fall inside a colour's escape sequence.
        lines.push(`      ${mark(test, p)} ${clip(shortName(test), view.columns - 8 - label.length)}${p.dim(label)}`);
        if (test === first && test.message !== undefined) {
          const message = test.message.split("\n");
          const cut = message.length > MAX_MESSAGE_LINES ? [...message.slice(0, MAX_MESSAGE_LINES), "…"] : message;
          for (const l of cut) lines.push(p.bad(clip(`          ${l}`, view.columns)));
        }
      }
      if (tests.length > shown.length) lines.push(p.dim(`      … ${tests.length - shown.length} more`));
    }
  }
  lines.push("");

  if (report !== undefined && report.status === "done") {
    lines.push(p.ok(`Chapter ${n} passes: all ${report.total} tests.`) + (view.done === view.chapters ? "" : " Press n for the next chapter."));
    lines.push(p.dim(`  compare with the reference: npm run kata -- solution ${n}`));
  } else if (report !== undefined && focus !== undefined) {
    const first = report.tests.find((t) => t.status !== "pass")!;
    const task = report.tasks.find((t) => t.task === focus)!;
    const item = first.notImplemented ? first.message?.replace(/^not implemented yet: /, "") : undefined;
    if (view.examples === true) {
      lines.push(p.bold("Next: make the public examples pass"));
      lines.push(`  read  ${dir}README.md (the tasks, in order)`);
      lines.push(`  run   ${dir}*.example.test.ts: the examples checked here`);
      lines.push(`  edit  ${dir}${item === undefined ? "" : ` (${item} is still a stub)`}`);
      lines.push(p.dim("  (your instructor grades the hidden tests of each task)"));
    } else lines.push(p.bold(`Next: Task ${focus}, ${task.title}`));
    if (view.examples !== true && view.lesson?.task === focus) {
      const text = lessonExcerpt(view.lesson.lines, view.columns - 4);
      for (const l of text.lines) lines.push(`  ${l}`);
      if (text.cut) lines.push(p.dim("  …"));
    }
    if (view.examples !== true) {
      lines.push(`  read  ${dir}README.md, "## Task ${focus}"${view.lesson?.task === focus ? " (the whole task)" : ""}`);
      lines.push(`  edit  ${dir}${item === undefined ? "" : ` (${item} is still a stub)`}`);
    }
    const hints = view.hints?.task === focus ? view.hints : undefined;
    if (hints === undefined || hints.shown.length < hints.total) {
      lines.push(`  h     reveals a hint${hints === undefined ? "" : ` (${hints.shown.length} of ${hints.total} shown)`}`);
    }
  }

  if (view.hints !== undefined && view.hints.shown.length > 0 && view.hints.task === focus) {
    lines.push("");
    view.hints.shown.forEach((h, i) => {
      const label = `Hint ${i + 1} of ${view.hints!.total}: `;
      // A hint's own line breaks are the source's; a list or code inside it keeps its lines.
      const text = h.replace(/\n(?!\s*([-*]|\d+\.)\s|\s*```)/g, " ");
      const [head, ...rest] = wrap(text, Math.max(30, view.columns - label.length));
      lines.push(p.warn(label) + head, ...rest.map((l) => " ".repeat(label.length) + l));
    });
  }

  lines.push("");
  if (view.notice !== undefined) lines.push(p.warn(view.notice));
  const status =
    view.checking !== undefined
      ? `checking… ${view.checking.seconds.toFixed(1)} s`
      : view.lastCheckMs === undefined
        ? ""
        : `checked in ${(view.lastCheckMs / 1000).toFixed(2)} s`;
  const how = view.manualRun ? "press r after saving to check again" : `watching ${dir} (save a file to check again)`;
  lines.push(p.dim([status, how].filter((x) => x !== "").join("; ")));
  lines.push(p.dim(KEYS));
  return lines.join("\n");
}

/** The list screen (`l`): every chapter's status, the one watched marked. */
export function renderWatchList(rows: readonly ChapterRow[], view: Pick<WatchView, "done" | "chapters" | "columns"> & { current?: ChapterId; checking?: { seconds: number } }, p: Paint = paint(false)): string {
  return [
    ...headLines(view, p),
    "",
    renderList(rows, p, view.current),
    "",
    p.dim(view.checking === undefined ? "l back · c check all · q quit" : `checking every chapter… ${view.checking.seconds.toFixed(0)} s`),
  ].join("\n");
}

/** The integrated check of the finish: the integration suite on the learner's whole runtime, per app. */
export interface IntegratedCheck {
  /** still running, for so long */
  checking?: { seconds: number };
  files: { name: string; passed: number; total: number; message?: string }[];
}

/** The finish: every chapter passes. */
export function renderFinish(view: Pick<WatchView, "done" | "chapters" | "columns">, integrated: IntegratedCheck | undefined, p: Paint = paint(false)): string {
  const lines = [
    ...headLines(view, p),
    "",
    p.ok(p.bold("  Every chapter passes. You have built an async runtime:")),
    p.ok("  futures and wakers, tasks, two schedulers with work stealing, a reactor, a timer wheel,"),
    p.ok("  blocking pools, channels, select and cancellation, and a mini-redis that real clients talk to."),
    "",
    p.bold("Your chapters together (integrated mode): the integration suite on your runtime"),
  ];
  if (integrated === undefined || (integrated.checking !== undefined && integrated.files.length === 0)) {
    lines.push(p.dim(`  running… ${integrated?.checking?.seconds.toFixed(0) ?? 0} s`));
  } else {
    for (const f of integrated.files) {
      const ok = f.total > 0 && f.passed === f.total;
      lines.push(`  ${ok ? p.ok("✓") : p.bad("✗")} ${f.name.padEnd(14)} ${f.passed}/${f.total}`);
      if (!ok && f.message !== undefined) lines.push(p.bad(clip(`      ${f.message.split("\n")[0]}`, view.columns)));
    }
  }
  lines.push(
    "",
    "  try it:   npm run kata -- run mini-redis      (then redis-cli -p 6379, in another terminal)",
    "  grade:    npm run kata -- grade --integrated",
    "  look:     npm run kata -- trace spawn-burst   (a timeline of your scheduler)",
    "",
    p.dim("l list · c check all · q quit"),
  );
  return lines.join("\n");
}
