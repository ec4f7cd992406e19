/**
 * The watchdog of the vitest process (grader/run/watchdog.ts), on its own: a child whose log stands still is killed
 * and the kill recorded under its first file; a log whose pid is not a child of this process is never acted on;
 * a child whose log stays fresh is left running. (The hostile corpus runs it inside real grading runs.)
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { phasesFile } from "../run/protocol.ts";
import { startWatchdog } from "../run/watchdog.ts";

// wide enough that a busy machine stalling this process (which keeps the live child's log fresh) kills nothing
const HARD_MS = 1000;
const dir = mkdtempSync(join(tmpdir(), "kata-watchdog-test-"));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

/** A child that sleeps a minute, with a log of one phase under `file`. */
function child(file: string): ChildProcess {
  const c = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
  children.push(c);
  writeFileSync(join(dir, phasesFile(c.pid!)), JSON.stringify({ file, kind: "test", name: "t" }) + "\n");
  return c;
}

const exited = (c: ChildProcess): Promise<string | null> => new Promise((resolve) => c.once("exit", (_code, signal) => resolve(signal)));
const records = (pid: number) => readFileSync(join(dir, phasesFile(pid)), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { kind: string; name: string; file: string });

it("kills a child whose log stood still, records why under its first file, and leaves alone a child that beats and a pid that is not its child", async () => {
  const stuck = child("tests/stuck.test.ts");
  const alive = child("tests/alive.test.ts");
  const aliveLog = join(dir, phasesFile(alive.pid!));
  const beat = setInterval(() => utimesSync(aliveLog, new Date(), new Date()), 50);
  // the parent of this process is not our child: its stale log must be ignored
  const stranger = process.ppid;
  writeFileSync(join(dir, phasesFile(stranger)), JSON.stringify({ file: "tests/stranger.test.ts", kind: "test", name: "t" }) + "\n");
  const past = new Date(Date.now() - 60_000);
  utimesSync(join(dir, phasesFile(stranger)), past, past);

  startWatchdog(dir, HARD_MS, 1024);
  try {
    expect(await exited(stuck), "the stuck child ends by SIGKILL").toBe("SIGKILL");
    expect(records(stuck.pid!).at(-1), "the kill is recorded under the child's first file").toEqual({
      file: "tests/stuck.test.ts",
      kind: "killed",
      name: `time ${HARD_MS}`,
    });
    await new Promise((resolve) => setTimeout(resolve, 2 * HARD_MS));
    expect(alive.exitCode === null && alive.signalCode === null, "the child whose log stays fresh still runs").toBe(true);
    expect(records(stranger).map((r) => r.kind), "no record is added to the log of a process that is not our child").toEqual(["test"]);
  } finally {
    clearInterval(beat);
  }
});
