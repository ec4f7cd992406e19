/**
 * The runner alone, on a small synthetic workbook: a test that blocks the thread, one that awaits forever, a
 * patched assertion library, and code that exits the process. (Hostile submissions of the real chapters are in
 * hostile.test.ts.)
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, runSuites } from "../grade.ts";
import type { Chapter } from "../curriculum.ts";
import { judge } from "../run/verdicts.ts";
import { gateStubs } from "../verify.ts";
import { workbook } from "./workbooks.ts";

describe("the runner on a synthetic workbook", () => {
  it("blames the blocking test, times out the waiting one, rejects tampered or crashed files, and shows values in full", async () => {
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
      "tests/01-poll/values.test.ts": `${head}describe("Task 1: add", () => {
  it("compares objects", () => {
    expect({ pending: false, spentPending: add(0, 1), ready: true, spentReady: 1 }).toEqual({ pending: false, spentPending: 0, ready: true, spentReady: 1 });
  });
  it("expects a message", () => {
    expect(() => { throw new Error("Permit used after it was sent or dropped"); }).toThrow("Permit used after it was consumed by send() or dropped");
  });
});\n`,
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
        ["values", "compares objects"],
        ["values", "expects a message"],
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
      // Values print in full (chai alone would show `{ pending: false, …(3) }` and cut the expected message).
      expect(by("compares objects").message).toContain("{ pending: false, spentPending: 1, ready: true, spentReady: 1 }");
      expect(by("expects a message").message).toContain("'Permit used after it was consumed by send() or dropped'");
    } finally {
      wb.dispose();
    }
  }, 180_000);

  it("kata verify's stub gate shares forks, keeps the locks for every file, and runs again alone each file a blocked fork left unjudged", async () => {
    // Every file holds a test that passes against the stub (it judges nothing), and so must be reported. The second
    // file a fork loads blocks its thread: the watchdog kills the fork, and the files queued behind it are lost
    // unless the gate runs them again, each in a fork of its own (where it comes first and does not block). Each
    // test also checks that the integrity locks hold in its file, however many files the fork ran before it.
    const weak = `import { describe, expect, it } from "vitest";
import { add } from "#kata/01-poll";
const g = globalThis as { kataFiles?: number };
const nth = (g.kataFiles = (g.kataFiles ?? 0) + 1);
describe("Task 1: add", () => {
  it("judges nothing", () => {
    while (nth === 2) {}
    expect(() => { (Object as { is: unknown }).is = () => true; }).toThrow(TypeError);
    expect(typeof add).toBe("function");
  });
});
`;
    const files = ["a", "b", "c", "d", "e"].map((n) => `tests/01-poll/${n}.test.ts`);
    const wb = workbook({
      "solutions/01-poll/index.ts": "export function add(a: number, b: number): number { return a + b; }\n",
      "chapters/01-poll/index.ts": "export function add(_a: number, _b: number): number { return 0; }\n",
      ...Object.fromEntries(files.map((f) => [f, weak])),
    });
    try {
      const chapter = { id: "01-poll", hiddenTests: files, publicTests: [] } as unknown as Chapter;
      const gate = await gateStubs(wb.dir, [chapter], { ...DEFAULT_SETTINGS, testTimeoutMs: 1_000, hardMs: 2_000, maxWorkers: 1 });
      expect(gate.problems).toEqual(files.map((f) => `${f}: "Task 1: add > judges nothing" passes against the pristine stub (it judges nothing)`));
      expect(gate.checked).toMatch(/^5 tests fail in solo mode \([1-4] file\(s\) again in forks of their own\)$/);
    } finally {
      wb.dispose();
    }
  }, 180_000);

  it("kata verify's stub gate: every test must fail at a stub (`todo`), not at a value a stub returns", async () => {
    // A stub that returns a placeholder instead of calling todo() leaves the learner an assertion about a 0 they
    // never wrote (chapter 04's async blockOn stub once did the same: its rejection came too late to be seen).
    const wb = workbook({
      "solutions/01-poll/index.ts": "export const add = (a: number, b: number): number => a + b;\nexport const sub = (a: number, b: number): number => a - b;\n",
      "chapters/01-poll/index.ts": [
        'import { todo } from "#kit/todo";',
        "export const add = (_a: number, _b: number): number => 0;",
        'export const sub = (_a: number, _b: number): number => todo("01-poll", "sub");',
      ].join("\n"),
      "tests/01-poll/a.test.ts": `import { describe, expect, it } from "vitest";
import { add, sub } from "#kata/01-poll";
describe("Task 1: add", () => {
  it("adds", () => expect(add(1, 2)).toBe(3));
  it("subtracts", () => expect(sub(3, 2)).toBe(1));
});
`,
    });
    try {
      const chapter = { id: "01-poll", hiddenTests: ["tests/01-poll/a.test.ts"], publicTests: [] } as unknown as Chapter;
      const gate = await gateStubs(wb.dir, [chapter], { ...DEFAULT_SETTINGS, testTimeoutMs: 1_000, hardMs: 2_000, maxWorkers: 1 });
      expect(gate.problems, "only the test that failed at the placeholder").toEqual([
        'tests/01-poll/a.test.ts: "Task 1: add > adds" fails against the pristine stub with "expected +0 to be 3 // Object.is equality", not at a stub: a learner who has not started should read "not implemented yet"',
      ]);
    } finally {
      wb.dispose();
    }
  }, 60_000);
});
