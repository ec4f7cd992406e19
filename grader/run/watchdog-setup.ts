/**
 * Setup file for every test fork: the watchdog, and the phase log that says what the fork was doing.
 *
 * vitest's per-test timeout cannot end a test that never yields (`while (true) {}`, `while (true) await null`):
 * the timer never gets to run. So each fork starts one worker thread that shares a heartbeat counter with the
 * fork's main thread. The main thread bumps it from a timer and at every phase; if the counter stands still for
 * `KATA_HARD_MS`, the main thread is stuck, and the watchdog logs `killed` and SIGKILLs its own fork. vitest then
 * reports the file's worker as exited and goes on with the other files. The same thread bounds the fork's memory:
 * the heap is capped by `--max-old-space-size`, and memory outside it (buffers, typed arrays) by `KATA_MEM_MB` of
 * resident set size, checked at the same pace. The `killed` record says which limit was hit (`time` or `memory`).
 *
 * Every phase (`import`, `load` of a learner module, `collect`, `test`, `after`, `teardown`) is appended
 * synchronously to `phases-<pid>.ndjson` in the phases directory, so the grader can name the culprit of a hang or a
 * crash. `globalThis.__kataPhase` is the entry point the phase plugin (phase-plugin.ts) puts at the top of
 * learner modules and test files. A fork shared by several files (kata verify) keeps its one watchdog; its
 * `killed` record names the fork's first file, and the grader reads the kill from where it stands in the log.
 */
import { appendFileSync } from "node:fs";
import { join, relative } from "node:path";
import { Worker } from "node:worker_threads";
import { afterAll, afterEach, beforeEach, expect } from "vitest";
import { CANARY, phasesFile } from "./protocol.ts";
import type { PhaseRecord } from "./records.ts";

const phasesDir = process.env.KATA_PHASES_DIR;
const root = process.env.KATA_ROOT;
if (phasesDir === undefined || root === undefined) throw new Error("watchdog-setup: KATA_PHASES_DIR and KATA_ROOT must be set");
const hardMs = Number(process.env.KATA_HARD_MS ?? "10000");
const memMb = Number(process.env.KATA_MEM_MB ?? "1024");
const skip = new Set<string>(JSON.parse(process.env.KATA_SKIP ?? "[]") as string[]);
const only = new Set<string>(JSON.parse(process.env.KATA_ONLY ?? "[]") as string[]);
const onlyFiles = new Set([...only].map((key) => key.slice(0, key.indexOf("\0"))));
const log = join(phasesDir, phasesFile(process.pid));
const testPath = expect.getState().testPath ?? "unknown";
const file = relative(root, testPath).split("\\").join("/");

const WATCHDOG = `
const { workerData } = require("node:worker_threads");
const { appendFileSync } = require("node:fs");
const beat = new Int32Array(workerData.beat);
let seen = Atomics.load(beat, 0);
let since = Date.now();
const kill = (why) => {
  appendFileSync(workerData.log, JSON.stringify({ file: workerData.file, kind: "killed", name: why }) + "\\n");
  process.kill(process.pid, "SIGKILL");
};
for (;;) {
  Atomics.wait(beat, 1, 0, Math.min(250, Math.max(50, workerData.hardMs / 8)));
  const rss = process.memoryUsage.rss();
  if (rss > workerData.memMb * 1048576) kill("memory " + Math.round(rss / 1048576));
  const now = Atomics.load(beat, 0);
  if (now !== seen) { seen = now; since = Date.now(); continue; }
  if (Date.now() - since >= workerData.hardMs) kill("time " + workerData.hardMs);
}`;

/** One per fork process: the heartbeat shared with the watchdog thread, and the test file now loading. */
interface WatchdogState {
  beat: Int32Array;
  file: string;
}
const KEY = Symbol.for("kata.watchdog");
const globals = globalThis as unknown as Record<symbol, WatchdogState | undefined>;

function phase(kind: PhaseRecord["kind"], name: string): void {
  Atomics.add(state.beat, 0, 1);
  const record: PhaseRecord = { file: state.file, kind, name };
  appendFileSync(log, JSON.stringify(record) + "\n");
}

let state = globals[KEY] as WatchdogState;
if (globals[KEY] === undefined) {
  const beat = new Int32Array(new SharedArrayBuffer(8));
  const worker = new Worker(WATCHDOG, {
    eval: true,
    workerData: { beat: beat.buffer, hardMs, memMb, log, file },
    // none of the fork's flags (its `--require` hooks, its conditions), and no stdio piped to the fork: a thread
    // starts in about 27 ms of CPU on its own, and every fork starts one
    execArgv: [],
    stdout: true,
    stderr: true,
  });
  worker.unref();
  setInterval(() => Atomics.add(beat, 0, 1), Math.max(20, Math.floor(hardMs / 20))).unref();
  state = { beat, file };
  Object.defineProperty(globals, KEY, { value: state });
  Object.defineProperty(globalThis, "__kataPhase", {
    value: (kind: "load" | "collect", name: string) => phase(kind, name),
    writable: false,
    configurable: false,
  });
}
state.file = file;

phase("import", file);
beforeEach((ctx) => {
  const name = ctx.task.fullTestName ?? ctx.task.name;
  phase("test", name);
  // a test that stopped its fork in an earlier run is not run again: the others of its file get their chance
  if (skip.has(`${state.file}\0${name}`)) ctx.skip();
  // a file with tests picked out runs those alone (and its canary)
  if (onlyFiles.has(state.file) && name !== CANARY && !only.has(`${state.file}\0${name}`)) ctx.skip();
});
afterEach((ctx) => phase("after", ctx.task.fullTestName ?? ctx.task.name));
afterAll(() => phase("teardown", file));
