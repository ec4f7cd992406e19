/**
 * Verdicts: what each expected test scored in one run, decided by the grader from the run's records alone.
 *
 * Trust rules: a run counts only if vitest exited by itself with code 0 or 1 and wrote its `run-end` record; a
 * file counts only if its canary is reported passed; a test passes only if it is reported "passed" and is one
 * the manifest expects. Anything missing is a failure, and the watchdog's phase log says whom to blame: the
 * learner module whose top-level code never ended, or the test that blocked the thread.
 */
import type { ManifestTest } from "../curriculum.ts";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isTestTimeout, learnerMessage, notImplementedItem, sourceLines, withoutHiddenCode } from "../messages.ts";
import type { TestReport } from "../report.ts";
import { NATIVE_ERROR } from "./native-policy.ts";
import { CANARY, INTEGRITY_ERROR } from "./protocol.ts";
import type { ErrorRecord, PhaseRecord, ResultRecord } from "./records.ts";
import type { RunOutcome } from "./spawn.ts";

/** The run could not start at all: a problem of the grader or its installation, not of the code graded. */
export class RunFailure extends Error {
  override readonly name = "RunFailure";
}

type TestRecord = Extract<ResultRecord, { type: "test" }>;
type ModuleRecord = Extract<ResultRecord, { type: "module" }>;
type Verdict = Pick<TestReport, "status" | "message" | "notImplemented">;

const fail = (status: TestReport["status"], message: string): Verdict => ({ status, message, notImplemented: false });

/** What the forks were running when the run ended: the tests and learner modules whose phase was still open. */
function openPhases(outcome: RunOutcome): string[] {
  const open: string[] = [];
  for (const records of outcome.phases.values()) {
    const last = records.filter((r) => r.kind !== "killed").at(-1);
    if (last?.kind === "test") open.push(`"${last.name}" (${last.file})`);
    else if (last?.kind === "load") open.push(`the import of ${last.name}`);
  }
  return open;
}

/** Why a whole run is untrusted, or undefined when it ended normally. The culprit is named where the phases tell. */
export function runProblem(outcome: RunOutcome, deadlineMs = 0): Verdict | undefined {
  const during = openPhases(outcome);
  const culprit = during.length === 0 ? "" : `, while ${during.join(" and ")} ${during.length === 1 ? "was" : "were"} running`;
  if (outcome.deadlineHit) {
    return fail("timeout", `the test run did not finish within its overall deadline of ${Math.round(deadlineMs / 1000)} s and was stopped${culprit}`);
  }
  const ended = outcome.results.some((r) => r.type === "run-end");
  if (outcome.signal !== null || (outcome.code !== 0 && outcome.code !== 1) || !ended) {
    const how = outcome.signal !== null ? `was killed by ${outcome.signal}` : `exited with code ${outcome.code}`;
    return fail("error", `the test run ${how} before it finished${culprit} (does the code exit the process or kill its parent?)`);
  }
  return undefined;
}

/**
 * The last phases of the fork while it ran `file`, and whether the watchdog killed it then. A fork shared by
 * several files (kata verify) logs them one after another: a file's part ends where the next file's import starts.
 */
function forkOf(outcome: RunOutcome, file: string): { last: PhaseRecord | undefined; killed: PhaseRecord | undefined } {
  for (const records of outcome.phases.values()) {
    const start = records.findLastIndex((r) => r.kind === "import" && r.file === file);
    if (start < 0) continue;
    const next = records.findIndex((r, i) => i > start && r.kind === "import");
    const mine = records.slice(start, next < 0 ? undefined : next);
    const killed = mine.find((r) => r.kind === "killed");
    const last = mine.filter((r) => r.kind !== "killed").at(-1);
    return { last, killed };
  }
  return { last: undefined, killed: undefined };
}

function hangVerdict(test: ManifestTest, last: PhaseRecord | undefined, killed: PhaseRecord, hardMs: number): Verdict {
  const memory = /^memory (\d+)/.exec(killed.name)?.[1];
  if (memory !== undefined) {
    const where = last?.kind === "load" ? ` while importing ${last.name}` : last?.kind === "test" && last.name !== test.name ? ` during "${last.name}"` : "";
    const mine = last?.kind === "test" && last.name === test.name;
    const what = mine ? "used" : "no result: the test file was stopped because the code used";
    return fail("error", `${what} ${memory} MB of memory${where}, over the limit, and was stopped (a memory leak or an unbounded queue?)`);
  }
  const secs = `${Math.round(hardMs / 1000)} s`;
  switch (last?.kind) {
    case "load":
      return fail("timeout", `timed out importing ${last.name}: its top-level code ran for more than ${secs} without finishing (an infinite loop?)`);
    case "import":
    case "collect":
      return fail("timeout", `timed out while the tests were being loaded: a call made at import never returned within ${secs} (an infinite loop?)`);
    case "test":
      if (last.name === test.name) return fail("timeout", `blocked the thread for more than ${secs} (an infinite loop?) and was stopped`);
      return fail("error", `no result: the test file was stopped because "${last.name}" blocked the thread for more than ${secs}`);
    default:
      return fail("error", `no result: the test file was stopped after the code blocked the thread for more than ${secs}`);
  }
}

