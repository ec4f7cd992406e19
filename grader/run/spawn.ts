/**
 * Runs one plan in a detached vitest child and collects what it left behind.
 *
 * The child is the leader of its own process group, so the overall deadline (and the clean-up after a normal
 * exit) kills vitest, its forks and anything they started with one `process.kill(-pid, "SIGKILL")`. The results
 * arrive over the child's IPC channel (reporter.ts); the forks' phase records are read once the group is gone, from
 * a fresh `mkdtemp` directory that is removed afterwards.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { RunPlan } from "./plan.ts";
import { PHASES_FILE_PATTERN, RESULTS_FILE } from "./protocol.ts";
import { PhaseRecord, ResultRecord } from "./records.ts";
import type { RecordMessage } from "./reporter.ts";
import { killGroup } from "../tools.ts";

export interface RunOutcome {
  /** the child's exit code, or null when a signal ended it */
  code: number | null;
  signal: string | null;
  /** the overall deadline ran out and the grader killed the run */
  deadlineHit: boolean;
  results: ResultRecord[];
  /** phase records per fork pid, in order */
  phases: Map<number, PhaseRecord[]>;
  /** the end of the child's stderr, for a diagnosis when the run could not start */
  stderr: string;
  durationMs: number;
}

const require = createRequire(import.meta.url);
const VITEST = join(dirname(require.resolve("vitest/package.json")), "vitest.mjs");
const CONFIG = fileURLToPath(new URL("./vitest.config.ts", import.meta.url));

/** Process groups still running, killed if the grader itself is interrupted. */
const live = new Set<number>();
let hooked = false;
function hookInterrupts(): void {
  if (hooked) return;
  hooked = true;
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      for (const pid of live) killGroup(pid);
      process.exit(130);
    });
  }
}

function readLines<T>(path: string, parse: (v: unknown) => T): T[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return [];
  }
  const out: T[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      out.push(parse(JSON.parse(line)));
    } catch {
      // a torn last line of a killed writer, or not ours: ignored (a test that has no record is not trusted)
    }
  }
  return out;
}

/** The records a run left in its results and phases directories (read once the run's processes are gone). */
export function collectRecords(resultsDir: string, phasesDir: string): Pick<RunOutcome, "results" | "phases"> {
  const results = readLines(join(resultsDir, RESULTS_FILE), (v) => ResultRecord.parse(v));
  const phases = new Map<number, PhaseRecord[]>();
  for (const name of readdirSync(phasesDir)) {
    if (!PHASES_FILE_PATTERN.test(name)) continue;
    phases.set(Number(/\d+/.exec(name)![0]), readLines(join(phasesDir, name), (v) => PhaseRecord.parse(v)));
  }
  return { results, phases };
}

export type PlanInput = Omit<RunPlan, "resultsDir" | "phasesDir" | "channel" | "moduleCache">;

const WORKBOOK = fileURLToPath(new URL("../..", import.meta.url)).replace(/[\\/]$/, "");

/**
 * Where the transforms of a run in this workbook itself are kept between runs: its files change little from one
 * run to the next, and a kept transform spares the vitest process about a second of a full `kata grade`. A run in
 * any other root (a submission's temporary workspace, a mirror under `.kata/`) keeps none: its root is in every
 * key, and no later run would look them up.
 */
function moduleCacheFor(root: string): string | undefined {
  return root.replace(/[\\/]$/, "") === WORKBOOK ? join(WORKBOOK, ".kata", "module-cache") : undefined;
}

export async function runPlan(input: PlanInput, deadlineMs: number): Promise<RunOutcome> {
  hookInterrupts();
  const resultsDir = mkdtempSync(join(tmpdir(), "kata-results-"));
  const phasesDir = mkdtempSync(join(tmpdir(), "kata-phases-"));
  const started = Date.now();
  try {
    const moduleCache = moduleCacheFor(input.root);
    const plan: RunPlan = { ...input, resultsDir, phasesDir, channel: "ipc", ...(moduleCache === undefined ? {} : { moduleCache }) };
    const child = spawn(process.execPath, [VITEST, "run", "--config", CONFIG], {
      cwd: plan.root,
      detached: true,
      stdio: ["pipe", "ignore", "pipe", "ipc"],
      env: { ...process.env, NODE_OPTIONS: "", FORCE_COLOR: "0", CI: "true" },
    });
    const pid = child.pid;
    if (pid === undefined) throw new Error("could not start vitest");
    live.add(pid);
    child.stdin!.on("error", () => {}); // a child that died at once: its exit says why
    child.stdin!.end(JSON.stringify(plan));
    const results: ResultRecord[] = [];
    child.on("message", (message: Partial<RecordMessage>) => {
      const record = ResultRecord.safeParse(message?.kata);
      if (record.success) results.push(record.data);
    });
    const disconnected = new Promise<void>((resolve) => (child.connected ? child.once("disconnect", resolve) : resolve()));
    let stderr = "";
    child.stderr!.setEncoding("utf8");
    child.stderr!.on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    let deadlineHit = false;
    const timer = setTimeout(() => {
      deadlineHit = true;
      killGroup(pid);
    }, deadlineMs);
    const { code, signal } = await new Promise<{ code: number | null; signal: string | null }>((resolve) => {
      child.on("exit", (code, signal) => resolve({ code, signal }));
    });
    // the messages sent before the exit are all delivered by the time the channel closes; the grace timer is
    // cleared, or it would keep the grader's event loop alive for its full two seconds after every run
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([disconnected, new Promise((resolve) => (grace = setTimeout(resolve, 2_000)))]);
    clearTimeout(grace);
    clearTimeout(timer);
    killGroup(pid);
    live.delete(pid);

    return { code, signal, deadlineHit, results, phases: collectRecords(resultsDir, phasesDir).phases, stderr, durationMs: Date.now() - started };
  } finally {
    rmSync(resultsDir, { recursive: true, force: true });
    rmSync(phasesDir, { recursive: true, force: true });
  }
}
