/**
 * Watch mode (`npm start`, `kata watch [chapter] [--manual-run]`): the learner's loop.
 *
 * It opens on the chapter the learner was on (`current` in `.kata/progress.json`) while that chapter does not
 * pass, else on the first chapter not yet done; checks it at once and again on every save under its directory
 * (debounced), on the warm vitest host of `checker.ts`; and draws each state with the pure functions of
 * `render.ts`. Keys: `h` one more hint of the task in focus, `r` check again, `l` the list, `c` check every
 * chapter (a grading run), `n` the next chapter once this one passes, `q` quit. When the last chapter passes, the
 * finish screen runs the integration suite on the learner's own runtime (integrated mode).
 *
 * With `--manual-run` (or `KATA_MANUAL_RUN=1`) nothing is watched and `r` checks: for file systems whose change
 * events do not arrive (WSL on a Windows drive, some containers and network mounts). Without a terminal it checks
 * the chapter once, prints the screen and exits.
 *
 * Invariants: one check at a time per screen; a save during a check queues exactly one more; the screen is redrawn
 * from state only (`render`), never patched.
 */
import { existsSync, readdirSync, readFileSync, watch as watchFiles, type FSWatcher } from "node:fs";
import { join } from "node:path";
import { isStudentBundle, loadCurriculum, type Chapter, type ChapterId } from "../curriculum.ts";
import { DEFAULT_SETTINGS, deadlineFor, gradeChapters, runSuites, type RunSettings } from "../grade.ts";
import { parseHints, taskSections } from "../lesson.ts";
import { cachedReports, chapterKey, hintsShown, loadProgress, remember, revealHint, updateProgress } from "../progress.ts";
import { chapterRow, focusTask, paint, renderFinish, renderWatch, renderWatchList, type ChapterRow, type IntegratedCheck, type WatchView } from "../render.ts";
import type { ChapterReport } from "../report.ts";
import { judge, runProblem } from "../run/verdicts.ts";
import { WarmChecker } from "./checker.ts";

export interface WatchOptions {
  root: string;
  /** open this chapter instead of the one the learner was on */
  chapter?: ChapterId;
  manualRun: boolean;
  /** the bounds of every check (`--timeout`, `--hang`, `--memory`); the defaults otherwise */
  settings?: RunSettings;
}

/** Changes closer together than this are one save (editors write a file in several steps). */
const DEBOUNCE_MS = 80;
const TICK_MS = 200;

const ALT_SCREEN_ON = "\u001b[?1049h\u001b[?25l";
const ALT_SCREEN_OFF = "\u001b[?25h\u001b[?1049l";
const CLEAR = "\u001b[H\u001b[2J";

/** The chapter to open: the one asked for, else the one the learner was on while it fails, else the first not done. */
export function chapterToOpen(chapters: readonly Chapter[], known: ReadonlyMap<ChapterId, ChapterReport>, current: ChapterId | undefined): Chapter | undefined {
  const available = chapters.filter((c) => c.status === "available");
  const notDone = (c: Chapter) => known.get(c.id)?.status !== "done";
  const resumed = available.find((c) => c.id === current);
  if (resumed !== undefined && notDone(resumed)) return resumed;
  return available.find(notDone);
}

/** The chapter `n` moves to: the next one not done after `from`, wrapping round; undefined when all are done. */
export function nextChapter(chapters: readonly Chapter[], known: ReadonlyMap<ChapterId, ChapterReport>, from: ChapterId): Chapter | undefined {
  const available = chapters.filter((c) => c.status === "available");
  const i = available.findIndex((c) => c.id === from);
  const order = [...available.slice(i + 1), ...available.slice(0, i + 1)];
  return order.find((c) => known.get(c.id)?.status !== "done");
}

function hintsOf(root: string, chapter: Chapter): Map<number, { title: string; hints: string[] }> {
  const path = join(root, "chapters", chapter.id, "HINTS.md");
  return existsSync(path) ? parseHints(readFileSync(path, "utf8")) : new Map();
}

/** The body of each `## Task N` section of the chapter's lesson (none in a student's bundle, checked on its examples). */
function lessonOf(root: string, chapter: Chapter): Map<number, string[]> {
  const path = join(root, "chapters", chapter.id, "README.md");
  if (isStudentBundle(root) || !existsSync(path)) return new Map();
  return new Map(taskSections(readFileSync(path, "utf8")).map((s) => [s.number, s.body]));
}