/** For authors (verify): why a file has no results, when its fork was killed by the watchdog or crashed. */
export function stoppedFile(outcome: RunOutcome, file: string, hardMs: number): string | undefined {
  const { last, killed } = forkOf(outcome, file);
  if (killed?.name.startsWith("memory") === true) return `stopped by the watchdog: ${killed.name} MB of memory, over the limit`;
  if (killed !== undefined) {
    const what =
      last?.kind === "load" ? `the top-level code of ${last.name}` : last?.kind === "test" ? `"${last.name}"` : "loading the tests";
    return `stopped by the watchdog: ${what} blocked the thread for more than ${Math.round(hardMs / 1000)} s`;
  }
  if (last !== undefined && last.kind !== "teardown") return crashVerdict(last).message;
  return undefined;
}

function crashVerdict(last: PhaseRecord | undefined): Verdict {
  const during =
    last === undefined ? "" : last.kind === "load" ? ` while importing ${last.name}` : last.kind === "test" ? ` during "${last.name}"` : "";
  return fail("error", `the test process crashed${during} (out of memory, or the code exited the process)`);
}

const LOCKED = /Cannot (assign to read only property|add property|redefine property|define property|delete property)|object is not extensible|kata integrity:/;

/** An error raised by the integrity locks (integrity-setup.ts): code that tried to patch the assertions or a built-in. */
function lockedVerdict(error: ErrorRecord | undefined): Verdict | undefined {
  if (error === undefined || !LOCKED.test(error.message)) return undefined;
  const what = error.message.replace(INTEGRITY_ERROR, "").split("\n")[0]!.trim();
  return fail("error", `integrity check failed: the code tried to change the assertion library or a built-in (${what}); code under test may not patch them`);
}

/** The chapter of a test file ("tests/06-task/..." or "chapters/06-task/....example.test.ts"); none for the integration suite. */
function chapterOfFile(file: string): string | undefined {
  return /(?:^|\/)(?:tests|chapters)\/(\d\d-[\w-]+)\//.exec(file)?.[1];
}

function recordVerdict(record: TestRecord, root: string): Verdict {
  switch (record.state) {
    case "passed":
      return { status: "pass", notImplemented: false };
    case "skipped":
      return fail("fail", "skipped");
    case "pending":
      return fail("error", "did not finish");
    case "failed": {
      const native = record.errors.find((e) => e.message.startsWith(NATIVE_ERROR));
      if (native !== undefined) return fail("fail", native.message.slice(NATIVE_ERROR.length).trim());
      const error: ErrorRecord = record.errors[0] ?? { message: "failed" };
      const locked = lockedVerdict(error);
      if (locked !== undefined) return locked;
      if (isTestTimeout(error)) {
        return fail("timeout", `${stripTimeout(error.message)}: it waited for something that never happened (a missing wake?)`);
      }
      const chapter = chapterOfFile(record.file);
      return { status: "fail", message: learnerMessage(error, root, chapter), notImplemented: notImplementedItem(error) !== undefined };
    }
  }
}

function stripTimeout(message: string): string {
  const ms = /timed out in (\d+)ms/.exec(message)?.[1];
  return ms === undefined ? "timed out" : `timed out after ${ms} ms`;
}

export interface JudgeInput {
  outcome: RunOutcome;
  /** the project (grading mode) whose results are judged */
  project: string;
  /** the tests expected, from the manifest */
  expected: readonly ManifestTest[];
  /** the workbook the run used, for relative paths in messages */
  root: string;
  deadlineMs: number;
  hardMs: number;
}

/** Whether the run started at all; if it did not, the grader itself is at fault. */
export function assertStarted(outcome: RunOutcome): void {
  if (outcome.deadlineHit || outcome.results.some((r) => r.type === "run-start")) return;
  const why = outcome.stderr.trim().split("\n").slice(-15).join("\n");
  throw new RunFailure(`vitest could not start (exit ${outcome.code ?? outcome.signal})${why === "" ? "" : `:\n${why}`}`);
}

