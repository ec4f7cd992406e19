/**
 * Honesty gate 3: each chapter's stubs export what its solution exports.
 *
 * At run time (exports-probe.ts): the same names, each of the same kind, functions and classes of the same
 * arity, classes with the same prototype and static members, constants with the same value. At the type level
 * (TypeScript 7 has no compiler API, and classes with private fields are nominal, so types are not compared
 * directly): the reference tree's users of chapter NN and the tests are type-checked with the conditions of
 * solo:NN, i.e. with chapter NN's stubs in place of its solution. If a stub's signatures differ from what the
 * other chapters and the tests use, that fails.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { conditionsFor, parseMode } from "#kit/modes";
import { chapterNumber, type Chapter } from "./curriculum.ts";
import type { Member, ProbeResult, Shape } from "./exports-probe.ts";
import { pool } from "./grade.ts";
import { runTool, tscArgs, type ToolResult } from "./tools.ts";

function describeMember(m: Member): string {
  const parts = [m.kind];
  if (m.arity !== undefined) parts.push(`arity ${m.arity}`);
  if (m.value !== undefined) parts.push(`value ${JSON.stringify(m.value)}`);
  return parts.join(", ");
}

/** What differs between a chapter's exports and its solution's. */
export function compareShapes(chapter: Shape, solution: Shape): string[] {
  const problems: string[] = [];
  for (const name of Object.keys(solution)) {
    const want = solution[name]!;
    const got = chapter[name];
    if (got === undefined) {
      problems.push(`missing export ${name} (${describeMember(want)})`);
      continue;
    }
    if (got.kind !== want.kind || got.arity !== want.arity || got.value !== want.value) {
      problems.push(`${name}: ${describeMember(got)} in the chapter, ${describeMember(want)} in the solution`);
    }
    for (const key of ["members", "statics"] as const) {
      const missing = (want[key] ?? []).filter((k) => !(got[key] ?? []).includes(k));
      const extra = (got[key] ?? []).filter((k) => !(want[key] ?? []).includes(k));
      const what = key === "statics" ? "static members" : want.kind === "class" ? "methods" : "keys";
      if (missing.length > 0) problems.push(`${name}: ${what} missing from the chapter: ${missing.join(", ")}`);
      if (extra.length > 0) problems.push(`${name}: ${what} the solution does not have: ${extra.join(", ")}`);
    }
  }
  for (const name of Object.keys(chapter)) {
    if (!(name in solution)) problems.push(`extra export ${name}: the solution does not export it`);
  }
  return problems;
}

export async function runtimeExports(root: string, chapters: readonly Chapter[]): Promise<string[]> {
  const conditions = conditionsFor(parseMode("reference")).map((c) => `--conditions=${c}`);
  const probe = join(root, "grader", "exports-probe.ts");
  const result = await runTool(process.execPath, [...conditions, "--import", "tsx", probe, root, ...chapters.map((c) => c.id)], root, 60_000);
  if (result.code !== 0) return [`the exports probe failed: ${result.output.slice(-800)}`];
  const shapes = JSON.parse(result.stdout) as ProbeResult;
  const problems: string[] = [];
  for (const c of chapters) {
    const pair = shapes[c.id];
    if (pair === undefined) continue;
    if ("error" in pair.chapter) problems.push(`chapters/${c.id}/index.ts does not import in solo mode: ${String(pair.chapter.error)}`);
    if ("error" in pair.solution) problems.push(`solutions/${c.id}/index.ts does not import: ${String(pair.solution.error)}`);
    if ("error" in pair.chapter || "error" in pair.solution) continue;
    problems.push(...compareShapes(pair.chapter as Shape, pair.solution as Shape).map((p) => `${c.id}: ${p}`));
  }
  return problems;
}

/** The .ts files under `dir` (relative to root), recursively. */
function tsFiles(root: string, dir: string): string[] {
  if (!existsSync(join(root, dir))) return [];
  return readdirSync(join(root, dir), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts"))
    .map((f) => `${dir}/${f.split("\\").join("/")}`);
}

/**
 * The tsconfig of the type-level check of chapter NN, in `.kata/` (git-ignored): chapter NN's stubs and every
 * file of the reference tree that imports `#kata/NN-slug` (tsc adds what they import). solutions/NN is left out:
 * nothing imports it in solo:NN, and its own references would meet the stubs' types.
 */
export function soloTsconfig(root: string, chapter: Chapter): string {
  const dir = join(root, ".kata");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `tsconfig.solo-${chapterNumber(chapter.id)}.json`);
  const specifier = `"#kata/${chapter.id}"`;
  const users = ["solutions", "kit", "tests"]
    .flatMap((d) => tsFiles(root, d))
    .filter((f) => !f.startsWith(`solutions/${chapter.id}/`) && readFileSync(join(root, f), "utf8").includes(specifier));
  const config = {
    extends: "../tsconfig.base.json",
    compilerOptions: { customConditions: conditionsFor(parseMode(`solo:${chapterNumber(chapter.id)}`)) },
    files: [...tsFiles(root, `chapters/${chapter.id}`), ...users].map((f) => `../${f}`),
  };
  writeFileSync(file, JSON.stringify(config, null, 2) + "\n");
  return file;
}

const errorLines = (output: string) => output.split("\n").filter((l) => /error TS\d+/.test(l));

/**
 * Type-checks each chapter's solo tree. Errors the reference tree has too (`reference`: the output of
 * `tsc -p tsconfig.solutions.json`, work in progress elsewhere) are not the chapter's, and are left to gate 4.
 */
export async function typeLevelExports(root: string, chapters: readonly Chapter[], reference: ToolResult): Promise<string[]> {
  const known = new Set(errorLines(reference.output));
  const results = await pool(chapters, 2, async (c) => {
    const result = await runTool(process.execPath, tscArgs(soloTsconfig(root, c)), root, 120_000);
    if (result.code !== 0 && errorLines(result.output).length === 0) return [`${c.id}: tsc failed: ${result.output.trim().slice(-800)}`];
    const errors = errorLines(result.output).filter((l) => !known.has(l));
    if (errors.length === 0) return [];
    return [`${c.id}: the solutions and tests do not type-check with chapters/${c.id} in place of its solution:\n    ${errors.slice(0, 12).join("\n    ")}`];
  });
  return results.flat();
}
