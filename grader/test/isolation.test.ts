/**
 * The runner alone, on a small synthetic workbook: a test that blocks the thread, one that awaits forever, a
 * patched assertion library, and code that exits the process. (Hostile submissions of the real chapters are in
 * hostile.test.ts.)
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, runSuites } from "../grade.ts";
import { judge } from "../run/verdicts.ts";
import { workbook } from "./workbooks.ts";

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
