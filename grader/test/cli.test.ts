/**
 * The command line's contract: help lists every command, and the grader's own failures exit with 2, with one line
 * that says what went wrong.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./workbooks.ts";

function kata(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // as `npm run kata` starts it: through the kit's TypeScript hooks
    const argv = ["--import", join(ROOT, "kit", "ts-register.mjs"), join(ROOT, "grader", "cli.ts"), ...args];
    execFile(process.execPath, argv, { cwd: ROOT }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr });
    });
  });
}

/** Runs the commands side by side; each must exit with 2 and say why in a line that matches `message`. */
async function expectRefused(cases: string[][], message: RegExp): Promise<void> {
  const results = await Promise.all(cases.map((args) => kata(...args)));
  results.forEach(({ code, stderr }, i) => {
    const what = cases[i]!.join(" ");
    expect(code, what).toBe(2);
    expect(stderr, what).toMatch(message);
  });
}

describe("kata on the command line", () => {
  it("help: every command, exit 0", async () => {
    const { code, stdout } = await kata("help");
    expect(code).toBe(0);
    for (const c of ["start", "list", "check", "hint", "grade", "manifest", "verify"]) expect(stdout).toMatch(new RegExp(`^  ${c}\\b`, "m"));
  }, 30_000);

  it("exits 2 when the grader cannot run: unknown command or option, bad format, missing submission, no submissions, --jobs without --submissions, stray arguments", async () => {
    const empty = mkdtempSync(join(tmpdir(), "kata-class-"));
    const cases = [
      ["frobnicate"],
      ["verify", "--chapter", "03"],
      ["list", "extra"],
      ["grade", "--bogus"],
      ["grade", "--format", "xml"],
      ["grade", "--submission", join(ROOT, "no-such-dir")],
      ["grade", "--submissions", empty, "--out", join(empty, "results")],
      ["grade", "--jobs", "2", "--chapters", "01"],
      ["check", "99"],
    ];
    await expectRefused(cases, /^kata: /m);
  }, 60_000);

  it("an output it cannot write: one line and exit 2, never a stack trace or a hang", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "kata-out-")), "a-file");
    writeFileSync(file, "");
    const cases = [
      ["release", "--out", join(file, "bundle")],
      ["grade", "--reference", "--chapters", "01", "--out", join(file, "results.json")],
    ];
    // Node 20's recursive mkdir never returns for a directory under /proc (mkdir says ENOENT, and it retries)
    if (existsSync("/proc/self")) cases.push(["release", "--out", "/proc/kata-no-such-dir"]);
    await expectRefused(cases, /^kata: .*(ENOTDIR|ENOENT)/m);
  }, 90_000);

  it("kata run on a port in use: one line that names the address, exit 1", async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = busy.address() as AddressInfo;
      const { code, stderr } = await kata("run", "echo", "--reference", "--port", String(port));
      expect(code).toBe(1);
      expect(stderr).toMatch(new RegExp(`^kata run: cannot listen on 127\\.0\\.0\\.1:${port}: Address already in use`, "m"));
      expect(stderr, "no stack trace").not.toMatch(/^\s+at /m);
    } finally {
      busy.close();
    }
  }, 30_000);
});
