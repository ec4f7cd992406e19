/**
 * The `kata` commands (cli.ts is the entry point): `npm run kata -- <command>`, `npm start`.
 *
 * Exit codes: 0 when the command did its job (a grade of 0 points is still a grade), 1 when `check` or `verify`
 * found failures, 2 when the grader itself could not run (bad arguments, a missing directory, vitest that would
 * not start, a report that fails its own schema).
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { RUN_USAGE, runCommand } from "./apps/run.ts";
import { GRADE_USAGE, gradeCommand } from "./grade-command.ts";
import { integrationManifestFromRun, loadIntegration, writeIntegrationManifest } from "./integration.ts";
import { CurriculumError, loadCurriculum, resolveChapterArg, type Chapter } from "./curriculum.ts";
import { gradeChapters, SHARED_SETTINGS } from "./grade.ts";
import { parseHints } from "./lesson.ts";
import { manifestFromRun, referenceRun, writeManifest } from "./manifest.ts";
import { currentReports, remember, revealHint } from "./progress.ts";
import { chapterRow, paint, renderCheck, renderHelp, renderList, renderStart, startView, type CommandHelp } from "./render.ts";
import type { Mode } from "./report.ts";
import { RunFailure } from "./run/verdicts.ts";
import { releaseCommand, testCommand } from "./release-command.ts";
import { LEARNER_COMMANDS, runLearnerCommand } from "./watch/commands.ts";
import { UsageError } from "./usage.ts";
import { verify } from "./verify.ts";
import { WorkspaceError } from "./workspace.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url)).replace(/\/$/, "");

export const COMMANDS: CommandHelp[] = [
  ...LEARNER_COMMANDS.slice(0, 1),
  { usage: "start", summary: "where you stand and what to do next, printed once" },
  { usage: "list", summary: "every chapter with its status: coming, not started, N of M tests, done" },
  { usage: "check <chapter> [--integrated|--reference]", summary: "run one chapter's hidden tests; per task what passes, and the first failure" },
  { usage: "hint <chapter> [task]", summary: "reveal the next hint of a task (the first unfinished one by default)" },
  ...LEARNER_COMMANDS.slice(1),
  { usage: GRADE_USAGE, summary: "score every chapter and the integration suite, per test; a student's copy, or a folder of them (summary CSV and JSON)" },
  { usage: "manifest [--chapters 01,02,integration]", summary: "(authors) regenerate tests/NN-slug/manifest.json (and tests/integration/manifest.json) from a reference run" },
  { usage: RUN_USAGE, summary: "run an app (echo, chat, mini-redis) on the assembled runtime: your chapters, or the reference" },
  { usage: "bench [--reference] [--only W,W] [--rounds N] [--quick] [--json FILE]", summary: "benchmarks: your runtime (the reference with --reference) beside Node's own machinery, as ratios (`npm run bench` for the reference)" },
  { usage: "test", summary: "(`npm test` in a student's bundle) is the workbook whole, and how far along are you; exit 0 unless the tools are broken" },
  { usage: "release --out DIR", summary: "(instructors) the student bundle: stubs, lessons, hints, public examples, the grader; no solutions, no hidden tests" },
  { usage: "verify", summary: "(authors, CI) run the honesty gates: reference passes, stubs fail, same exports, types, lessons" },
  { usage: "help", summary: "this list" },
];

const color = () => process.stdout.isTTY === true && process.env.NO_COLOR === undefined;

/** The chapter a command names (`command`'s first argument, as in `check 01`). */
function chapterArg(arg: string | undefined, chapters: readonly Chapter[], command = "check"): Chapter {
  if (arg === undefined) throw new UsageError(`which chapter? e.g. \`npm run kata -- ${command} 01\``);
  const id = resolveChapterArg(arg);
  const chapter = chapters.find((c) => c.id === id);
  if (chapter === undefined) throw new UsageError(`no chapter "${arg}": chapters are 01-19 (see \`npm run kata -- list\`)`);
  if (chapter.status === "coming") throw new UsageError(`chapter ${chapter.id} is not written yet`);
  return chapter;
}

function chaptersOption(value: string | undefined, chapters: readonly Chapter[]): Chapter[] {
  const available = chapters.filter((c) => c.status === "available");
  if (value === undefined) return available;
  return value.split(",").map((arg) => chapterArg(arg, chapters));
}

