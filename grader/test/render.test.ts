/**
 * The text views are pure functions of reports: checked here without running anything.
 */
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../commands.ts";
import type { Chapter } from "../curriculum.ts";
import { chapterReport, type ChapterReport, type TestReport } from "../report.ts";
import { paint, renderCheck, renderGrade, renderHelp, renderList, renderStart, shortName, startView, statusText, waitsOn } from "../render.ts";

const t = (name: string, task: number, status: TestReport["status"], message?: string, notImplemented = false): TestReport => ({
  name: `Task ${task}: T${task} > ${name}`,
  file: "tests/01-poll/poll.test.ts",
  task,
  points: 1,
  status,
  notImplemented,
  ...(message === undefined ? {} : { message }),
});

const ch01 = chapterReport({ id: "01-poll", title: "Poll and Future", mode: "solo:01", tasks: ["T1", "T2"] }, [
  t("ready", 1, "pass"),
  t("pending", 1, "fail", "expected Pending\nto be 1"),
  t("spin", 2, "timeout", "timed out after 5000 ms"),
]);
const ch02 = chapterReport({ id: "02-state-machines", title: "State machines", mode: "solo:02", tasks: ["T1"] }, [
  t("join", 1, "fail", "not implemented yet: join", true),
]);

const chapter = (id: Chapter["id"], status: Chapter["status"], title: string): Chapter => ({
  id,
  number: id.slice(0, 2),
  status,
  title,
  seed: [],
  tasks: [],
  publicTests: [],
  hiddenTests: [],
  manifest: null,
});
const chapters = [chapter("01-poll", "available", "Poll and Future"), chapter("02-state-machines", "available", "State machines"), chapter("03-waker", "coming", "waker")];
const reports = new Map<Chapter["id"], ChapterReport>([
  ["01-poll", ch01],
  ["02-state-machines", ch02],
]);

