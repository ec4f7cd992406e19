/**
 * `kata reset` finds the pristine stubs in a release's snapshot or in git, restores only what differs, keeps the
 * learner's extra files and backs up what it overwrites; `kata solution` and `kata reset` refuse politely. The
 * workbooks here are temporary copies: this repository's chapters are only read.
 */
import { execFile, execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { applyReset, planReset, PRISTINE_SNAPSHOT, pristineSource, PristineError, writePristineSnapshot } from "../watch/pristine.ts";
import { ROOT } from "./workbooks.ts";

function copyOfChapters(): string {
  const dir = mkdtempSync(join(tmpdir(), "kata-reset-"));
  cpSync(join(ROOT, "chapters", "01-poll"), join(dir, "chapters", "01-poll"), { recursive: true });
  return dir;
}

/** The learner's edits: one file changed, one deleted, one added. */
function edit(dir: string): void {
  writeFileSync(join(dir, "chapters/01-poll/ready.ts"), "// my Ready\n");
  unlinkSync(join(dir, "chapters/01-poll/spin.ts"));
  writeFileSync(join(dir, "chapters/01-poll/notes.ts"), "// mine\n");
}

function checkRestored(dir: string): void {
  expect(readFileSync(join(dir, "chapters/01-poll/ready.ts"), "utf8")).toBe(readFileSync(join(ROOT, "chapters/01-poll/ready.ts"), "utf8"));
  expect(readFileSync(join(dir, "chapters/01-poll/spin.ts"), "utf8")).toBe(readFileSync(join(ROOT, "chapters/01-poll/spin.ts"), "utf8"));
  expect(existsSync(join(dir, "chapters/01-poll/notes.ts")), "the learner's own file is kept").toBe(true);
}

describe("kata reset", () => {
  it("from a release snapshot: restores what differs or is missing, keeps the rest, backs up what it overwrites", () => {
    const dir = copyOfChapters();
    try {
      const snapshot = writePristineSnapshot(dir, "0123456789abcdef");
      expect(snapshot.chapters["01-poll"]!.map((f) => f.path)).toContain("chapters/01-poll/ready.ts");
      edit(dir);
      const source = pristineSource(dir);
      expect(source.describe).toContain(PRISTINE_SNAPSHOT);
      const plan = planReset(dir, source, "01-poll");
      expect(plan.restore.map((f) => f.path).sort()).toEqual(["chapters/01-poll/ready.ts", "chapters/01-poll/spin.ts"]);
      expect(plan.kept).toEqual(["chapters/01-poll/notes.ts"]);
      applyReset(dir, plan, join(dir, ".kata", "backup", "t"));
      checkRestored(dir);
      expect(readFileSync(join(dir, ".kata/backup/t/chapters/01-poll/ready.ts"), "utf8"), "the learner's version is kept aside").toBe("// my Ready\n");
      expect(planReset(dir, source, "01-poll").restore, "a second reset has nothing to do").toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a snapshot whose text does not match its hash is refused", () => {
    const dir = copyOfChapters();
    try {
      writePristineSnapshot(dir);
      const path = join(dir, PRISTINE_SNAPSHOT);
      writeFileSync(path, readFileSync(path, "utf8").replace("export", "exports"));
      expect(() => pristineSource(dir)).toThrow(PristineError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("from git: HEAD by default, or the commit --from names, whatever the learner committed since", () => {
    const dir = copyOfChapters();
    const git = (...args: string[]) => execFileSync("git", ["-C", dir, "-c", "user.name=t", "-c", "user.email=t@t", ...args], { encoding: "utf8" });
    try {
      git("init", "-q");
      git("add", "chapters");
      git("commit", "-q", "-m", "stubs");
      const stubs = git("rev-parse", "HEAD").trim();
      edit(dir);
      applyReset(dir, planReset(dir, pristineSource(dir), "01-poll"), join(dir, "backup"));
      checkRestored(dir);
      edit(dir);
      git("add", "chapters");
      git("commit", "-q", "-m", "my work");
      expect(planReset(dir, pristineSource(dir), "01-poll").restore, "HEAD is now the learner's work").toEqual([]);
      const source = pristineSource(dir, stubs);
      expect(source.describe).toBe(`git ${stubs} (${stubs.slice(0, 7)})`);
      applyReset(dir, planReset(dir, source, "01-poll"), join(dir, "backup2"));
      checkRestored(dir);
      expect(() => pristineSource(dir, "no-such-rev")).toThrow(/git knows no commit "no-such-rev"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("without a snapshot or a git clone there is nothing to restore from", () => {
    const dir = copyOfChapters();
    try {
      expect(() => pristineSource(dir)).toThrow(/no pristine stubs/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function kata(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(join(ROOT, "node_modules", ".bin", "tsx"), [join(ROOT, "grader", "cli.ts"), ...args], { cwd: ROOT }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr });
    });
  });
}

describe("kata reset and kata solution on the command line (this repository, read only)", () => {
  it("reset needs a chapter, and asks before overwriting: without a terminal it wants --yes", async () => {
    const none = await kata("reset");
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^kata: which chapter\?/m);
    // No --yes and no terminal: it never writes. This repository's chapter 01 is the stubs, so there is nothing to
    // do; were it edited (by an author, right now), the command would list the files and refuse.
    const asked = await kata("reset", "01");
    if (asked.code === 0) expect(asked.stdout).toMatch(/already as pristine as git HEAD/);
    else {
      expect(asked.code).toBe(2);
      expect(asked.stderr).toMatch(/run it in a terminal, or add --yes/);
    }
  }, 30_000);

  it("solution refuses while the chapter fails, and --force shows it with a warning", async () => {
    const refused = await kata("solution", "01");
    expect(refused.code, refused.stderr).toBe(1);
    expect(refused.stdout).toMatch(/Chapter 01 does not pass yet .*: its reference is shown once it does/);
    expect(refused.stdout).not.toContain("solutions/01-poll/");
    const forced = await kata("solution", "01", "--force");
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toMatch(/^Warning: chapter 01 does not pass yet/m);
    expect(forced.stdout).toContain("──── solutions/01-poll/ready.ts ────");
    expect(forced.stdout).toContain(readFileSync(join(ROOT, "solutions/01-poll/ready.ts"), "utf8").trim().split("\n")[0]);
  }, 90_000);
});