/**
 * The tests left without a result because their file's fork was stopped by the watchdog, or crashed, while another
 * test of the file was running (the culprit). They deserve a second run with the culprits skipped.
 */
export function stoppedByOthers(outcome: RunOutcome, project: string, expected: readonly ManifestTest[]): { culprits: string[]; tests: ManifestTest[] } {
  if (runProblem(outcome) !== undefined) return { culprits: [], tests: [] };
  const reported = new Set(outcome.results.flatMap((r) => (r.type === "test" && r.project === project ? [`${r.file}\0${r.name}`] : [])));
  const culprits: string[] = [];
  const tests: ManifestTest[] = [];
  for (const file of new Set(expected.map((t) => t.file))) {
    const { last } = forkOf(outcome, file);
    if (last?.kind !== "test") continue;
    const missing = expected.filter((t) => t.file === file && t.name !== last.name && !reported.has(`${t.file}\0${t.name}`));
    if (missing.length === 0) continue;
    culprits.push(`${file}\0${last.name}`);
    tests.push(...missing);
  }
  return { culprits, tests };
}

/** The code of the hidden files judged, and of the helpers they share, whose lines a message must not quote. */
function hiddenCode(root: string, files: readonly string[]): string[] {
  const read = (rel: string) => {
    try {
      return readFileSync(join(root, rel), "utf8");
    } catch {
      return "";
    }
  };
  let support: string[] = [];
  try {
    support = readdirSync(join(root, "tests", "_support")).map((f) => `tests/_support/${f}`);
  } catch {
    // a workbook without shared helpers
  }
  return sourceLines([...new Set([...files, ...support])].map(read));
}

export function judge(input: JudgeInput): TestReport[] {
  const hidden = hiddenCode(input.root, [...new Set(input.expected.map((t) => t.file))]);
  return judgeRecords(input).map((t) => (t.message === undefined ? t : { ...t, message: withoutHiddenCode(t.message, hidden) }));
}

function judgeRecords(input: JudgeInput): TestReport[] {
  const { outcome, project, expected, root } = input;
  assertStarted(outcome);
  const problem = runProblem(outcome, input.deadlineMs);
  const tests = new Map<string, TestRecord>();
  const modules = new Map<string, ModuleRecord>();
  for (const r of outcome.results) {
    if (r.type === "test" && r.project === project) tests.set(`${r.file}\0${r.name}`, r);
    if (r.type === "module" && r.project === project) modules.set(r.file, r);
  }

  const fileVerdicts = new Map<string, Verdict | undefined>();
  const fileVerdict = (file: string): Verdict | undefined => {
    if (fileVerdicts.has(file)) return fileVerdicts.get(file);
    const module = modules.get(file);
    const fileErrors = [...(module?.errors ?? []), ...[...tests.values()].filter((t) => t.file === file).flatMap((t) => t.errors)];
    const integrity = fileErrors.find((e) => e.message.startsWith(INTEGRITY_ERROR));
    const ranTests = [...tests.values()].some((t) => t.file === file);
    let verdict: Verdict | undefined;
    if (integrity !== undefined) verdict = fail("error", `integrity check failed: ${integrity.message.slice(INTEGRITY_ERROR.length).trim()}`);
    else if (ranTests && tests.get(`${file}\0${CANARY}`)?.state !== "passed") {
      verdict = fail("error", "integrity check failed: a false assertion did not fail in this file (was the assertion library patched?)");
    }
    fileVerdicts.set(file, verdict);
    return verdict;
  };

  return expected.map((test) => {
    const base = { name: test.name, file: test.file, task: test.task, points: test.points };
    if (problem !== undefined) return { ...base, ...problem };
    const integrity = fileVerdict(test.file);
    if (integrity !== undefined) return { ...base, ...integrity };
    const record = tests.get(`${test.file}\0${test.name}`);
    if (record !== undefined) return { ...base, ...recordVerdict(record, root) };
    const { last, killed } = forkOf(outcome, test.file);
    if (killed !== undefined) return { ...base, ...hangVerdict(test, last, killed, input.hardMs) };
    const moduleError = modules.get(test.file)?.errors[0];
    const locked = lockedVerdict(moduleError);
    if (locked !== undefined) return { ...base, ...locked };
    if (moduleError !== undefined) {
      const chapter = chapterOfFile(test.file);
      return { ...base, status: "error", message: learnerMessage(moduleError, root, chapter), notImplemented: notImplementedItem(moduleError) !== undefined };
    }
    if (last !== undefined && last.kind !== "teardown") return { ...base, ...crashVerdict(last) };
    return { ...base, ...fail("error", "not reported by the test run (is the test missing from the suite?)") };
  });
}