describe("text views", () => {
  it("statusText: coming, not started, N of M tests, done", () => {
    expect(statusText({ status: "coming", passed: 0, total: 0 })).toBe("coming");
    expect(statusText({ status: "not-started", passed: 0, total: 5 })).toBe("not started");
    expect(statusText({ status: "in-progress", passed: 3, total: 5 })).toBe("3 of 5 tests");
    expect(statusText({ status: "done", passed: 5, total: 5 })).toBe("done");
  });

  it("a chapter whose tests all stop at another chapter's stubs waits on it (the student bundle has no reference)", () => {
    const waiting = chapterReport({ id: "01-poll", title: "Poll and Future", mode: "integrated", tasks: ["T1"] }, [
      t("ready", 1, "error", "not implemented yet: Waker.noop, in chapters/03-waker", true),
      t("pending", 1, "error", "not implemented yet: Waker.noop, in chapters/03-waker", true),
    ]);
    expect(statusText({ ...waiting, waitsOn: waitsOn(waiting) })).toBe("waits on chapters/03-waker (no test of it can run before that one)");
    const ownStub = chapterReport({ id: "01-poll", title: "Poll and Future", mode: "integrated", tasks: ["T1"] }, [
      t("ready", 1, "error", "not implemented yet: Waker.noop, in chapters/03-waker", true),
      t("pending", 1, "fail", "not implemented yet: pending", true),
    ]);
    expect(waitsOn(ownStub), "one test stops at the chapter's own stub: simply not started").toBeUndefined();
    expect(renderList(startView(chapters, new Map([["01-poll", waiting]])).rows).split("\n")[0]).toBe(
      "  01  Poll and Future  waits on chapters/03-waker (no test of it can run before that one)",
    );
  });

  it("kata list: one line per chapter with its status", () => {
    const text = renderList(startView(chapters, reports).rows);
    expect(text.split("\n")).toEqual([
      "  01  Poll and Future  1 of 3 tests",
      "  02  State machines   not started",
      "  03  waker            coming",
    ]);
  });

  it("kata check: per task each test's mark, and only the first failure's message", () => {
    expect(renderCheck(ch01).split("\n")).toEqual([
      "Chapter 01: Poll and Future (solo:01): 1 of 3 tests",
      "  Task 1: T1  1/2",
      "    ✓ ready",
      "    ✗ pending",
      "        expected Pending",
      "        to be 1",
      "  Task 2: T2  0/1",
      "    ⧗ spin (timeout)",
    ]);
  });

  it("kata check: when the first failure is a timeout, the first failed assertion's message is shown as well", () => {
    const report = chapterReport({ id: "07-current-thread", title: "Runtime", mode: "solo:07", tasks: ["T1", "T2"] }, [
      t("parks", 1, "timeout", "timed out after 5000 ms"),
      t("waits", 1, "timeout", "timed out after 5000 ms (the second)"),
      t("turns", 2, "fail", "expected [ 'park' ] to deeply equal [ 'turn' ]"),
      t("later", 2, "fail", "a later assertion"),
    ]);
    const text = renderCheck(report);
    expect(text).toContain("timed out after 5000 ms");
    expect(text, "the first assertion's message").toContain("expected [ 'park' ] to deeply equal [ 'turn' ]");
    expect(text).not.toContain("(the second)");
    expect(text).not.toContain("a later assertion");
    expect(renderCheck(ch01), "a first failure that is an assertion shows only its own message").not.toContain("timed out");
  });

  it("kata check: the message shown is the earliest task's failure, whatever order the files ran in", () => {
    // interval.test.ts sorts before timeout.test.ts, but its test belongs to a later task.
    const report = chapterReport({ id: "13-time", title: "Time", mode: "solo:13", tasks: ["Timeout", "Interval"] }, [
      { ...t("skip", 2, "fail", "the interval's message"), file: "tests/13-time/interval.test.ts" },
      { ...t("budget", 1, "fail", "the timeout's message"), file: "tests/13-time/timeout.test.ts" },
    ]);
    expect(report.tests.map((x) => x.task)).toEqual([1, 2]);
    const text = renderCheck(report);
    expect(text).toContain("the timeout's message");
    expect(text).not.toContain("the interval's message");
  });

  it("kata grade: the total, each chapter's score and first failure", () => {
    const text = renderGrade({
      schema: "kata-grade/1",
      mode: "solo",
      submission: "students/ada",
      generatedAt: new Date(0).toISOString(),
      durationMs: 1,
      score: 1,
      maxScore: 4,
      chapters: [ch01, ch02],
      integration: null,
      coming: ["03-waker"],
    });
    expect(text.split("\n")).toEqual([
      "Grade of students/ada (solo): 1 / 4 points",
      "  01-poll            1/3      1 of 3 tests",
      "      first failure: Task 1, pending (fail)",
      "        expected Pending",
      "  02-state-machines  0/1      not started",
      "  coming: 03-waker",
    ]);
  });

  it("npm start: progress, the list, and the next step with its failure and commands", () => {
    const view = startView(chapters, reports);
    expect(view.next).toEqual({ id: "01-poll", title: "Poll and Future", task: { number: 1, title: "T1" }, failing: { name: "pending", message: "expected Pending\nto be 1" } });
    const text = renderStart(view);
    expect(text).toContain("0 of 2 chapters done (1 more coming)");
    expect(text).toContain("▶ 01  Poll and Future");
    expect(text).toContain("Next: chapter 01, Poll and Future, task 1: T1");
    expect(text).toContain("  check  npm run kata -- check 01");
    expect(text).toContain("  hint   npm run kata -- hint 01 1");
  });

  it("npm start when every available chapter is done", () => {
    const done = chapterReport({ id: "01-poll", title: "Poll and Future", mode: "solo:01", tasks: ["T1"] }, [t("ready", 1, "pass")]);
    const text = renderStart(startView(chapters.slice(0, 1), new Map([["01-poll", done]])));
    expect(text).toContain("1 of 1 chapters done");
    expect(text).toContain("Every available chapter is done.");
    expect(text).not.toContain("Next:");
  });

  it("colour is a parameter: the plain and the painted views have the same text", () => {
    const painted = renderCheck(ch01, paint(true));
    expect(painted).not.toBe(renderCheck(ch01));
    expect(painted.replace(/\u001b\[\d+m/g, "")).toBe(renderCheck(ch01));
  });

  it("kata help: every command on its own, with one line of summary", () => {
    const text = renderHelp(COMMANDS);
    for (const c of ["start", "list", "check", "hint", "grade", "manifest", "verify", "help"]) {
      expect(text).toMatch(new RegExp(`^  ${c}\\b`, "m"));
    }
    expect(shortName({ name: "Task 2: Spin > nested > counts" })).toBe("nested > counts");
  });
});
