/**
 * The warm vitest host of watch mode against hostile chapter code, without a terminal: code that kills the host
 * (its test fork's parent) makes an untrusted run whose tests all fail, and the next check starts a fresh host;
 * code that exits its fork is caught like in a grading run. In a temporary copy of the workbook.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCurriculum } from "../curriculum.ts";
import { WarmChecker } from "../watch/checker.ts";
import { ROOT } from "./workbooks.ts";

describe("watch mode's warm host", () => {
  let dir = "";
  let checker: WarmChecker;
  let index = "";
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "kata-warm-"));
    for (const name of ["package.json", "kit", "solutions", "tests", "chapters", "grader"]) {
      cpSync(join(ROOT, name), join(dir, name), { recursive: true, filter: (src) => !src.startsWith(join(ROOT, "grader", "mutate")) });
    }
    symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
    const chapter = loadCurriculum(dir).chapters.find((c) => c.id === "01-poll")!;
    checker = new WarmChecker(dir, chapter);
    index = readFileSync(join(dir, "chapters/01-poll/index.ts"), "utf8");
  });
  afterAll(() => {
    checker?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it("checks the stubs, survives code that kills it, and checks again in a fresh host", async () => {
    const stubs = await checker.check();
    expect(stubs.status).toBe("not-started");
    expect(stubs.total).toBeGreaterThan(10);

    writeFileSync(join(dir, "chapters/01-poll/index.ts"), `process.kill(process.ppid, "SIGKILL");\n${index}`);
    const killed = await checker.check();
    expect(killed.passed).toBe(0);
    for (const t of killed.tests) {
      expect(t.status).toBe("error");
      expect(t.message).toMatch(/the test run was killed by SIGKILL/);
    }

    writeFileSync(join(dir, "chapters/01-poll/index.ts"), index);
    cpSync(join(dir, "solutions/01-poll"), join(dir, "chapters/01-poll"), { recursive: true });
    const solved = await checker.check();
    expect(solved.status, solved.tests.find((t) => t.status !== "pass")?.message).toBe("done");
  }, 120_000);

  it("code that exits its test fork fails the tests it ran in, and the host goes on", async () => {
    writeFileSync(join(dir, "chapters/01-poll/index.ts"), `process.exit(0);\n${readFileSync(join(dir, "solutions/01-poll/index.ts"), "utf8")}`);
    const exited = await checker.check();
    expect(exited.passed).toBe(0);
    writeFileSync(join(dir, "chapters/01-poll/index.ts"), readFileSync(join(dir, "solutions/01-poll/index.ts"), "utf8"));
    expect((await checker.check()).status).toBe("done");
  }, 120_000);
});