function modeOption(values: { reference?: boolean; integrated?: boolean }, fallback: Mode): Mode {
  if (values.reference === true && values.integrated === true) throw new UsageError("--reference and --integrated exclude each other");
  return values.reference === true ? "reference" : values.integrated === true ? "integrated" : fallback;
}

async function check(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { reference: { type: "boolean" }, integrated: { type: "boolean" } } });
  const curriculum = loadCurriculum(ROOT);
  const chapter = chapterArg(positionals[0], curriculum.chapters);
  const mode = modeOption(values, "solo");
  const [report] = await gradeChapters({ workspace: ROOT, chapters: [chapter], mode });
  if (mode === "solo") remember(ROOT, [report!]);
  console.log(renderCheck(report!, paint(color())));
  return report!.status === "done" ? 0 : 1;
}

async function list(): Promise<number> {
  const curriculum = loadCurriculum(ROOT);
  const reports = await currentReports(ROOT, curriculum.chapters);
  console.log(renderList(curriculum.chapters.map((c) => chapterRow(c, reports.get(c.id))), paint(color())));
  return 0;
}

async function hint(args: string[]): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true });
  const curriculum = loadCurriculum(ROOT);
  const chapter = chapterArg(positionals[0], curriculum.chapters, "hint");
  const path = join(ROOT, "chapters", chapter.id, "HINTS.md");
  if (!existsSync(path)) throw new UsageError(`chapter ${chapter.id} has no HINTS.md yet`);
  const hints = parseHints(readFileSync(path, "utf8"));
  let task = positionals[1] === undefined ? undefined : Number(positionals[1]);
  if (task === undefined) {
    const report = (await currentReports(ROOT, [chapter])).get(chapter.id);
    task = report?.tests.find((t) => t.status !== "pass")?.task ?? 1;
  }
  const mine = hints.get(task);
  if (mine === undefined) throw new UsageError(`chapter ${chapter.id} has no task ${positionals[1] ?? task}`);
  const shown = revealHint(ROOT, chapter.id, task, mine.hints.length);
  const p = paint(color());
  console.log(p.bold(`Chapter ${chapter.number}, task ${task}: ${mine.title}`) + p.dim(` (hint ${shown} of ${mine.hints.length})`));
  mine.hints.slice(0, shown).forEach((h, i) => console.log(`${i + 1}. ${h.split("\n").join("\n   ")}`));
  if (shown < mine.hints.length) console.log(p.dim(`(run the same command again for the next hint)`));
  return 0;
}

async function manifest(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { chapters: { type: "string" } } });
  const curriculum = loadCurriculum(ROOT);
  const names = values.chapters?.split(",").map((s) => s.trim());
  const suite = names === undefined || names.includes("integration") ? loadIntegration(ROOT) : null;
  const only = names?.filter((n) => n !== "integration").join(",");
  const chapters = (only === "" ? [] : chaptersOption(only, curriculum.chapters)).filter((c) => c.hiddenTests.length > 0);
  if (chapters.length === 0 && suite === null) throw new UsageError("no chapter with hidden tests to make a manifest for");
  const outcome = await referenceRun(ROOT, [...chapters.flatMap((c) => c.hiddenTests), ...(suite?.files ?? [])], SHARED_SETTINGS);
  let failed = false;
  for (const chapter of chapters) {
    const { manifest, problems } = manifestFromRun(chapter, outcome);
    if (problems.length > 0) {
      failed = true;
      console.log(`${chapter.id}: not written:\n  ${problems.join("\n  ")}`);
      continue;
    }
    writeManifest(ROOT, manifest);
    console.log(`${chapter.id}: tests/${chapter.id}/manifest.json, ${manifest.tests.length} tests`);
  }
  if (suite !== null) {
    const { manifest, problems } = integrationManifestFromRun(suite, outcome);
    if (problems.length > 0) {
      failed = true;
      console.log(`integration: not written:\n  ${problems.join("\n  ")}`);
    } else {
      writeIntegrationManifest(ROOT, manifest);
      console.log(`integration: tests/integration/manifest.json, ${manifest.tests.length} tests`);
    }
  }
  return failed ? 1 : 0;
}

