/**
 * The watchdog: one timer in the vitest main process that watches every test fork of the run (watchdog-setup.ts is
 * the forks' half).
 *
 * vitest's per-test timeout cannot end a test that never yields (`while (true) {}`, `while (true) await null`):
 * the timer never gets to run. Each fork's main thread therefore keeps its phase log's modification time fresh,
 * from a timer and at every phase. Every `pace` ms this watchdog looks at each log of `phasesDir`: a fork whose log
 * has stood still for `hardMs` is stuck, and so is one whose resident memory passed `memMb` (buffers and typed
 * arrays live outside the heap that `--max-old-space-size` caps). It appends a `killed` record (`time <ms>` or
 * `memory <MB>`, under the fork's first file) and SIGKILLs the fork; vitest reports the file's worker as exited and
 * goes on with the other files.
 *
 * Only a child of this process is ever killed: a log's pid is checked against the process table first, so a fork
 * that has exited (its log stands still too) is set aside until its log is written again, and a pid the system has
 * since given to another process is left alone. On Linux the pid's parent and memory come from `/proc`; elsewhere from `ps`.
 *
 * Why not a thread in each fork, as before: a thread costs 22-27 ms of CPU to start, and a full `kata grade`
 * starts 72 forks: 2.7 s of CPU and 1.3 s of its wall time, measured.
 */
import { execFileSync } from "node:child_process";
import { appendFileSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { PHASES_FILE_PATTERN } from "./protocol.ts";
import type { PhaseRecord } from "./records.ts";

/** The parent and the resident memory (MB) of `pid`, or undefined when there is no such process. */
function processInfo(pid: number): { parent: number; rssMb: number } | undefined {
  if (process.platform === "linux") {
    try {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      const parent = /^PPid:\s+(\d+)/m.exec(status)?.[1];
      if (parent === undefined || /^State:\s+Z/m.test(status)) return undefined; // a zombie has exited
      return { parent: Number(parent), rssMb: Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) / 1024 };
    } catch {
      return undefined;
    }
  }
  try {
    const [parent, rssKb] = execFileSync("ps", ["-o", "ppid=,rss=", "-p", String(pid)], { encoding: "utf8" }).trim().split(/\s+/);
    return { parent: Number(parent), rssMb: Number(rssKb) / 1024 };
  } catch {
    return undefined;
  }
}

/** The file a fork's log starts with: the fork's first test file. */
function firstFile(log: string): string {
  try {
    const first = readFileSync(log, "utf8").split("\n", 1)[0]!;
    return (JSON.parse(first) as PhaseRecord).file;
  } catch {
    return "unknown";
  }
}

/** Starts watching the forks that log to `phasesDir` (once per process; later calls are ignored). */
export function startWatchdog(phasesDir: string, hardMs: number, memMb: number): void {
  const globals = globalThis as unknown as Record<symbol, boolean | undefined>;
  const KEY = Symbol.for("kata.watchdog.monitor");
  if (globals[KEY] === true) return;
  globals[KEY] = true;
  /**
   * Logs whose fork has exited or was killed, by pid, with the log's modification time then: not looked at again
   * unless the log is written after it (the system gave the pid to a new fork of this run, which appends to it).
   */
  const gone = new Map<number, number>();
  const mtime = (log: string): number | undefined => {
    try {
      return statSync(log).mtimeMs;
    } catch {
      return undefined; // cleared between two checks (watch mode)
    }
  };
  const kill = (pid: number, log: string, why: string): void => {
    const record: PhaseRecord = { file: firstFile(log), kind: "killed", name: why };
    appendFileSync(log, JSON.stringify(record) + "\n");
    gone.set(pid, mtime(log) ?? 0);
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // it exited meanwhile
    }
  };
  const look = (): void => {
    let names: string[];
    try {
      names = readdirSync(phasesDir);
    } catch {
      return; // the run is over and its directory removed
    }
    for (const name of names) {
      if (!PHASES_FILE_PATTERN.test(name)) continue;
      const pid = Number(/\d+/.exec(name)![0]);
      const log = join(phasesDir, name);
      const written = mtime(log);
      if (written === undefined || gone.get(pid) === written) continue;
      const info = processInfo(pid);
      if (info === undefined || info.parent !== process.pid) {
        gone.set(pid, written);
        continue;
      }
      if (info.rssMb > memMb) kill(pid, log, `memory ${Math.round(info.rssMb)}`);
      else if (Date.now() - written >= hardMs) kill(pid, log, `time ${hardMs}`);
    }
  };
  setInterval(look, Math.min(250, Math.max(50, hardMs / 8))).unref();
}
