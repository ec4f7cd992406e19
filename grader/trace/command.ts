/**
 * `kata trace <scenario> [--learner|--reference] [--seed N] [--workers N] [--out FILE]`: runs a small scenario on
 * chapter 09's multi-thread scheduler (or chapter 12's wheel) and writes a self-contained HTML picture of it.
 *
 * The scenario runs in a child process with the resolve conditions of the code asked for: the reference, or the
 * learner's chapter (09, or 12 for `wheel`) over the reference of the others. By default it is the learner's once
 * that chapter passes, the reference before; in a student's bundle (no solutions) always the learner's chapters. The child writes JSON to a temporary file; it is validated (zod) and
 * rendered here, by pure functions. A child that does not finish within a minute (a learner's scheduler that
 * never stops) is killed with its process group.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { conditionsFor } from "#kit/modes";
import { notImplementedIn } from "#kit/todo";
import { loadCurriculum, type ChapterId } from "../curriculum.ts";
import { cachedReports } from "../progress.ts";
import type { CommandHelp } from "../render.ts";
import { killGroup } from "../tools.ts";
import { makeOutputDir } from "../usage.ts";
import { TraceFile, type TraceFile as TraceData } from "./model.ts";
import { renderTimeline } from "./timeline.ts";
import { renderWheel } from "./wheel-html.ts";

/** The scenarios, by name: the scheduler ones are in scenarios.ts (loaded only in the child), the wheel in wheel-scenario.ts. */
export const SCENARIOS: Readonly<Record<string, { chapter: ChapterId; summary: string }>> = {
  "spawn-burst": { chapter: "09-work-stealing", summary: "one task spawns 48 children: the LIFO slot, the queue, steals, parks" },
  "ping-pong": { chapter: "09-work-stealing", summary: "two tasks exchanging messages stay on one worker through the LIFO slot" },
  "ping-pong-no-lifo": { chapter: "09-work-stealing", summary: "the same pair with disableLifoSlot(): it migrates" },
  "cpu-hog": { chapter: "09-work-stealing", summary: "a task that works 40 units in one poll, beside three tickers" },
  "cpu-hog-yield": { chapter: "09-work-stealing", summary: "the same hog calling yieldNow() after each unit" },
  wheel: { chapter: "12-timer-wheel", summary: "chapter 12's six levels of 64 slots, frame by frame: placement, firing, cascading" },
};

export const TRACE_HELP: CommandHelp = {
  usage: "trace <scenario> [--learner|--reference] [--seed N] [--workers N] [--out FILE]",
  summary: `an HTML picture of a scenario on the scheduler (or the timer wheel): ${Object.keys(SCENARIOS).join(", ")}`,
};

export class TraceError extends Error {
  override readonly name = "TraceError";
}

const CHILD = fileURLToPath(new URL("./child.ts", import.meta.url));
const TIMEOUT_MS = 60_000;

/** Renders a trace file's data as its page. */
export function renderTrace(data: TraceData): string {
  return data.schema === "kata-trace/1" ? renderTimeline(data) : renderWheel(data);
}

export interface TraceOptions {
  root: string;
  scenario: string;
  learner: boolean;
  seed: number;
  workers: number;
}

