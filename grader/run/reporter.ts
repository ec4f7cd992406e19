/**
 * The grader's streaming reporter: one NDJSON record per test, per test file and per run (see records.ts).
 *
 * It runs in the vitest main process, which loads no learner code. In a grading run it sends each record over the
 * IPC channel of the grader that spawned vitest: a channel the test forks do not inherit and cannot open, so learner
 * code cannot forge or alter a record, nor reach another submission's run. Otherwise (watch mode's host) it appends
 * to `results.ndjson` in the results directory. The grader trusts a result only if the run also sent its `run-end`
 * record, which is sent only after every record before it was delivered.
 */
import { appendFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { Reporter, TestCase, TestModule, TestSpecification } from "vitest/node";
import { notImplementedIn } from "#kit/todo";
import { RESULTS_FILE } from "./protocol.ts";
import type { ErrorRecord, ResultRecord } from "./records.ts";

interface SerializedError {
  name?: unknown;
  message?: unknown;
  /** an assertion's actual value, serialized (an object, or its printed form) */
  actual?: unknown;
  /** a SuppressedError's two errors (a `using` whose dispose threw while an error was on its way out) */
  error?: unknown;
  suppressed?: unknown;
  cause?: unknown;
  moduleId?: unknown;
}

/**
 * The item and chapter of a stub's NotImplementedError (kit/todo.ts) behind an error: the error itself, or the
 * actual value of a failed assertion (`toThrow(RangeError)` got one), or either error of a SuppressedError, or its
 * cause.
 */
function todoOf(value: unknown, depth = 0): { item: string; chapter: string } | undefined {
  if (typeof value === "string") return notImplementedIn(value);
  if (typeof value !== "object" || value === null || depth > 3) return undefined;
  const e = value as SerializedError & { item?: unknown; chapter?: unknown };
  if (e.name === "NotImplementedError" && typeof e.item === "string" && typeof e.chapter === "string") return { item: e.item, chapter: e.chapter };
  for (const inner of [e.message, e.actual, e.suppressed, e.error, e.cause]) {
    const todo = todoOf(inner, depth + 1);
    if (todo !== undefined) return todo;
  }
  return undefined;
}

const text = (v: unknown): string => (typeof v === "string" ? v : "");

/** An error's message; a SuppressedError (whose own message is empty) tells both of its errors. */
function messageOf(e: SerializedError): string {
  if (text(e.message) !== "" || e.error === undefined) return text(e.message);
  const inner = (v: unknown) => (typeof v === "object" && v !== null ? messageOf(v as SerializedError) : String(v));
  return `${inner(e.error)} (while disposing, after: ${inner(e.suppressed)})`;
}

/** What the grader keeps of a serialized error: its name, its message, and the stub item behind it if any. */
export function errorRecord(e: SerializedError): ErrorRecord {
  const record: ErrorRecord = { message: messageOf(e) };
  if (typeof e.name === "string") record.name = e.name;
  const todo = todoOf(e);
  if (todo !== undefined) Object.assign(record, todo);
  return record;
}

/** What the reporter sends over IPC: a record, marked as the grader's. */
export interface RecordMessage {
  kata: ResultRecord;
}

export class NdjsonReporter implements Reporter {
  private readonly out: string;
  private readonly sent: Promise<void>[] = [];

  constructor(
    resultsDir: string,
    private readonly root: string,
    private readonly channel: "ipc" | "file" = "file",
  ) {
    this.out = join(resultsDir, RESULTS_FILE);
  }

  private write(record: ResultRecord): void {
    if (this.channel === "file") {
      appendFileSync(this.out, JSON.stringify(record) + "\n");
      return;
    }
    const message: RecordMessage = { kata: record };
    this.sent.push(new Promise((resolve) => process.send!(message, undefined, {}, () => resolve())));
  }

  private file(moduleId: string): string {
    return relative(this.root, moduleId).split("\\").join("/");
  }

  onTestRunStart(specifications: ReadonlyArray<TestSpecification>): void {
    this.write({ type: "run-start", files: specifications.map((s) => this.file(s.moduleId)) });
  }

  onTestCaseResult(test: TestCase): void {
    const result = test.result();
    this.write({
      type: "test",
      project: test.project.name,
      file: this.file(test.module.moduleId),
      name: test.fullName,
      state: result.state,
      errors: (result.errors ?? []).map(errorRecord),
    });
  }

  onTestModuleEnd(module: TestModule): void {
    this.write({
      type: "module",
      project: module.project.name,
      file: this.file(module.moduleId),
      state: module.state(),
      errors: module.errors().map(errorRecord),
    });
  }

  onTestRunEnd(
    _modules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<SerializedError>,
    reason: string,
  ): Promise<void> {
    const errors = unhandledErrors.map((e) => {
      const record = errorRecord(e);
      return typeof e.moduleId === "string" ? { ...record, file: this.file(e.moduleId) } : record;
    });
    return Promise.all(this.sent).then(() => {
      this.write({ type: "run-end", reason, errors });
      return this.sent.at(-1);
    });
  }
}