/** The integration suite on the learner's chapters together: per file, the tests that pass. */
export async function integratedCheck(root: string, settings: RunSettings = DEFAULT_SETTINGS): Promise<IntegratedCheck> {
  const dir = join(root, "tests", "integration");
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".test.ts")).sort().map((f) => `tests/integration/${f}`) : [];
  if (files.length === 0) return { files: [] };
  const deadlineMs = deadlineFor(files.length * 8, settings);
  const outcome = await runSuites(root, [{ mode: "integrated", files }], settings, deadlineMs);
  // The expected tests are the ones the run reported (there is no manifest): enough for a celebration, not a grade.
  const reported = outcome.results.flatMap((r) => (r.type === "test" && !r.name.startsWith("kata canary") ? [{ file: r.file, name: r.name, task: 1, points: 1 }] : []));
  const expected = reported.length > 0 || runProblem(outcome, deadlineMs) === undefined ? reported : files.map((file) => ({ file, name: file, task: 1, points: 1 }));
  const tests = judge({ outcome, project: "integrated", expected, root, deadlineMs, hardMs: settings.hardMs });
  return {
    files: files.map((file) => {
      const mine = tests.filter((t) => t.file === file);
      const failing = mine.find((t) => t.status !== "pass");
      const name = file.replace(/^tests\/integration\//, "").replace(/\.test\.ts$/, "");
      return { name, passed: mine.filter((t) => t.status === "pass").length, total: mine.length, ...(failing?.message === undefined ? {} : { message: failing.message }) };
    }),
  };
}

