/**
 * `kata test` (`npm test` in a student's bundle): are the workbook and its tools whole, and where does the
 * student stand?
 *
 * It checks that every chapter has its files (kata.json, README.md, HINTS.md, index.ts, the public examples its
 * manifest lists) and that the tools are installed, runs every chapter's graded tests once (in a bundle: the public
 * examples, on the student's chapters) and type-checks the student's tree. A stub that fails its examples, or a
 * type error in the student's code, is progress to report, not a failure: the exit code is 0 unless the tooling
 * itself is broken (a missing file, vitest or tsc that will not run), then 1.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { loadCurriculum } from "./curriculum.ts";
import { gradeChapters } from "./grade.ts";
import { paint, statusText, waitsOn, type Paint } from "./render.ts";
import { runTool, tscArgs } from "./tools.ts";

export interface SelfTest {
  problems: string[];
  lines: string[];
}

export async function selfTest(root: string, p: Paint = paint(false)): Promise<SelfTest> {
  const problems: string[] = [];
  const lines: string[] = [];
  for (const tool of ["vitest", "tsx", "typescript", "zod"]) {
    if (!existsSync(join(root, "node_modules", tool, "package.json"))) problems.push(`node_modules/${tool} is missing: run npm install`);
  }
  const chapters = loadCurriculum(root).chapters.filter((c) => c.status === "available");
  if (chapters.length === 0) problems.push("no chapter found under chapters/");
  for (const c of chapters) {
    for (const name of ["README.md", "HINTS.md", "index.ts"]) {
      if (!existsSync(join(root, "chapters", c.id, name))) problems.push(`chapters/${c.id}/${name} is missing`);
    }
    for (const file of new Set(c.manifest?.tests.map((t) => t.file) ?? [])) {
      if (!existsSync(join(root, file))) problems.push(`${file} is missing (its tests are graded)`);
    }
  }
  if (problems.length > 0) return { problems, lines };

  // A bundle has no solutions/: every chapter resolves to the student's, so solo mode is the integrated one, and
  // one vitest project (integrated) spares eighteen projects that would each transform the modules again.
  const mode = existsSync(join(root, "solutions")) ? "solo" : "integrated";
  const reports = await gradeChapters({ workspace: root, chapters, mode });
  const passed = reports.reduce((n, r) => n + r.passed, 0);
  const total = reports.reduce((n, r) => n + r.total, 0);
  for (const r of reports) {
    const mark = r.status === "done" ? p.ok("✓") : " ";
    lines.push(`${mark} ${r.id.padEnd(20)} ${statusText({ ...r, waitsOn: waitsOn(r) })}`);
  }
  const tsc = await runTool(process.execPath, tscArgs("tsconfig.json"), root, 300_000);
  const typeErrors = tsc.output.split("\n").filter((l) => /error TS\d+/.test(l));
  if (tsc.code !== 0 && typeErrors.length === 0) problems.push(`tsc did not run: ${tsc.output.trim().split("\n").slice(-3).join(" ")}`);
  lines.push("");
  lines.push(`your progress: ${passed} of ${total} tests pass in ${reports.filter((r) => r.status === "done").length} of ${reports.length} chapters done`);
  if (typeErrors.length === 0) lines.push(p.ok("types: your chapters type-check"));
  else {
    lines.push(p.warn(`types: ${typeErrors.length} type error(s) in your code (they do not stop the tests; fix them all the same):`));
    for (const e of typeErrors.slice(0, 5)) lines.push(p.dim(`  ${e.trim()}`));
  }
  return { problems, lines };
}
