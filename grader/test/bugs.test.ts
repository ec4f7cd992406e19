/**
 * The bug corpus's named check (bugs.ts) on a small synthetic workbook: its bugs share forks first, and a verdict
 * that is not an assertion failure of the bug's own test is taken again in a fresh fork.
 */
import { describe, expect, it } from "vitest";
import { checkBugCorpus } from "../bugs.ts";
import type { Chapter } from "../curriculum.ts";
import { DEFAULT_SETTINGS } from "../grade.ts";
import { workbook } from "./workbooks.ts";

const SOLUTION = "export function add(a: number, b: number): number { return a + b; }\n";

/** A bug of chapter 01 whose `add` returns `body`, rejected by "Task 1: add > adds". */
const bug = (what: string, body: string) => `${what}
rejected by: Task 1: add > adds
--- a/solutions/01-poll/index.ts
+++ b/solutions/01-poll/index.ts
@@ -1 +1 @@
-${SOLUTION.trimEnd()}
+export function add(a: number, b: number): number { return ${body}; }
`;

describe("the bug corpus's named check", () => {
  it("keeps a shared fork's assertion failures and checks every other outcome again in a fresh fork", async () => {
    // The second file a fork runs finds an earlier file's leftovers: it blocks its thread, the watchdog kills the
    // fork, and the file after it is never run. Neither is a verdict on its bug; in a fork of their own (where each
    // file is the first) all three bugs fail the assertion.
    const test = `import { describe, expect, it } from "vitest";
import { add } from "#kata/01-poll";
const g = globalThis as { kataFiles?: number };
const nth = (g.kataFiles = (g.kataFiles ?? 0) + 1);
describe("Task 1: add", () => {
  it("adds", () => {
    while (nth === 2) {}
    expect(add(2, 1)).toBe(3);
  });
});
`;
    const wb = workbook({
      "solutions/01-poll/index.ts": SOLUTION,
      "chapters/01-poll/index.ts": "export function add(_a: number, _b: number): number { return 0; }\n",
      "tests/01-poll/add.test.ts": test,
      "tests/01-poll/bugs/subtracts.patch": bug("add subtracts", "a - b"),
      "tests/01-poll/bugs/multiplies.patch": bug("add multiplies", "a * b"),
      "tests/01-poll/bugs/ignores-b.patch": bug("add ignores its second operand", "a"),
    });
    try {
      const chapter = {
        id: "01-poll",
        hiddenTests: ["tests/01-poll/add.test.ts"],
        publicTests: [],
        manifest: { chapter: "01-poll", tests: [{ file: "tests/01-poll/add.test.ts", name: "Task 1: add > adds", task: 1, points: 1 }] },
      } as unknown as Chapter;
      const verdicts = await checkBugCorpus(wb.dir, [chapter], "named", { ...DEFAULT_SETTINGS, testTimeoutMs: 1_000, hardMs: 2_000, maxWorkers: 1 });
      expect(verdicts.map((v) => `${v.bug}: ${v.status} (${v.rejectedBy.map((r) => `${r.status}: ${r.message}`).join("; ")})`)).toEqual([
        "ignores-b: rejected (fail: expected 2 to be 3 // Object.is equality)",
        "multiplies: rejected (fail: expected 2 to be 3 // Object.is equality)",
        "subtracts: rejected (fail: expected 1 to be 3 // Object.is equality)",
      ]);
    } finally {
      wb.dispose();
    }
  }, 120_000);
});
