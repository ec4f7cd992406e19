/**
 * Watch mode's screens are pure functions of plain data: checked here without a terminal, a vitest host or a file
 * watcher. Also the pure choices of watch mode (which chapter opens, which one `n` moves to).
 */
import { describe, expect, it } from "vitest";
import type { Chapter } from "../curriculum.ts";
import { chapterReport, type ChapterReport, type TestReport } from "../report.ts";
import { chapterRow, focusTask, lessonExcerpt, paint, progressBar, renderFinish, renderWatch, renderWatchList, wrap, type WatchView } from "../render.ts";
import { chapterToOpen, nextChapter } from "../watch/watch.ts";

const t = (name: string, task: number, status: TestReport["status"], message?: string, notImplemented = false): TestReport => ({
  name: `Task ${task}: T${task} > ${name}`,
  file: "tests/04-block-on/block-on.test.ts",
  task,
  points: 1,
  status,
  notImplemented,
  ...(message === undefined ? {} : { message }),
});

const base = { id: "04-block-on" as const, title: "Block on", mode: "solo:04", tasks: ["The parker", "blockOn", "Wakes from afar"] };
const inProgress = chapterReport(base, [
  t("unpark before park", 1, "pass"),
  t("park sleeps", 1, "pass"),
  t("returns the output", 2, "pass"),
  t("sleeps until woken", 2, "fail", "expected 3 to be 4\n\n- Expected\n+ Received"),
  t("a second blockOn", 2, "timeout", "timed out after 5000 ms: it waited for something that never happened (a missing wake?)"),
  t("from another thread", 3, "fail", "not implemented yet: Parker.unparkFrom", true),
]);
const notStarted = chapterReport(base, [t("unpark before park", 1, "fail", "not implemented yet: Parker.park", true), t("returns the output", 2, "fail", "not implemented yet: blockOn", true)]);
const done = chapterReport(base, [t("unpark before park", 1, "pass"), t("returns the output", 2, "pass"), t("from another thread", 3, "pass")]);

const view = (over: Partial<WatchView> = {}): WatchView => ({
  chapter: { id: "04-block-on", title: "Block on", tasks: base.tasks },
  report: inProgress,
  done: 3,
  chapters: 19,
  manualRun: false,
  columns: 100,
  lastCheckMs: 420,
  ...over,
});

