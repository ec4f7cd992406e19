/**
 * `kata release` end to end: the bundle is built into a temporary directory, committed to a fresh git repository
 * and cloned, as a student would get it; the clone "installs" offline (node_modules linked from this repository)
 * and runs the two commands its README gives, `npm test` and `npm start`. Nothing of solutions/ or tests/ is in it.
 */
import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { release } from "../release.ts";
import { ROOT } from "./workbooks.ts";

const dir = mkdtempSync(join(tmpdir(), "kata-release-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function npm(cwd: string, script: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, CI: "true", NO_COLOR: "1" };
    delete env.KATA_MODE;
    execFile("npm", ["run", "--silent", script], { cwd, env, timeout: 300_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : 1, out: stdout + stderr });
    });
  });
}

describe("kata release", () => {
  it("a fresh clone of the bundle passes its public checks (npm test, npm start) and holds no solution or hidden test", async () => {
    const bundle = join(dir, "bundle");
    const clone = join(dir, "clone");
    const result = await release(ROOT, bundle);
    const git = (cwd: string, ...args: string[]) => execFileSync("git", ["-c", "user.email=ci@kata", "-c", "user.name=ci", ...args], { cwd, encoding: "utf8" });
    git(bundle, "init", "-q");
    git(bundle, "add", "-A");
    git(bundle, "commit", "-qm", "student bundle");
    git(dir, "clone", "-q", bundle, clone);

    const files = git(clone, "ls-files").trim().split("\n");
    expect(files.length).toBe(result.files.length);
    expect(files.filter((f) => /^(solutions|tests)\//.test(f)), "files of solutions/ or tests/").toEqual([]);
    for (const f of ["README.md", ".github/workflows/classroom.yml", "package.json", "package-lock.json", "grader/examples.json", "grader/pristine.json", "chapters/01-poll/README.md", "chapters/01-poll/HINTS.md"]) {
      expect(files, f).toContain(f);
    }
    expect(files.some((f) => f.startsWith("grader/test/") || f.startsWith("grader/mutate/")), "the grader's own tests and the mutation tooling").toBe(false);
    const pkg = JSON.parse(readFileSync(join(clone, "package.json"), "utf8")) as { imports: Record<string, unknown>; scripts: Record<string, string> };
    expect(JSON.stringify(pkg.imports), "no import condition points at solutions/").not.toMatch(/solutions|kata-ref/);
    expect(pkg.scripts.start).toBe("node --import ./kit/ts-register.mjs grader/cli.ts watch");
    expect(pkg.scripts.test).toBe("node --import ./kit/ts-register.mjs grader/cli.ts test");
    const readme = readFileSync(join(clone, "README.md"), "utf8");
    expect(readme).toContain("npm install && npm start");
    expect(readme).toContain("npm test");
    expect(readFileSync(join(clone, ".github/workflows/classroom.yml"), "utf8")).toContain("autograding-grading-reporter");

    symlinkSync(join(ROOT, "node_modules"), join(clone, "node_modules"), "dir");
    const test = await npm(clone, "test");
    expect(test.code, test.out).toBe(0);
    expect(test.out).toMatch(/your progress: 0 of \d+ tests pass in 0 of 19 chapters done/);
    expect(test.out).toContain("types: your chapters type-check");
    expect(test.out).toContain("the workbook and its tools are whole");

    const start = await npm(clone, "start");
    expect(start.code, start.out).toBe(0);
    expect(start.out).toMatch(/Chapter 01: /);
    expect(start.out).toContain("Public examples");
    expect(existsSync(join(clone, "solutions")) || existsSync(join(clone, "tests"))).toBe(false);
  }, 600_000);
});
