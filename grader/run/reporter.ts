/**
 * The grader's streaming reporter: one NDJSON record per test, per test file and per run (see records.ts).
 *
 * It runs in the vitest main process, which loads no learner code, and writes only to the results directory
 * the grader created for this run (the test forks are not told where it is). The grader trusts a result only if the run also wrote its `run-end` record.
 */
import { appendFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { Reporter, TestCase, TestModule, TestSpecification } from "vitest/node";
import { RESULTS_FILE, type ErrorRecord, type ResultRecord } from "./records.ts";

interface SerializedError {
  name?: unknown;
  message?: unknown;
  item?: unknown;
  /** an assertion's actual value, serialized (an object, or its printed form) */
  actual?: unknown;
  moduleId?: unknown;
}

const TODO = "NotImplementedError";

/** The item of a stub's NotImplementedError: thrown itself, or the actual value of a failed assertion. */
function todoItem(e: SerializedError): string | undefined {
  const message = typeof e.message === "string" ? e.message : "";
  if (e.name === TODO) return typeof e.item === "string" ? e.item : (/^(.+?) is not implemented yet/.exec(message)?.[1] ?? "?");
  const actual = e.actual;
  if (typeof actual === "object" && actual !== null && (actual as { name?: unknown }).name === TODO) {
    const item = (actual as { item?: unknown }).item;
    return typeof item === "string" ? item : "?";
  }
  if (typeof actual === "string" && actual.startsWith(TODO)) return /"item": "([^"]*)"/.exec(actual)?.[1] ?? "?";
  return undefined;
}

function errorRecord(e: SerializedError): ErrorRecord {
  const record: ErrorRecord = { message: typeof e.message === "string" ? e.message : String(e.message) };
  if (typeof e.name === "string") record.name = e.name;
  const item = todoItem(e);
  if (item !== undefined) record.item = item;
  return record;
}

export class NdjsonReporter implements Reporter {
  private readonly out: string;

  constructor(
    resultsDir: string,
    private readonly root: string,
  ) {
    this.out = join(resultsDir, RESULTS_FILE);
  }

  private write(record: ResultRecord): void {
    appendFileSync(this.out, JSON.stringify(record) + "\n");
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
