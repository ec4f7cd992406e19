/**
 * The isolation layers against hostile learner code, end to end.
 *
 * `kata grade --submission` on copies of this workbook's chapters: a `while (true) {}` at the top of chapter
 * 01's index.ts, and a syntax error in one of its modules. Then the runner alone, on a small synthetic
 * workbook: a test that blocks the thread, one that awaits forever, a patched assertion library, and code
 * that exits the process.
 */
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, runSuites } from "../grade.ts";
import { GradeReport } from "../report.ts";
import { judge } from "../run/verdicts.ts";
import { ROOT, submission, workbook } from "./workbooks.ts";

const run = promisify(execFile);
const CLI = join(ROOT, "grader", "cli.ts");
const TSX = join(ROOT, "node_modules", ".bin", "tsx");

/**
 * A bound in seconds on this machine: as given on an idle machine (the CI's), stretched by how many times over its
 * cores the machine was already busy, so that other work on a shared machine does not fail the test.
 */
function bound(seconds: number): number {
  return seconds * Math.max(1, loadavg()[0]! / availableParallelism());
}

async function grade(dir: string, ...args: string[]): Promise<{ report: GradeReport; seconds: number }> {
  const out = join(dir, "grade.json");
  const started = Date.now();
  await run(TSX, [CLI, "grade", "--submission", dir, "--format", "json", "--out", out, ...args], { cwd: ROOT });
  return { report: GradeReport.parse(JSON.parse(readFileSync(out, "utf8"))), seconds: (Date.now() - started) / 1000 };
}

describe("kata grade --submission with hostile chapter code", () => {
  it("an infinite loop at the top of chapters/01-poll/index.ts: 01 scores 0 naming the import, the others are untouched, within 60 s on an idle machine", async () => {
    const index = readFileSync(join(ROOT, "chapters", "01-poll", "index.ts"), "utf8");
    const sub = submission({ solutions: ["02-state-machines"], files: { "chapters/01-poll/index.ts": `while (true) {}\n${index}` } });
    try {
      const limit = bound(60);
      const { report, seconds } = await grade(sub.dir);
      expect(seconds, "seconds for the whole grade").toBeLessThan(limit);
      const ch01 = report.chapters.find((c) => c.id === "01-poll")!;
      expect(ch01.score).toBe(0);
      expect(ch01.tests.length).toBeGreaterThan(0);
      for (const t of ch01.tests) {
        expect(["timeout", "error"]).toContain(t.status);
        expect(t.message).toContain("chapters/01-poll/index.ts");
      }
      expect(report.chapters.find((c) => c.id === "02-state-machines")!.status, "chapter 02 has the solution").toBe("done");
      // the loop reaches no other chapter: nothing there was stopped by the watchdog, crashed, or names chapter 01
      for (const c of report.chapters.filter((c) => c.id !== "01-poll")) {
        for (const t of c.tests) expect(t.message ?? "", `${c.id}: ${t.name}`).not.toMatch(/chapters\/01-poll|blocked the thread|stopped|crashed|test run/);
      }
    } finally {
      sub.dispose();
    }
  }, 600_000);

  it("a syntax error in a chapter 01 module: 01 is graded with a message naming the file and position, no hang (30 s on an idle machine)", async () => {
    const sub = submission({ solutions: ["01-poll"] });
    const ready = readFileSync(join(sub.dir, "chapters", "01-poll", "ready.ts"), "utf8");
    const lines = ready.split("\n").length;
    writeFileSync(join(sub.dir, "chapters", "01-poll", "ready.ts"), `${ready}\nexport const broken = (;\n`);
    try {
      const limit = bound(30);
      const { report, seconds } = await grade(sub.dir, "--chapters", "01,02");
      expect(seconds).toBeLessThan(limit);
      const ch01 = report.chapters.find((c) => c.id === "01-poll")!;
      expect(ch01.score).toBe(0);
      for (const t of ch01.tests) {
        expect(t.status).toBe("error");
        expect(t.message).toMatch(new RegExp(`^syntax error in chapters/01-poll/ready\\.ts:${lines + 1}:\\d+: `));
      }
      expect(report.chapters.map((c) => c.id)).toEqual(["01-poll", "02-state-machines"]);
    } finally {
      sub.dispose();
    }
  }, 300_000);
});

describe("the runner on a synthetic workbook", () => {
  it("blames the blocking test, times out the waiting one, and rejects tampered or crashed files", async () => {
    const add = "export function add(a: number, b: number): number { return a + b; }\n";
    const head = 'import { describe, expect, it } from "vitest";\nimport { add } from "#kata/01-poll";\n';
    const wb = workbook({
      "chapters/01-poll/index.ts": add,
      "chapters/01-poll/tamper.ts": "Object.is = () => true;\nexport {};\n",
      "solutions/01-poll/index.ts": add,
      "tests/01-poll/good.test.ts": `${head}describe("Task 1: add", () => { it("adds", () => { expect(add(1, 2)).toBe(3); }); });\n`,
      "tests/01-poll/blocks.test.ts": `${head}describe("Task 1: add", () => {
  it("first", () => { expect(add(1, 1)).toBe(2); });
  it("blocks", () => { while (add(1, 1) === 2) {} });
  it("after", () => { expect(add(2, 2)).toBe(4); });
});\n`,
      "tests/01-poll/waits.test.ts": `${head}describe("Task 1: add", () => { it("waits", async () => { await new Promise(() => {}); }); });\n`,
      "tests/01-poll/tamper.test.ts": `${head}import "../../chapters/01-poll/tamper.ts";\ndescribe("Task 1: add", () => { it("is patched", () => { expect(add(1, 1)).toBe(3); }); });\n`,
      "tests/01-poll/exits.test.ts": `${head}describe("Task 1: add", () => { it("exits", () => { (process as unknown as { reallyExit(c: number): void }).reallyExit(0); }); });\n`,
    });
    try {
      const expected = [
        ["good", "adds"],
        ["blocks", "first"],
        ["blocks", "blocks"],
        ["blocks", "after"],
        ["waits", "waits"],
        ["tamper", "is patched"],
        ["exits", "exits"],
      ].map(([file, name]) => ({ file: `tests/01-poll/${file}.test.ts`, name: `Task 1: add > ${name}`, task: 1, points: 1 }));
      const settings = { ...DEFAULT_SETTINGS, testTimeoutMs: 1_000, hardMs: 2_000 };
      const files = [...new Set(expected.map((t) => t.file))];
      const outcome = await runSuites(wb.dir, [{ mode: "solo:01", files }], settings, 120_000);
      const verdicts = judge({ outcome, project: "solo:01", expected, root: wb.dir, deadlineMs: 120_000, hardMs: settings.hardMs });
      const by = (name: string) => verdicts.find((v) => v.name === `Task 1: add > ${name}`)!;
      expect(by("adds").status).toBe("pass");
      expect(by("blocks")).toMatchObject({ status: "timeout", message: "blocked the thread for more than 2 s (an infinite loop?) and was stopped" });
      for (const other of ["first", "after"]) {
        expect(by(other).status).toBe("error");
        expect(by(other).message).toContain('"Task 1: add > blocks" blocked the thread');
      }
      expect(by("waits")).toMatchObject({ status: "timeout" });
      expect(by("waits").message).toMatch(/^timed out after 1000 ms/);
      expect(by("is patched").status).toBe("error");
      expect(by("is patched").message).toMatch(/^integrity check failed/);
      expect(by("exits").status).toBe("error");
      expect(by("exits").message).toContain("crashed");
    } finally {
      wb.dispose();
    }
  }, 180_000);
});
