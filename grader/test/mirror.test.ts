/**
 * Mirrors (mirror.ts) on a small synthetic workbook: which modules a replaced chapter makes a mirror copy (those
 * its tests load that depend on it), which it links, and that a test run in the mirror sees the replacement where
 * the workbook would see the solution; and the run plan's `only` list, with which the bug corpus runs each bug's
 * named test alone.
 */
import { cpSync, lstatSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { conditionsFor, parseMode } from "#kit/modes";
import { DEFAULT_SETTINGS, runSuites } from "../grade.ts";
import { buildMirror, dependents, mirrorCopies, mirrorOutcome, moduleGraph } from "../mirror.ts";
import { CANARY } from "../run/protocol.ts";
import { runPlan } from "../run/spawn.ts";
import { workbook } from "./workbooks.ts";

describe("mirrors", () => {
  it("copy what depends on the replaced chapter, link the rest, and run the replacement", async () => {
    const wb = workbook({
      "solutions/01-poll/index.ts": 'export { answer } from "./answer.ts";\n',
      "solutions/01-poll/answer.ts": "export const answer = 42;\n",
      "chapters/01-poll/index.ts": "export const answer = 0;\n",
      "kit/uses.ts": 'import { answer } from "#kata/01-poll";\nexport const doubled = () => answer * 2;\n',
      "kit/alone.ts": "export const one = 1;\n",
      "kit/unused.ts": 'import { answer } from "#kata/01-poll";\nexport const tripled = () => answer * 3;\n',
      "tests/01-poll/a.test.ts":
        'import { expect, it } from "vitest";\nimport { doubled } from "#kit/uses";\nimport { one } from "#kit/alone";\nit("doubles", () => { expect(doubled() + one).toBe(85); });\n',
    });
    try {
      const graph = moduleGraph(wb.dir);
      expect(graph.get("kit/uses.ts")).toEqual(["solutions/01-poll/index.ts"]);
      expect(graph.get("solutions/01-poll/index.ts")).toEqual(["solutions/01-poll/answer.ts"]);
      expect([...dependents(graph, "01-poll")].sort()).toEqual(["kit/unused.ts", "kit/uses.ts", "tests/01-poll/a.test.ts"]);
      const copies = mirrorCopies(graph, dependents(graph, "01-poll"), ["tests/01-poll/a.test.ts"]);
      expect([...copies].sort(), "what the test loads and depends on the chapter").toEqual(["kit/uses.ts", "tests/01-poll/a.test.ts"]);

      const mirror = join(wb.dir, ".kata", "stub");
      mkdirSync(join(mirror, "chapters"), { recursive: true });
      cpSync(join(wb.dir, "chapters", "01-poll"), join(mirror, "chapters", "01-poll"), { recursive: true });
      buildMirror(wb.dir, mirror, "01-poll", "chapters", copies);
      expect(lstatSync(join(mirror, "kit/uses.ts")).isSymbolicLink(), "a module that imports the chapter").toBe(false);
      expect(lstatSync(join(mirror, "kit/alone.ts")).isSymbolicLink(), "a module that does not").toBe(true);
      expect(lstatSync(join(mirror, "kit/unused.ts")).isSymbolicLink(), "a module that does, which the test never loads").toBe(true);
      expect(lstatSync(join(mirror, "solutions/01-poll")).isSymbolicLink(), "a folder without copies").toBe(true);
      const pkg = JSON.parse(readFileSync(join(mirror, "package.json"), "utf8")) as { imports: Record<string, unknown> };
      expect(pkg.imports["#kata/01-poll"]).toBe("./chapters/01-poll/index.ts");

      const files = ["tests/01-poll/a.test.ts", ".kata/stub/tests/01-poll/a.test.ts"];
      const outcome = await runSuites(wb.dir, [{ mode: "reference", files }], DEFAULT_SETTINGS, 60_000);
      const state = (o: typeof outcome) => o.results.flatMap((r) => (r.type === "test" && r.name === "doubles" ? [`${r.file}: ${r.state}`] : []));
      expect(state(mirrorOutcome(outcome, ".kata/stub")), "the mirror runs the stub (0 * 2 + 1)").toEqual(["tests/01-poll/a.test.ts: failed"]);
      expect(state(outcome), "the workbook runs the solution (42 * 2 + 1)").toContain("tests/01-poll/a.test.ts: passed");
    } finally {
      wb.dispose();
    }
  }, 60_000);

  it("a run's 'only' list runs the tests it names in their files, and every other test there is skipped", async () => {
    const wb = workbook({
      "solutions/01-poll/index.ts": "export const answer = 42;\n",
      "tests/01-poll/a.test.ts": 'import { expect, it } from "vitest";\nit("named", () => { expect(1).toBe(1); });\nit("other", () => { for (;;) {} });\n',
      "tests/01-poll/b.test.ts": 'import { expect, it } from "vitest";\nit("unlisted file", () => { expect(2).toBe(2); });\n',
    });
    try {
      const outcome = await runPlan(
        {
          root: wb.dir,
          projects: [{ name: "reference", conditions: conditionsFor(parseMode("reference")), files: ["tests/01-poll/a.test.ts", "tests/01-poll/b.test.ts"] }],
          testTimeoutMs: 1_000,
          hardMs: 2_000,
          heapMb: 256,
          maxWorkers: 1,
          only: ["tests/01-poll/a.test.ts\0named"],
        },
        60_000,
      );
      const states = outcome.results.flatMap((r) => (r.type === "test" && r.name !== CANARY ? [`${r.name}: ${r.state}`] : []));
      expect(states.sort()).toEqual(["named: passed", "other: skipped", "unlisted file: passed"]);
      expect(outcome.results.filter((r) => r.type === "test" && r.name === CANARY && r.state === "passed")).toHaveLength(2);
    } finally {
      wb.dispose();
    }
  }, 60_000);
});