/** Runs a scenario in a child process and returns its validated data. */
export async function recordTrace(options: TraceOptions): Promise<TraceData> {
  const { chapter } = SCENARIOS[options.scenario]!;
  const conditions = options.learner ? conditionsFor({ kind: "solo", chapter: chapter.slice(0, 2) }) : conditionsFor({ kind: "reference" });
  const withReference = existsSync(join(options.root, "solutions"));
  if (!options.learner && !withReference) throw new TraceError("this copy of the workbook has no reference solutions (a student's bundle): the scenarios run on your chapters (--learner)");
  const source = !options.learner ? "the reference solutions" : withReference ? `your chapter ${chapter.slice(0, 2)} (the reference for the others)` : "your chapters";
  const dir = mkdtempSync(join(tmpdir(), "kata-trace-"));
  const out = join(dir, "trace.json");
  try {
    const child = spawn(
      process.execPath,
      [...conditions.map((c) => `--conditions=${c}`), "--import", "tsx", CHILD, options.scenario, String(options.seed), String(options.workers), source, out],
      { cwd: options.root, detached: true, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, NODE_OPTIONS: "" } },
    );
    let stderr = "";
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-6000);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, TIMEOUT_MS);
    const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    clearTimeout(timer);
    if (timedOut) throw new TraceError(`the scenario did not finish within ${TIMEOUT_MS / 1000} s and was stopped (${source}: a worker that never parks, or a task never woken?)`);
    if (code !== 0) {
      const todo = notImplementedIn(stderr);
      if (todo !== undefined) {
        const next = withReference ? "finish it, or run the scenario with --reference" : "finish it first";
        throw new TraceError(`on ${source}, the scenario needs ${todo.item}, which is not implemented yet (chapters/${todo.chapter}): ${next}`);
      }
      const line = stderr.split("\n").find((l) => /Error|error:/.test(l)) ?? stderr.trim().split("\n").at(-1) ?? "";
      throw new TraceError(`the scenario failed on ${source}: ${line.trim()}`);
    }
    const parsed = TraceFile.safeParse(JSON.parse(readFileSync(out, "utf8")));
    if (!parsed.success) throw new TraceError(`the scenario's trace is not valid (${source}): ${parsed.error.issues[0]?.message ?? "?"}`);
    return parsed.data;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function traceCommand(root: string, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      learner: { type: "boolean" },
      reference: { type: "boolean" },
      seed: { type: "string", default: "1" },
      workers: { type: "string", default: "4" },
      out: { type: "string" },
    },
  });
  const scenario = positionals[0];
  if (scenario === undefined || SCENARIOS[scenario] === undefined) {
    const list = Object.entries(SCENARIOS).map(([name, s]) => `  ${name.padEnd(18)} ${s.summary}`).join("\n");
    throw new TraceError(`${scenario === undefined ? "which scenario?" : `no scenario "${scenario}".`} The scenarios:\n${list}`);
  }
  if (values.learner === true && values.reference === true) throw new TraceError("--learner and --reference exclude each other");
  const seed = Number(values.seed);
  const workers = Number(values.workers);
  if (!Number.isInteger(seed) || seed < 0) throw new TraceError(`--seed is a whole number, not ${values.seed}`);
  if (!Number.isInteger(workers) || workers < 1 || workers > 16) throw new TraceError(`--workers is 1 to 16, not ${values.workers}`);
  const { chapter } = SCENARIOS[scenario]!;
  let learner = values.learner === true;
  if (values.learner !== true && values.reference !== true) {
    const ch = loadCurriculum(root).chapters.find((c) => c.id === chapter)!;
    const cached = cachedReports(root, [ch]).get(chapter);
    learner = (cached?.fresh === true && cached.report.status === "done") || !existsSync(join(root, "solutions"));
  }
  const data = await recordTrace({ root, scenario, learner, seed, workers });
  const name = scenario === "wheel" ? "wheel" : `${scenario}-seed${seed}`;
  const file = resolve(values.out ?? join(root, ".kata", "trace", `${name}.html`));
  makeOutputDir(dirname(file));
  writeFileSync(file, renderTrace(data));
  const shown = relative(process.cwd(), file);
  console.log(`kata trace: ${data.title}, on ${data.source}${values.learner !== true && values.reference !== true && !learner ? ` (yours once chapter ${chapter.slice(0, 2)} passes, or --learner)` : ""}`);
  console.log(`  wrote ${shown.startsWith("..") ? file : shown}`);
  console.log(`  open  ${pathToFileURL(file).href}`);
  return 0;
}
