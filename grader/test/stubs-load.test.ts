/**
 * The student bundle runs a student's chapters with no reference beside them, so every chapter's modules must load
 * on the pristine stubs of all the others: a stub called while a module loads throws, and then no example of any
 * chapter importing it can even start. (Chapter 11's driver once computed `Token(0)`, chapter 10's, at load:
 * chapters 07-09's examples could not load before chapter 10 was done.)
 */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { SLUGS } from "../curriculum.ts";
import { ROOT } from "./workbooks.ts";

describe("the pristine stubs", () => {
  it("every chapter's index.ts loads on the stubs of all the chapters (integrated mode, as in the bundle)", () => {
    const script = `for (const id of ${JSON.stringify(SLUGS)}) await import("#kata/" + id);`;
    const run = spawnSync(process.execPath, ["--import", "./kit/ts-register.mjs", "--input-type=module", "-e", script], { cwd: ROOT, encoding: "utf8" });
    const thrown = run.stderr.split("\n").find((l) => /^\w*Error: /.test(l)) ?? run.stderr.slice(0, 300);
    expect(run.status, `loading the chapters threw: ${thrown}`).toBe(0);
  }, 60_000);
});
