/**
 * The watcher's side of the warm vitest host (host.ts): checks one chapter in solo mode, again and again, with the
 * grader's isolation and trust rules.
 *
 * - The host is a detached child (its own process group), started lazily and given the run plan on stdin; the
 *   results and phases directories are created here and named to no test fork.
 * - Each check empties those directories, asks the host to run, and judges the records with `judge` once the host
 *   answers, exactly as a grading run's are judged: so a learner's `while (true) {}` is killed by the fork's
 *   watchdog, and a test that never ends by vitest's per-test timeout, while this process (and the screen) stay
 *   responsive.
 * - A run that outlives its deadline, or a host that dies (the code killed its parent), is reported as an
 *   untrusted run; the host's whole group is killed and a fresh host starts at the next check.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { conditionsFor, parseMode } from "#kit/modes";
import type { Chapter } from "../curriculum.ts";
import { DEFAULT_SETTINGS, deadlineFor, expectedTests, modeName, type RunSettings } from "../grade.ts";
import { chapterReport, type ChapterReport } from "../report.ts";
import type { RunPlan } from "../run/plan.ts";
import { RESULTS_FILE } from "../run/protocol.ts";
import { collectRecords, type RunOutcome } from "../run/spawn.ts";
import { judge, RunFailure } from "../run/verdicts.ts";
import { killGroup } from "../tools.ts";
import type { HostReply, HostRequest } from "./host.ts";

const HOST = fileURLToPath(new URL("./host.ts", import.meta.url));

/** Hosts alive in this process, killed if it exits without disposing them (a crash, `process.exit`). */
const live = new Set<number>();
process.on("exit", () => {
  for (const pid of live) killGroup(pid);
});

interface Host {
  child: ChildProcess;
  ready: Promise<void>;
  /** The host's next reply, or its exit. */
  next(): Promise<HostReply | { type: "exit"; code: number | null; signal: string | null }>;
}

export class WarmChecker {
  readonly #resultsDir = mkdtempSync(join(tmpdir(), "kata-results-"));
  readonly #phasesDir = mkdtempSync(join(tmpdir(), "kata-phases-"));
  readonly #mode: string;
  readonly #files: string[];
  #host: Host | undefined;
  #stderr = "";

  constructor(
    readonly root: string,
    readonly chapter: Chapter,
    readonly settings: RunSettings = DEFAULT_SETTINGS,
  ) {
    this.#mode = modeName("solo", chapter.id);
    this.#files = [...new Set(expectedTests(chapter).map((t) => t.file))];
  }

  /** Starts the host now (a check starts it anyway): vitest's own start-up then overlaps the learner's reading. */
  warmUp(): void {
    if (this.#files.length > 0) this.#host ??= this.#start();
  }

  #start(): Host {
    const plan: RunPlan = {
      root: this.root,
      resultsDir: this.#resultsDir,
      phasesDir: this.#phasesDir,
      projects: [{ name: this.#mode, conditions: conditionsFor(parseMode(this.#mode)), files: this.#files }],
      testTimeoutMs: this.settings.testTimeoutMs,
      hardMs: this.settings.hardMs,
      heapMb: this.settings.heapMb,
      maxWorkers: this.settings.maxWorkers,
    };
    const child = spawn(process.execPath, ["--import", "tsx", HOST], {
      cwd: this.root,
      detached: true,
      stdio: ["pipe", "ignore", "pipe", "ipc"],
      env: { ...process.env, NODE_OPTIONS: "", FORCE_COLOR: "0", CI: "true" },
    });
    if (child.pid !== undefined) live.add(child.pid);
    child.stdin!.on("error", () => {});
    child.stdin!.end(JSON.stringify(plan));
    this.#stderr = "";
    child.stderr!.setEncoding("utf8");
    child.stderr!.on("data", (chunk: string) => {
      this.#stderr = (this.#stderr + chunk).slice(-4000);
    });
    const queue: HostReply[] = [];
    let waiting: ((r: HostReply | { type: "exit"; code: number | null; signal: string | null }) => void) | undefined;
    let exited: { type: "exit"; code: number | null; signal: string | null } | undefined;
    child.on("message", (m: HostReply) => {
      if (waiting !== undefined) {
        const w = waiting;
        waiting = undefined;
        w(m);
      } else queue.push(m);
    });
    child.on("exit", (code, signal) => {
      if (child.pid !== undefined) live.delete(child.pid);
      exited = { type: "exit", code, signal };
      if (this.#host?.child === child) this.#host = undefined;
      waiting?.(exited);
      waiting = undefined;
    });
    const next = () =>
      new Promise<HostReply | { type: "exit"; code: number | null; signal: string | null }>((resolve) => {
        const m = queue.shift();
        if (m !== undefined) resolve(m);
        else if (exited !== undefined) resolve(exited);
        else waiting = resolve;
      });
    const ready = next().then((m) => {
      if (m.type !== "ready") {
        const why = m.type === "failed" ? m.message : this.#stderr.trim().split("\n").slice(-15).join("\n");
        throw new RunFailure(`the watch mode's vitest could not start${why === "" ? "" : `:\n${why}`}`);
      }
    });
    ready.catch(() => {});
    return { child, ready, next };
  }

  /** Runs the chapter's hidden suite once and returns its report (judged like `kata check`'s). */
  async check(): Promise<ChapterReport> {
    const base = { id: this.chapter.id, title: this.chapter.title, mode: this.#mode, tasks: this.chapter.tasks };
    if (this.#files.length === 0) return chapterReport(base, []);
    const host = (this.#host ??= this.#start());
    try {
      await host.ready;
    } catch (e) {
      this.#kill(host);
      throw e;
    }
    writeFileSync(join(this.#resultsDir, RESULTS_FILE), "");
    for (const name of readdirSync(this.#phasesDir)) rmSync(join(this.#phasesDir, name), { force: true });

    const expected = expectedTests(this.chapter);
    const deadlineMs = deadlineFor(expected.length, this.settings);
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<"deadline">((resolve) => {
      timer = setTimeout(() => resolve("deadline"), deadlineMs);
    });
    host.child.send({ type: "run" } satisfies HostRequest);
    const reply = await Promise.race([host.next(), deadline]);
    clearTimeout(timer);

    let code: number | null = 0;
    let signal: string | null = null;
    const deadlineHit = reply === "deadline";
    if (reply === "deadline" || reply.type !== "done") {
      // The run cannot be trusted: stop the host and everything it started before reading what was written.
      this.#kill(host);
      if (reply !== "deadline" && reply.type === "failed") throw new RunFailure(`the watch mode's vitest failed: ${reply.message}`);
      if (reply !== "deadline" && reply.type === "exit") ({ code, signal } = reply);
      else code = null;
    }
    const outcome: RunOutcome = {
      code,
      signal,
      deadlineHit,
      ...collectRecords(this.#resultsDir, this.#phasesDir),
      stderr: this.#stderr,
      durationMs: Date.now() - started,
    };
    const tests = judge({ outcome, project: this.#mode, expected, root: this.root, deadlineMs, hardMs: this.settings.hardMs });
    return chapterReport(base, tests);
  }

  #kill(host: Host): void {
    if (host.child.pid !== undefined) {
      killGroup(host.child.pid);
      live.delete(host.child.pid);
    }
    if (this.#host === host) this.#host = undefined;
  }

  /** Stops the host and removes the run's directories. */
  dispose(): void {
    if (this.#host !== undefined) this.#kill(this.#host);
    rmSync(this.#resultsDir, { recursive: true, force: true });
    rmSync(this.#phasesDir, { recursive: true, force: true });
  }
}
