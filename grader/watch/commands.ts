/**
 * The learner's commands beyond checking: `watch` (what `npm start` runs), `reset`, `solution`, `ui` and `trace`. Each
 * parses its own arguments and returns an exit code (0 done, 1 refused, 2 the command could not run);
 * `grader/commands.ts` dispatches to them.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { CurriculumError, loadCurriculum, resolveChapterArg, type Chapter, type ChapterId } from "../curriculum.ts";
import { gradeChapters } from "../grade.ts";
import { cachedReports, chapterKey, remember } from "../progress.ts";
import { paint, statusText, type CommandHelp } from "../render.ts";
import { RunFailure } from "../run/verdicts.ts";
import { killGroup } from "../tools.ts";
import { TRACE_HELP, traceCommand, TraceError } from "../trace/command.ts";
import { applyReset, planReset, pristineSource, PristineError } from "./pristine.ts";
import { BOUND_OPTIONS, boundedSettings } from "../grade-command.ts";
import { watch } from "./watch.ts";

export const LEARNER_COMMANDS: CommandHelp[] = [
  {
    usage: "watch [chapter] [--manual-run] [--timeout S] [--hang S] [--memory MB]",
    summary: "watch mode (`npm start`): your chapter re-checked on every save; h hint, n next chapter, l list, c check all, r re-run, q quit",
  },
  { usage: "reset <chapter|all> [--yes] [--from <git-rev>]", summary: "restore a chapter's pristine stubs (after confirmation; your files are backed up in .kata/backup/)" },
  { usage: "solution <chapter> [--force]", summary: "show the reference solution of a chapter once it passes (--force: now, spoiling it)" },
  { usage: "ui [chapter] [--port N]", summary: "the vitest UI on 127.0.0.1 for your chapters' public examples" },
  TRACE_HELP,
];

class LearnerError extends Error {
  override readonly name = "LearnerError";
}

const color = () => process.stdout.isTTY === true && process.env.NO_COLOR === undefined;
const interactive = () => process.stdin.isTTY === true && process.stdout.isTTY === true;

function chapterArg(arg: string, chapters: readonly Chapter[]): Chapter {
  const id = resolveChapterArg(arg);
  const chapter = chapters.find((c) => c.id === id);
  if (chapter === undefined) throw new LearnerError(`no chapter "${arg}": chapters are 01-19 (see \`npm run kata -- list\`)`);
  if (chapter.status === "coming") throw new LearnerError(`chapter ${chapter.id} is not written yet`);
  return chapter;
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

/** Runs a learner command, turning its expected failures into a message and exit code 2. */
export async function runLearnerCommand(root: string, command: string, args: string[]): Promise<number> {
  try {
    switch (command) {
      case "watch":
        return await watchCommand(root, args);
      case "reset":
        return await resetCommand(root, args);
      case "solution":
        return await solutionCommand(root, args);
      case "ui":
        return await uiCommand(root, args);
      case "trace":
        return await traceCommand(root, args);
      default:
        throw new LearnerError(`unknown command "${command}"`);
    }
  } catch (e) {
    const ours = e instanceof LearnerError || e instanceof PristineError || e instanceof TraceError || e instanceof CurriculumError || e instanceof RunFailure;
    const parse = e instanceof TypeError && "code" in e && typeof e.code === "string" && e.code.startsWith("ERR_PARSE_ARGS");
    if (!ours && !parse) throw e;
    console.error(`kata: ${(e as Error).message}`);
    return 2;
  }
}

async function watchCommand(root: string, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { "manual-run": { type: "boolean" }, ...BOUND_OPTIONS } });
  const chapters = loadCurriculum(root).chapters;
  const chapter = positionals[0] === undefined ? undefined : chapterArg(positionals[0], chapters).id;
  const manualRun = values["manual-run"] === true || process.env.KATA_MANUAL_RUN === "1";
  return watch({ root, manualRun, settings: boundedSettings(values), ...(chapter === undefined ? {} : { chapter }) });
}

async function resetCommand(root: string, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { yes: { type: "boolean" }, from: { type: "string" } } });
  if (positionals.length !== 1) throw new LearnerError(oneChapter("reset", positionals, "`npm run kata -- reset 03` (or `reset all`)"));
  const chapters = loadCurriculum(root).chapters;
  const ids: ChapterId[] = positionals[0] === "all" ? chapters.filter((c) => c.status === "available").map((c) => c.id) : [chapterArg(positionals[0]!, chapters).id];
  const source = pristineSource(root, values.from);
  const plans = ids.map((id) => planReset(root, source, id)).filter((plan) => plan.restore.length > 0);
  const p = paint(color());
  if (plans.length === 0) {
    console.log(`${ids.length === 1 ? `chapters/${ids[0]}/ is` : "every chapter is"} already as pristine as ${source.describe}: nothing to reset.`);
    return 0;
  }
  console.log(p.bold(`kata reset: restores the stubs from ${source.describe}`));
  for (const plan of plans) {
    console.log(`  chapters/${plan.id}/: ${plan.restore.map((f) => f.path.slice(`chapters/${plan.id}/`.length)).join(", ")}`);
    if (plan.kept.length > 0) console.log(p.dim(`    kept as they are (not part of the stubs): ${plan.kept.join(", ")}`));
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const backup = join(root, ".kata", "backup", stamp);
  if (values.yes !== true) {
    if (!interactive()) throw new LearnerError("kata reset asks before it overwrites your code: run it in a terminal, or add --yes");
    if (!(await confirm(`Overwrite your code with the stubs? Your files are copied to .kata/backup/${stamp}/ first. [y/N] `))) {
      console.log("Nothing was changed.");
      return 1;
    }
  }
  for (const plan of plans) applyReset(root, plan, backup);
  const count = plans.reduce((n, plan) => n + plan.restore.length, 0);
  console.log(`Restored ${count} file${count === 1 ? "" : "s"}; your version is in .kata/backup/${stamp}/.`);
  return 0;
}

