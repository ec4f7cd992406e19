/**
 * Setup file for every test fork: the fork's half of the watchdog, and the phase log that says what the fork was
 * doing.
 *
 * Every phase (`import`, `load` of a learner module, `collect`, `test`, `after`, `teardown`) is appended
 * synchronously to `phases-<pid>.ndjson` in the phases directory, so the grader can name the culprit of a hang or a
 * crash. `globalThis.__kataPhase` is the entry point the phase plugin (phase-plugin.ts) puts at the top of
 * learner modules and test files. The log is also the fork's heartbeat: a timer of the main thread touches it every
 * `KATA_HARD_MS / 20` ms, so a log that stands still for `KATA_HARD_MS` means a main thread that never yields, and
 * the watchdog in the vitest process (watchdog.ts) kills the fork. A fork shared by several files (kata verify)
 * keeps its one log and timer; a `killed` record names the fork's first file, and the grader reads the kill from
 * where it stands in the log.
 */
import { appendFileSync, utimesSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, afterEach, beforeEach, expect } from "vitest";
import { CANARY, phasesFile } from "./protocol.ts";
import type { PhaseRecord } from "./records.ts";

const phasesDir = process.env.KATA_PHASES_DIR;
const root = process.env.KATA_ROOT;
if (phasesDir === undefined || root === undefined) throw new Error("watchdog-setup: KATA_PHASES_DIR and KATA_ROOT must be set");
const hardMs = Number(process.env.KATA_HARD_MS ?? "10000");
const skip = new Set<string>(JSON.parse(process.env.KATA_SKIP ?? "[]") as string[]);
const only = new Set<string>(JSON.parse(process.env.KATA_ONLY ?? "[]") as string[]);
const onlyFiles = new Set([...only].map((key) => key.slice(0, key.indexOf("\0"))));
const log = join(phasesDir, phasesFile(process.pid));
const testPath = expect.getState().testPath ?? "unknown";
const file = relative(root, testPath).split("\\").join("/");

/** One per fork process: the test file now loading (the log and its heartbeat are set up once). */
interface ForkState {
  file: string;
}
const KEY = Symbol.for("kata.watchdog");
const globals = globalThis as unknown as Record<symbol, ForkState | undefined>;

function phase(kind: PhaseRecord["kind"], name: string): void {
  const record: PhaseRecord = { file: state.file, kind, name };
  appendFileSync(log, JSON.stringify(record) + "\n");
}

function beat(): void {
  const now = new Date();
  try {
    utimesSync(log, now, now);
  } catch {
    // the log is gone: the run is over
  }
}

let state = globals[KEY] as ForkState;
if (globals[KEY] === undefined) {
  setInterval(beat, Math.max(20, Math.floor(hardMs / 20))).unref();
  state = { file };
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