describe("watch mode's chapter screen", () => {
  it("a progress bar fills in proportion, and clamps", () => {
    expect(progressBar(0.5, 10)).toBe("█████░░░░░");
    expect(progressBar(3 / 19, 19)).toBe("███░░░░░░░░░░░░░░░░");
    expect(progressBar(2, 4)).toBe("████");
    expect(progressBar(-1, 4)).toBe("░░░░");
  });

  it("the task in focus is the task of the first test that does not pass", () => {
    expect(focusTask(inProgress)).toBe(2);
    expect(focusTask(done)).toBeUndefined();
  });

  it("shows both bars, each task's score, the focused task's tests with the first failure, what to try, and the keys", () => {
    const lines = renderWatch(view()).split("\n");
    expect(lines[0]).toMatch(/^Tokio workbook {2}█+░+ {2}3 of 19 chapters done$/);
    expect(lines[1]).toMatch(/^Chapter 04: Block on {2}█+░+ {2}3 of 6 tests$/);
    const body = lines.join("\n");
    expect(body).toMatch(/✓ Task 1: The parker +2\/2/);
    expect(body).toMatch(/▶ Task 2: blockOn +1\/3/);
    expect(body).toMatch(/ {4}Task 3: Wakes from afar +0\/1/);
    // only the focused task's tests are listed, with marks; the first failure's message under it, and only it
    expect(body).toContain("      ✓ returns the output");
    expect(body).toContain("      ✗ sleeps until woken\n          expected 3 to be 4");
    expect(body).toContain("      ⧗ a second blockOn (timeout)");
    expect(body).not.toContain("timed out after 5000 ms");
    expect(body).not.toContain("from another thread");
    expect(body).toContain('Next: Task 2, blockOn\n  read  chapters/04-block-on/README.md, "## Task 2"\n  edit  chapters/04-block-on/\n  h     reveals a hint');
    expect(lines.at(-2)).toBe("checked in 0.42 s; watching chapters/04-block-on/ (save a file to check again)");
    expect(lines.at(-1)).toBe("h hint · r re-run · l list · c check all · n next chapter · q quit");
  });

  it("a chapter not started: the stub to write is named", () => {
    const text = renderWatch(view({ report: notStarted }));
    expect(text).toContain("▶ Task 1: The parker");
    expect(text).toContain("not implemented yet: Parker.park");
    expect(text).toContain("  edit  chapters/04-block-on/ (Parker.park is still a stub)");
  });

  it("hints revealed so far are shown for the task in focus, wrapped, and the count is in the prompt", () => {
    const hints = { task: 2, shown: ["Look at the parker.", "A long hint ".repeat(12).trim()], total: 3 };
    const text = renderWatch(view({ hints, columns: 60 }));
    expect(text).toContain("  h     reveals a hint (2 of 3 shown)");
    expect(text).toContain("Hint 1 of 3: Look at the parker.");
    const second = text.split("\n").filter((l) => l.startsWith("Hint 2 of 3: ") || l.startsWith("             A long"));
    expect(second.length, "the long hint wraps onto indented lines").toBeGreaterThan(1);
    for (const l of text.split("\n")) expect(l.length, l).toBeLessThanOrEqual(60 + 40);
    const reflowed = renderWatch(view({ hints: { task: 2, shown: ["Keep the state and the\npending promise.\n- first\n- second"], total: 3 } }));
    expect(reflowed, "the source's line breaks are not the screen's; a list keeps its lines").toContain("Hint 1 of 3: Keep the state and the pending promise.\n             - first\n             - second");
    // every hint shown: no prompt for more; hints of another task are not shown
    expect(renderWatch(view({ hints: { ...hints, shown: ["a", "b", "c"] } }))).not.toContain("reveals a hint");
    expect(renderWatch(view({ hints: { ...hints, task: 1 } }))).not.toContain("Hint 1 of 3");
  });

  it("a chapter that passes says so and points to n and the solution; the last one does not offer n", () => {
    const text = renderWatch(view({ report: done }));
    expect(text).toContain("Chapter 04 passes: all 3 tests. Press n for the next chapter.");
    expect(text).toContain("npm run kata -- solution 04");
    expect(text).not.toContain("Next: Task");
    expect(renderWatch(view({ report: done, done: 19 }))).not.toContain("Press n");
  });

  it("while checking, manual-run, notices, and before the first check", () => {
    expect(renderWatch(view({ checking: { seconds: 1.2 } }))).toContain("checking… 1.2 s; watching chapters/04-block-on/");
    expect(renderWatch(view({ manualRun: true }))).toContain("checked in 0.42 s; press r after saving to check again");
    expect(renderWatch(view({ notice: "Chapter 04 does not pass yet" }))).toContain("Chapter 04 does not pass yet");
    const { report: _, lastCheckMs: __, ...fresh } = view();
    expect(renderWatch({ ...fresh, checking: { seconds: 0 } })).toContain("not checked yet");
  });

  it("long test names are cut before they are painted, so the cut never splits a colour code", () => {
    const long = chapterReport(base, [t("x".repeat(200), 1, "error", "boom")]);
    const painted = renderWatch(view({ report: long, columns: 60 }), paint(true));
    const line = painted.split("\n").find((l) => l.includes("xxx"))!;
    expect(line.replace(/\u001b\[\d+m/g, "")).toMatch(/^ {6}! x+… \(error\)$/);
    expect(line.replace(/\u001b\[\d+m/g, "").length).toBeLessThanOrEqual(60);
    expect(line, "escape sequences whole").not.toMatch(/\u001b\[\d*(?!\d*m)/);
  });

  it("a student's bundle: the chapter is checked on its public examples", () => {
    const text = renderWatch(view({ examples: true, lesson: { task: 2, lines: ["the text"] } }));
    expect(text).toContain("Next: make the public examples pass");
    expect(text).toContain("  run   chapters/04-block-on/*.example.test.ts: the examples checked here");
    expect(text).not.toContain("the text");
    expect(text).not.toContain('"## Task');
  });

  it("colour changes no text", () => {
    const plain = renderWatch(view({ hints: { task: 2, shown: ["x"], total: 2 } }));
    expect(renderWatch(view({ hints: { task: 2, shown: ["x"], total: 2 } }), paint(true)).replace(/\u001b\[\d+m/g, "")).toBe(plain);
  });

  it("the lesson's text of the task in focus: paragraphs and list items joined and wrapped, cut after six lines", () => {
    const body = ["", "`park.ts`. The parker", "keeps one token:", "", "- `unpark()` sets it;", "  more of it.", "- `park()` takes it.", "", "```", "code  as is", "```", "- a", "- b", "- c"];
    const short = lessonExcerpt(body.slice(0, 7), 80);
    expect(short).toEqual({ lines: ["`park.ts`. The parker keeps one token:", "- `unpark()` sets it; more of it.", "- `park()` takes it."], cut: false });
    const long = lessonExcerpt(body, 80);
    expect(long.lines).toEqual(["`park.ts`. The parker keeps one token:", "- `unpark()` sets it; more of it.", "- `park()` takes it.", "```", "code  as is", "```"]);
    expect(long.cut).toBe(true);
    expect(lessonExcerpt(["- one two three four five six"], 20).lines, "a list item's continuation is indented under its text").toEqual(["- one two three four", "  five six"]);
    const text = renderWatch(view({ lesson: { task: 2, lines: body } }));
    expect(text).toContain('Next: Task 2, blockOn\n  `park.ts`. The parker keeps one token:\n  - `unpark()` sets it; more of it.');
    expect(text).toContain('  read  chapters/04-block-on/README.md, "## Task 2" (the whole task)');
    expect(renderWatch(view({ lesson: { task: 1, lines: body } })), "another task's text is not shown").not.toContain("keeps one token");
  });

  it("a screen taller than the terminal drops the lesson's text first, then lists fewer tests", () => {
    const lesson = { task: 2, lines: ["one", "two", "three", "four"] };
    const full = renderWatch(view({ lesson })).split("\n").length;
    expect(renderWatch(view({ lesson, rows: full })), "it fits: nothing dropped").toContain("three");
    const smaller = renderWatch(view({ lesson, rows: full - 1 }));
    expect(smaller).not.toContain("three");
    expect(smaller).toContain("⧗ a second blockOn");
    const many = chapterReport(base, Array.from({ length: 12 }, (_, i) => t(`test ${i}`, 1, "fail", "no")));
    const tiny = renderWatch(view({ report: many, rows: 10 }));
    expect(tiny).toContain("      … 9 more");
  });

  it("wrap keeps words whole and the text's own line breaks", () => {
    expect(wrap("one two three four", 9)).toEqual(["one two", "three", "four"]);
    expect(wrap("a\nb c", 10)).toEqual(["a", "b c"]);
  });
});

const chapter = (id: Chapter["id"], status: Chapter["status"] = "available"): Chapter => ({
  id,
  number: id.slice(0, 2),
  status,
  title: id.slice(3),
  seed: [],
  tasks: [],
  publicTests: [],
  hiddenTests: [],
  manifest: null,
});
const chapters = [chapter("01-poll"), chapter("02-state-machines"), chapter("03-waker"), chapter("04-block-on", "coming")];
const status = (s: ChapterReport["status"]): ChapterReport => ({ ...done, status: s });

describe("watch mode's list, finish and choices", () => {
  it("the list marks the chapter watched", () => {
    const rows = chapters.map((c) => chapterRow(c, c.id === "01-poll" ? done : undefined));
    const text = renderWatchList(rows, { done: 1, chapters: 3, columns: 80, current: "02-state-machines" });
    expect(text).toContain("▶ 02");
    expect(text).toContain("l back · c check all · q quit");
    expect(renderWatchList(rows, { done: 1, chapters: 3, columns: 80, current: "02-state-machines", checking: { seconds: 3 } })).toContain("checking every chapter… 3 s");
    const unchecked = renderWatchList([{ id: "03-waker", title: "Wakers", status: "unchecked", passed: 0, total: 0 }], { done: 0, chapters: 1, columns: 80 });
    expect(unchecked).toMatch(/03 {2}Wakers +not checked yet \(c checks every chapter\)/);
  });

  it("the finish: the celebration, the integrated check per app, and what to try", () => {
    const text = renderFinish({ done: 19, chapters: 19, columns: 100 }, { files: [{ name: "echo", passed: 4, total: 4 }, { name: "mini-redis", passed: 3, total: 4, message: "expected PONG" }] });
    expect(text).toContain("19 of 19 chapters done");
    expect(text).toContain("Every chapter passes.");
    expect(text).toMatch(/✓ echo +4\/4/);
    expect(text).toMatch(/✗ mini-redis +3\/4\n +expected PONG/);
    expect(text).toContain("npm run kata -- run mini-redis");
    expect(renderFinish({ done: 19, chapters: 19, columns: 100 }, { checking: { seconds: 4 }, files: [] })).toContain("running… 4 s");
  });

  it("opens on the chapter the learner was on while it fails, else on the first not done", () => {
    const known = new Map([["01-poll", status("done")], ["02-state-machines", status("in-progress")]] as const);
    expect(chapterToOpen(chapters, known, undefined)?.id).toBe("02-state-machines");
    expect(chapterToOpen(chapters, known, "03-waker")?.id, "resumes where the learner was").toBe("03-waker");
    expect(chapterToOpen(chapters, known, "01-poll")?.id, "not on a chapter that passes").toBe("02-state-machines");
    const all = new Map(chapters.map((c) => [c.id, status("done")]));
    expect(chapterToOpen(chapters, all, undefined), "every available chapter done").toBeUndefined();
  });

  it("n goes to the next chapter not done, wrapping round, skipping coming chapters", () => {
    const known = new Map([["01-poll", status("done")], ["02-state-machines", status("done")]] as const);
    expect(nextChapter(chapters, known, "01-poll")?.id).toBe("03-waker");
    const firstOpen = new Map([["02-state-machines", status("done")], ["03-waker", status("done")]] as const);
    expect(nextChapter(chapters, firstOpen, "03-waker")?.id).toBe("01-poll");
    expect(nextChapter(chapters, new Map(chapters.map((c) => [c.id, status("done")])), "01-poll")).toBeUndefined();
  });
});