/** What to say when a command that takes one chapter got none, or more than one. */
function oneChapter(command: string, positionals: readonly string[], example: string): string {
  if (positionals.length === 0) return `which chapter? e.g. ${example}`;
  return `${command} takes one chapter, not ${positionals.map((p) => `"${p}"`).join(" ")}; e.g. ${example}`;
}

async function solutionCommand(root: string, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { force: { type: "boolean" } } });
  if (positionals.length !== 1) throw new LearnerError(oneChapter("solution", positionals, "`npm run kata -- solution 03`"));
  const chapter = chapterArg(positionals[0]!, loadCurriculum(root).chapters);
  const dir = join(root, "solutions", chapter.id);
  if (!existsSync(dir)) throw new LearnerError(`this copy of the workbook has no reference solution of chapter ${chapter.number} (solutions/${chapter.id}/)`);
  const p = paint(color());
  let report = cachedReports(root, [chapter]).get(chapter.id);
  if (report?.fresh !== true) {
    if (values.force !== true) console.error(p.dim(`checking chapter ${chapter.number} first…`));
    const key = chapterKey(root, chapter.id);
    const [graded] = await gradeChapters({ workspace: root, chapters: [chapter], mode: "solo" });
    remember(root, [graded!], new Map([[chapter.id, key]]));
    report = { report: graded!, fresh: true };
  }
  if (report.report.status !== "done") {
    if (values.force !== true) {
      console.log(`Chapter ${chapter.number} does not pass yet (${statusText(report.report)}): its reference is shown once it does.`);
      console.log(p.dim(`Stuck? \`npm run kata -- hint ${chapter.number}\` gives the next hint; \`--force\` shows the solution now.`));
      return 1;
    }
    console.log(p.warn(`Warning: chapter ${chapter.number} does not pass yet (${statusText(report.report)}). Reading the reference now spoils the chapter: the point is to build it yourself.`));
  }
  const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts")).sort((a, b) => (a === "index.ts" ? 1 : b === "index.ts" ? -1 : a.localeCompare(b)));
  for (const f of files) {
    console.log(p.bold(`\n──── solutions/${chapter.id}/${f} ────`));
    console.log(readFileSync(join(dir, f), "utf8").trimEnd());
  }
  console.log(p.dim(`\nCompare with yours: diff -ru chapters/${chapter.id} solutions/${chapter.id}`));
  return 0;
}

const require = createRequire(import.meta.url);
const VITEST = join(require.resolve("vitest/package.json"), "..", "vitest.mjs");
const UI_CONFIG = new URL("./ui.config.ts", import.meta.url).pathname;

/** True if nothing listens on 127.0.0.1:`port` now. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

async function uiCommand(root: string, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { port: { type: "string", default: "51204" } } });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new LearnerError(`--port is a port number, not ${values.port}`);
  const available = loadCurriculum(root).chapters.filter((c) => c.status === "available" && c.publicTests.length > 0);
  const chapters = positionals.length === 0 ? available : positionals.map((a) => chapterArg(a, available));
  // Vite would move to the next free port, and the address printed below would be wrong.
  if (!(await portIsFree(port))) throw new LearnerError(`port ${port} is in use: choose another with --port N`);
  const phases = mkdtempSync(join(tmpdir(), "kata-ui-phases-"));
  const child = spawn(process.execPath, [VITEST, "watch", "--ui", "--open=false", "--api.host=127.0.0.1", `--api.port=${port}`, "--config", UI_CONFIG], {
    cwd: root,
    detached: true,
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, NODE_OPTIONS: "", KATA_UI_CHAPTERS: chapters.map((c) => c.id).join(","), KATA_PHASES_DIR: phases, KATA_ROOT: root },
  });
  const over = existsSync(join(root, "solutions")) ? ", each over the reference of the others" : "";
  console.log(`kata ui: your chapters' public examples (${chapters.map((c) => c.number).join(", ")})${over}`);
  console.log(`         open http://127.0.0.1:${port}/__vitest__/   (Ctrl-C stops it)`);
  const stop = () => {
    if (child.pid !== undefined) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  const code = await new Promise<number>((resolve) => child.on("exit", (c) => resolve(c ?? 0)));
  // A fork that outlived vitest (one that caught the SIGTERM, say) must not keep running on its own.
  killGroup(child.pid);
  rmSync(phases, { recursive: true, force: true });
  return code === 130 || code === 143 ? 0 : code;
}