export async function watch(options: WatchOptions): Promise<number> {
  const { root } = options;
  const settings = options.settings ?? DEFAULT_SETTINGS;
  const curriculum = loadCurriculum(root);
  const chapters = curriculum.chapters;
  const available = chapters.filter((c) => c.status === "available");
  const cached = cachedReports(root, chapters);
  const known = new Map([...cached].map(([id, c]) => [id, c.report]));
  const interactive = process.stdout.isTTY === true && process.stdin.isTTY === true;
  const p = paint(interactive && process.env.NO_COLOR === undefined);

  // Chapters done before the workbook (or the grader) changed are checked again, so that "first not done" is true.
  const staleDone = available.filter((c) => cached.get(c.id)?.fresh === false && cached.get(c.id)?.report.status === "done");
  if (options.chapter === undefined && staleDone.length > 0) {
    console.log(p.dim(`checking the chapters you had done again (the workbook changed since): ${staleDone.map((c) => c.number).join(", ")}…`));
    const keys = new Map(staleDone.map((c) => [c.id, chapterKey(root, c.id)]));
    const reports = await gradeChapters({ workspace: root, chapters: staleDone, mode: "solo", settings });
    remember(root, reports, keys);
    for (const r of reports) known.set(r.id, r);
  }

  let chapter = options.chapter === undefined ? chapterToOpen(chapters, known, loadProgress(root).current) : chapters.find((c) => c.id === options.chapter);
  if (!interactive) {
    // One look, for a pipe or CI: the chapter's check, printed once.
    if (chapter === undefined) {
      console.log(renderFinish({ done: available.length, chapters: available.length, columns: 100 }, { files: [] }, p));
      return 0;
    }
    const key = chapterKey(root, chapter.id);
    const [report] = await gradeChapters({ workspace: root, chapters: [chapter], mode: "solo", settings });
    remember(root, [report!], new Map([[chapter.id, key]]));
    known.set(chapter.id, report!);
    const done = available.filter((c) => known.get(c.id)?.status === "done").length;
    const focus = focusTask(report!);
    const body = focus === undefined ? undefined : lessonOf(root, chapter).get(focus);
    const view: WatchView = {
      chapter,
      report: report!,
      done,
      chapters: available.length,
      manualRun: true,
      columns: 100,
      ...(isStudentBundle(root) ? { examples: true } : {}),
      ...(body === undefined ? {} : { lesson: { task: focus!, lines: body } }),
    };
    console.log(renderWatch(view, p).split("\n").slice(0, -2).join("\n"));
    console.log(p.dim("(printed once: without a terminal there is no watch mode; run npm start in a terminal)"));
    return 0;
  }

  const out = process.stdout;
  let screen: "chapter" | "list" | "finish" = chapter === undefined ? "finish" : "chapter";
  let checker: WarmChecker | undefined;
  /** the check under way: one chapter's, or every chapter's (`c`); `token` tells a check its own */
  let checking: { since: number; all: boolean; token: object } | undefined;
  let trigger: number | undefined;
  let dirty = false;
  let lastCheckMs: number | undefined;
  let notice: string | undefined;
  let integrated: IntegratedCheck | undefined;
  let integratedSince: number | undefined;
  let watcher: FSWatcher | undefined;
  let debounce: NodeJS.Timeout | undefined;
  let manualRun = options.manualRun;
  let hints = chapter === undefined ? new Map() : hintsOf(root, chapter);
  let lesson = chapter === undefined ? new Map<number, string[]>() : lessonOf(root, chapter);
  let resolveQuit: (code: number) => void = () => {};

  const doneCount = () => available.filter((c) => known.get(c.id)?.status === "done").length;
  const examples = isStudentBundle(root);
  const base = () => ({ done: doneCount(), chapters: available.length, columns: out.columns ?? 100, ...(out.rows === undefined ? {} : { rows: out.rows - 1 }) });
  const seconds = (since: number) => (Date.now() - since) / 1000;

  function view(): string {
    if (screen === "finish") {
      const check = integrated ?? (integratedSince === undefined ? undefined : { checking: { seconds: seconds(integratedSince) }, files: [] });
      return renderFinish(base(), check, p);
    }
    if (screen === "list" || chapter === undefined) {
      const list = { ...base(), ...(chapter === undefined ? {} : { current: chapter.id }), ...(checking?.all === true ? { checking: { seconds: seconds(checking.since) } } : {}) };
      const rows = available.map((c): ChapterRow => (known.has(c.id) ? chapterRow(c, known.get(c.id)) : { id: c.id, title: c.title, status: "unchecked", passed: 0, total: 0 }));
      return renderWatchList(rows, list, p);
    }
    const report = known.get(chapter.id);
    const focus = report === undefined ? 1 : (focusTask(report) ?? 1);
    const taskHints = hints.get(focus);
    const shown = taskHints === undefined ? 0 : Math.min(taskHints.hints.length, hintsShown(loadProgress(root), chapter.id, focus));
    const v: WatchView = {
      chapter: { id: chapter.id, title: chapter.title, tasks: chapter.tasks },
      ...base(),
      manualRun,
      ...(examples ? { examples } : {}),
      ...(report === undefined ? {} : { report }),
      ...(checking === undefined ? {} : { checking: { seconds: seconds(checking.since) } }),
      ...(lastCheckMs === undefined ? {} : { lastCheckMs }),
      ...(taskHints === undefined ? {} : { hints: { task: focus, shown: taskHints.hints.slice(0, shown), total: taskHints.hints.length } }),
      ...(lesson.has(focus) ? { lesson: { task: focus, lines: lesson.get(focus)! } } : {}),
      ...(notice === undefined ? {} : { notice }),
    };
    return renderWatch(v, p);
  }

  const render = (): void => {
    out.write(CLEAR + view() + "\n");
  };
  const ticker = setInterval(() => {
    if (checking !== undefined || (screen === "finish" && integrated === undefined)) render();
  }, TICK_MS);

  function startWatching(): void {
    watcher?.close();
    watcher = undefined;
    if (manualRun || chapter === undefined) return;
    try {
      watcher = watchFiles(join(root, "chapters", chapter.id), { recursive: true }, (_event, name) => {
        if (name === null || !name.endsWith(".ts")) return;
        trigger ??= Date.now();
        clearTimeout(debounce);
        debounce = setTimeout(() => void check(), DEBOUNCE_MS);
      });
      watcher.on("error", (e) => {
        manualRun = true;
        watcher?.close();
        notice = `file watching stopped (${e.message}): press r to check; start with --manual-run to skip watching`;
        render();
      });
    } catch (e) {
      manualRun = true;
      notice = `cannot watch files here (${(e as Error).message}): press r to check`;
    }
  }

  async function check(): Promise<void> {
    if (chapter === undefined || screen === "finish") return;
    if (checking !== undefined) {
      dirty = true;
      return;
    }
    const mine = chapter;
    const since = trigger ?? Date.now();
    trigger = undefined;
    const token = {};
    checking = { since, all: false, token };
    render();
    const key = chapterKey(root, mine.id);
    try {
      checker ??= new WarmChecker(root, mine, settings);
      const report = await checker.check();
      if (chapter === mine) {
        remember(root, [report], new Map([[mine.id, key]]));
        known.set(mine.id, report);
        lastCheckMs = Date.now() - since;
        if (notice?.startsWith("kata:") === true) notice = undefined;
      }
    } catch (e) {
      if (chapter === mine) notice = `kata: ${(e as Error).message.split("\n")[0]}`;
    } finally {
      if (checking?.token === token) checking = undefined;
    }
    // The learner moved on (n) while this check ran: its result belongs to no screen.
    if (chapter !== mine) return;
    if (dirty) {
      dirty = false;
      trigger ??= Date.now();
      return check();
    }
    if (known.get(mine.id)?.status === "done" && doneCount() === available.length) return finish();
    render();
  }

  async function checkAll(): Promise<void> {
    if (checking !== undefined) {
      notice = "a check is running: press c again when it has ended";
      return render();
    }
    screen = screen === "finish" ? "finish" : "list";
    const token = {};
    checking = { since: Date.now(), all: true, token };
    render();
    try {
      const keys = new Map(available.map((c) => [c.id, chapterKey(root, c.id)]));
      const reports = await gradeChapters({ workspace: root, chapters: available, mode: "solo", settings });
      remember(root, reports, keys);
      for (const r of reports) known.set(r.id, r);
    } catch (e) {
      notice = `kata: ${(e as Error).message.split("\n")[0]}`;
    } finally {
      if (checking?.token === token) checking = undefined;
    }
    if (doneCount() === available.length) return finish();
    if (screen === "finish") return open(chapterToOpen(chapters, known, undefined));
    render();
    if (dirty) {
      // A save arrived while every chapter was being checked.
      dirty = false;
      trigger ??= Date.now();
      return check();
    }
  }

  async function finish(): Promise<void> {
    screen = "finish";
    watcher?.close();
    watcher = undefined;
    checker?.dispose();
    checker = undefined;
    if (loadProgress(root).finishedAt === undefined) updateProgress(root, { finishedAt: new Date().toISOString() });
    if (integrated !== undefined || integratedSince !== undefined) return render();
    integratedSince = Date.now();
    render();
    try {
      integrated = await integratedCheck(root, settings);
    } catch (e) {
      integrated = { files: [{ name: "integration", passed: 0, total: 0, message: (e as Error).message }] };
    }
    render();
  }

  function open(next: Chapter | undefined): void {
    checker?.dispose();
    checker = undefined;
    chapter = next;
    notice = undefined;
    lastCheckMs = undefined;
    dirty = false;
    if (checking?.all === false) checking = undefined;
    if (next === undefined) {
      void finish();
      return;
    }
    screen = "chapter";
    hints = hintsOf(root, next);
    lesson = lessonOf(root, next);
    updateProgress(root, { current: next.id });
    checker = new WarmChecker(root, next, settings);
    checker.warmUp();
    startWatching();
    render();
    void check();
  }

  function onKey(key: string): void {
    switch (key) {
      case "q":
      case "\u0003":
        return resolveQuit(0);
      case "r":
        if (screen === "chapter") void check();
        return;
      case "l":
        if (screen === "list") screen = chapter === undefined ? "finish" : "chapter";
        else if (checking?.all !== true) screen = "list";
        return render();
      case "c":
        return void checkAll();
      case "h": {
        if (screen !== "chapter" || chapter === undefined) return;
        const report = known.get(chapter.id);
        const focus = report === undefined ? 1 : focusTask(report);
        const mine = focus === undefined ? undefined : hints.get(focus);
        if (focus === undefined) notice = "every task passes: no hint needed";
        else if (mine === undefined || mine.hints.length === 0) notice = `Task ${focus} has no hints in HINTS.md`;
        else if (hintsShown(loadProgress(root), chapter.id, focus) >= mine.hints.length) notice = `all ${mine.hints.length} hints of Task ${focus} are shown`;
        else {
          revealHint(root, chapter.id, focus, mine.hints.length);
          notice = undefined;
        }
        return render();
      }
      case "n": {
        if (screen === "finish" || chapter === undefined) return;
        const report = known.get(chapter.id);
        if (report?.status !== "done") {
          const where = report === undefined ? "is not checked yet" : `does not pass yet (${report.passed} of ${report.total} tests)`;
          notice = `Chapter ${chapter.number} ${where}: n opens the next chapter once it passes.`;
          return render();
        }
        return open(nextChapter(chapters, known, chapter.id));
      }
    }
  }

  const quit = new Promise<number>((resolve) => {
    resolveQuit = resolve;
  });
  const onSignal = () => resolveQuit(130);
  for (const s of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(s, onSignal);
  out.write(ALT_SCREEN_ON);
  process.stdin.setRawMode(true);
  process.stdin.setEncoding("utf8");
  const onData = (data: string) => {
    for (const key of data) onKey(key.toLowerCase());
  };
  process.stdin.on("data", onData);
  out.on("resize", render);
  try {
    if (chapter === undefined) void finish();
    else open(chapter);
    return await quit;
  } finally {
    clearInterval(ticker);
    clearTimeout(debounce);
    watcher?.close();
    checker?.dispose();
    for (const s of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.off(s, onSignal);
    process.stdin.off("data", onData);
    out.off("resize", render);
    process.stdin.setRawMode(false);
    process.stdin.pause();
    out.write(ALT_SCREEN_OFF);
  }
}