async function runVerify(): Promise<number> {
  const p = paint(color());
  const started = Date.now();
  const { gates, chapters } = await verify(ROOT, (g) => {
    const status = g.problems.length === 0 ? p.ok("ok") : p.bad(`${g.problems.length} problem(s)`);
    console.log(`gate ${g.gate}: ${status}  ${p.dim(`${g.checked}, ${(g.ms / 1000).toFixed(1)} s`)}`);
    for (const problem of g.problems) console.log(p.bad(`  - ${problem}`));
  });
  const failed = gates.filter((g) => g.problems.length > 0).length;
  console.log(p.dim(`chapters verified: ${chapters.length === 0 ? "none yet" : chapters.join(", ")}; ${((Date.now() - started) / 1000).toFixed(1)} s`));
  console.log(`verify: ${gates.length - failed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

async function start(): Promise<number> {
  const curriculum = loadCurriculum(ROOT);
  const interactive = process.stdout.isTTY === true && process.stdin.isTTY === true;
  const show = async () => {
    if (interactive) process.stdout.write("\u001b[2J\u001b[H" + "checking your chapters…\n");
    const reports = await currentReports(ROOT, loadCurriculum(ROOT).chapters);
    const text = renderStart(startView(curriculum.chapters, reports), paint(color()));
    if (interactive) process.stdout.write("\u001b[2J\u001b[H");
    console.log(text);
  };
  await show();
  if (!interactive) return 0;
  console.log(paint(true).dim("\n[r] check again   [q] quit"));
  process.stdin.setRawMode(true);
  process.stdin.setEncoding("utf8");
  return new Promise((resolve) => {
    let busy = false;
    process.stdin.on("data", (key: string) => {
      if (key === "q" || key === "\u0003") {
        process.stdin.setRawMode(false);
        process.stdin.pause();
        resolve(0);
      } else if (key === "r" && !busy) {
        busy = true;
        void show().then(() => {
          console.log(paint(true).dim("\n[r] check again   [q] quit"));
          busy = false;
        });
      }
    });
  });
}

/** `kata bench`: grader/bench/run.ts in a child of its own, the learner's chapters beside the reference unless --reference. */
function bench(args: string[]): Promise<number> {
  if (!existsSync(join(ROOT, "grader", "bench", "run.ts")) || !existsSync(join(ROOT, "solutions"))) {
    throw new UsageError("benchmarks measure your runtime beside the reference, which this copy does not have: run them in the workbook's repository");
  }
  const reference = args.includes("--reference");
  const rest = args.filter((a) => a !== "--reference");
  const argv = ["--import", "tsx", join(ROOT, "grader", "bench", "run.ts"), ...(reference ? [] : ["--learner"]), ...rest];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, argv, { cwd: ROOT, stdio: "inherit" });
    child.on("exit", (code) => resolve(code ?? 1));
  });
}

/** A command that takes no arguments refuses any: `verify --chapter 03` must not quietly verify everything. */
function noArguments(command: string, args: readonly string[]): void {
  if (args.length > 0) throw new UsageError(`${command} takes no arguments (got "${args.join(" ")}"); see \`npm run kata -- help\``);
}

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case undefined:
      case "help":
      case "--help":
      case "-h":
        console.log(renderHelp(COMMANDS));
        return 0;
      case "start":
        noArguments(command, args);
        return await start();
      case "list":
        noArguments(command, args);
        return await list();
      case "check":
        return await check(args);
      case "hint":
        return await hint(args);
      case "grade":
        return await gradeCommand(ROOT, args, color());
      case "manifest":
        return await manifest(args);
      case "verify":
        noArguments(command, args);
        return await runVerify();
      case "test":
        noArguments(command, args);
        return await testCommand(ROOT, color());
      case "release":
        return await releaseCommand(ROOT, args);
      case "run":
        return await runCommand(args);
      case "bench":
        return await bench(args);
      case "watch":
      case "reset":
      case "solution":
      case "ui":
      case "trace":
        return await runLearnerCommand(ROOT, command, args);
      default:
        throw new UsageError(`unknown command "${command}"; see \`npm run kata -- help\``);
    }
  } catch (e) {
    if (e instanceof UsageError || e instanceof CurriculumError || e instanceof WorkspaceError || e instanceof RunFailure) {
      console.error(`kata: ${e.message}`);
      return 2;
    }
    if (e instanceof TypeError && "code" in e && typeof e.code === "string" && e.code.startsWith("ERR_PARSE_ARGS")) {
      console.error(`kata: ${e.message}`);
      return 2;
    }
    // A file the command could not read or write (an --out in a missing directory): Node's message names it.
    if (e instanceof Error && "syscall" in e && "path" in e) {
      console.error(`kata: ${e.message}`);
      return 2;
    }
    console.error(e);
    return 2;
  }
}
