/**
 * The grader's streaming reporter: one NDJSON record per test, per test file and per run (see records.ts).
 *
 * It runs in the vitest main process, which loads no learner code, and writes only to the results directory
 * the grader created for this run (the test forks are not told where it is). The grader trusts a result only if the
 * run also wrote its `run-end` record. With a key, each line is `<json>\t<mac>`, the mac an HMAC of the line's
 * number and its JSON (signedLine): a fork that finds the file and appends or rewrites records cannot sign them.
 */
import { createHmac } from "node:crypto";
import { appendFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { Reporter, TestCase, TestModule, TestSpecification } from "vitest/node";
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

const NOT_YET = /([\w$.[\]]+) is not implemented yet \(chapters\//;

/**
 * The item of a stub's NotImplementedError (kit/todo.ts) behind an error: the error itself, or the actual value
 * of a failed assertion (`toThrow(RangeError)` got one), or either error of a SuppressedError, or its cause.
 */
function todoItem(value: unknown, depth = 0): string | undefined {
  if (typeof value === "string") return NOT_YET.exec(value)?.[1];
  if (typeof value !== "object" || value === null || depth > 3) return undefined;
  const e = value as SerializedError & { item?: unknown };
  if (e.name === "NotImplementedError" && typeof e.item === "string") return e.item;
  for (const inner of [e.message, e.actual, e.suppressed, e.error, e.cause]) {
    const item = todoItem(inner, depth + 1);
    if (item !== undefined) return item;
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
  const item = todoItem(e);
  if (item !== undefined) record.item = item;
  return record;
}

/** The MAC of line `index` (0-based) of a results file whose JSON is `json`. */
export function lineMac(key: string, index: number, json: string): string {
  return createHmac("sha256", key).update(`${index}\n${json}`).digest("hex");
}

export class NdjsonReporter implements Reporter {
  private readonly out: string;
  private lines = 0;

  constructor(
    resultsDir: string,
    private readonly root: string,
    private readonly key?: string,
  ) {
    this.out = join(resultsDir, RESULTS_FILE);
  }

  private write(record: ResultRecord): void {
    const json = JSON.stringify(record);
    const line = this.key === undefined ? json : `${json}\t${lineMac(this.key, this.lines, json)}`;
    this.lines++;
    appendFileSync(this.out, line + "\n");
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
  ): void {
    const errors = unhandledErrors.map((e) => {
      const record = errorRecord(e);
      return typeof e.moduleId === "string" ? { ...record, file: this.file(e.moduleId) } : record;
    });
    this.write({ type: "run-end", reason, errors });
  }
}
