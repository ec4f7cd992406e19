/**
 * The hostile-submission corpus: students' copies of the workbook that try to hang, crash or fool the grader, and
 * honest ones beside them. Every case starts from the same base (chapters 01, 04 and 13 as their reference
 * solutions, so an honest base earns full marks on the three chapters graded) and
 * changes one chapter; the two others must keep their full grade.
 *
 * Each case says which chapter it attacks and what that chapter's tests must show: the statuses allowed, a pattern
 * every failing message must match (what the student reads), and how many tests must fail at least.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { ROOT } from "./workbooks.ts";

export const GRADED = ["01-poll", "04-block-on", "13-time"] as const;
export type Graded = (typeof GRADED)[number];

export interface HostileCase {
  name: string;
  /** what the student did */
  what: string;
  /** files written over the base, relative to the submission */
  files: Record<string, string>;
  /** the chapter attacked */
  chapter: Graded;
  /** a chapter graded beside it, in the same run, that must keep its full grade (cases that could reach it) */
  bystander?: Graded;
  /** "all": no test of the chapter passes; "some": at least one fails; "none": all pass */
  fails: "all" | "some" | "none";
  /** the statuses a failing test may have */
  statuses: readonly ("fail" | "timeout" | "error")[];
  /** every failing test's message matches this */
  message: RegExp;
}

const solution = (rel: string) => readFileSync(join(ROOT, "solutions", rel), "utf8");
const INDEX_01 = solution("01-poll/index.ts");
const READY_01 = solution("01-poll/ready.ts");

/** ready.ts with `body` run inside `ready()` before it returns. */
const readyDoing = (body: string) => READY_01.replace("return new Ready(value);", `${body}\n  return new Ready(value);`);

const FORGE = `
import { appendFileSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
const manifest = JSON.parse(readFileSync(join(process.cwd(), "tests/01-poll/manifest.json"), "utf8"));
for (const dir of readdirSync(tmpdir()).filter((d) => d.startsWith("kata-results-"))) {
  for (const t of manifest.tests) {
    const record = { type: "test", project: "solo:01", file: t.file, name: t.name, state: "passed", errors: [] };
    try { appendFileSync(join(tmpdir(), dir, "results.ndjson"), JSON.stringify(record) + "\\n"); } catch {}
  }
}
`;

const SLEEP_ON_SET_TIMEOUT = solution("13-time/sleep.ts").replace(
  /  poll\(cx: Context\): Poll<void> \{[\s\S]*?\n  \}\n/,
  `  #fired = false;
  #armed = false;
  poll(cx: Context): Poll<void> {
    if (this.#fired) return undefined;
    if (!this.#armed) {
      this.#armed = true;
      const waker = cx.waker.clone();
      setTimeout(() => {
        this.#fired = true;
        waker.wake();
      }, Math.max(0, this.#deadline - this.#handle.clock.now()));
    }
    return Pending;
  }
`,
);

/** 04's blockOn replaced by a loop that polls with a noop waker and runs `pause` between polls (a busy poll). */
const blockOnPolling = (pause: string) =>
  solution("04-block-on/block-on.ts")
    .replace(
      /export async function blockOn[\s\S]*$/,
      `export async function blockOn<T>(future: Future<T>): Promise<T> {
  const cx = new Context(Waker.noop());
  for (;;) {
    const out = future.poll(cx);
    if (out !== Pending) return out;
    ${pause};
  }
}
`,
    )
    .replace('import { Context } from "#kata/03-waker";', 'import { Context, Waker } from "#kata/03-waker";');

const BUSY_BLOCK_ON = blockOnPolling("await new Promise((resolve) => setImmediate(resolve))");
const AWAIT_LOOP_BLOCK_ON = blockOnPolling("await null");

export const CASES: HostileCase[] = [
  { name: "honest", bystander: "04-block-on", what: "the reference, unchanged", files: {}, chapter: "01-poll", fails: "none", statuses: [], message: /^$/ },
  {
    name: "honest-type-error",
    what: "a TypeScript type error in code that behaves (types are the student's, behaviour is graded)",
    files: { "chapters/01-poll/ready.ts": READY_01.replace("#taken = false;", '#taken = false;\n  readonly #label: number = "ready" as string;') },
    chapter: "01-poll",
    fails: "none",
    statuses: [],
    message: /^$/,
  },
  {
    name: "patch-assertions",
    what: "patches chai's Assertion.prototype.assert at import",
    files: { "chapters/01-poll/index.ts": `import { chai } from "vitest";\nchai.Assertion.prototype.assert = function () {};\n${INDEX_01}` },
    chapter: "01-poll",
    fails: "all",
    statuses: ["error"],
    message: /^integrity check failed/,
  },
  {
    name: "equality-tester",
    what: "registers an equality tester that says everything is equal",
    files: { "chapters/01-poll/index.ts": `import { expect } from "vitest";\nexpect.addEqualityTesters([() => true]);\n${INDEX_01}` },
    chapter: "01-poll",
    fails: "all",
    statuses: ["error"],
    message: /^integrity check failed/,
  },
  {
    name: "override-globals",
    what: "replaces Object.is and globalThis.expect at import",
    files: { "chapters/01-poll/index.ts": `Object.is = () => true;\n(globalThis as any).expect = () => ({ toBe() {} });\n${INDEX_01}` },
    chapter: "01-poll",
    fails: "all",
    statuses: ["error"],
    message: /^integrity check failed/,
  },
  {
    name: "patch-prototype",
    what: "patches Array.prototype.includes inside ready()",
    files: { "chapters/01-poll/ready.ts": readyDoing("Array.prototype.includes = () => true;") },
    chapter: "01-poll",
    fails: "all",
    statuses: ["error"],
    message: /^integrity check failed/,
  },
  {
    name: "process-exit",
    what: "calls process.exit(0) at import",
    files: { "chapters/01-poll/index.ts": `process.exit(0);\n${INDEX_01}` },
    chapter: "01-poll",
    fails: "all",
    statuses: ["error"],
    message: /process\.exit/,
  },
  {
    name: "really-exit",
    bystander: "04-block-on",
    what: "calls process.reallyExit(0) inside ready()",
    files: { "chapters/01-poll/ready.ts": readyDoing("(process as any).reallyExit(0);") },
    chapter: "01-poll",
    fails: "some",
    statuses: ["error"],
    message: /crashed|exit/,
  },
  {
    name: "kill-parent",
    bystander: "04-block-on",
    what: "SIGKILLs its parent (the test runner) at import",
    files: { "chapters/01-poll/index.ts": `process.kill(process.ppid, "SIGKILL");\n${INDEX_01}` },
    chapter: "01-poll",
    fails: "all",
    statuses: ["error"],
    message: /killed by SIGKILL.*chapters\/01-poll\/index\.ts/,
  },
  {
    name: "fake-output",
    what: "prints vitest's passing lines; the chapter is still the stub",
    files: {
      "chapters/01-poll/index.ts": `console.log(" ✓ tests/01-poll/poll.test.ts (27 tests)\\n Test Files  1 passed (1)\\n      Tests  27 passed (27)");\nprocess.stdout.write("27 passed, 0 failed\\n");\n${readFileSync(join(ROOT, "chapters/01-poll/index.ts"), "utf8")}`,
      "chapters/01-poll/ready.ts": readFileSync(join(ROOT, "chapters/01-poll/ready.ts"), "utf8"),
      "chapters/01-poll/poll.ts": readFileSync(join(ROOT, "chapters/01-poll/poll.ts"), "utf8"),
      "chapters/01-poll/spin.ts": readFileSync(join(ROOT, "chapters/01-poll/spin.ts"), "utf8"),
    },
    chapter: "01-poll",
    fails: "some",
    statuses: ["fail", "error"],
    message: /not implemented yet|.+/,
  },
  {
    name: "forge-results",
    bystander: "04-block-on",
    what: "finds the results file in the temp directory and appends a passing record for every hidden test",
    files: { "chapters/01-poll/index.ts": `${FORGE}\nthrow new Error("nothing here");\nexport {};\n` },
    chapter: "01-poll",
    fails: "all",
    statuses: ["error"],
    message: /nothing here/,
  },
  {
    name: "loop-at-import",
    bystander: "04-block-on",
    what: "while (true) {} at the top of index.ts",
    files: { "chapters/01-poll/index.ts": `while (true) {}\n${INDEX_01}` },
    chapter: "01-poll",
    fails: "all",
    statuses: ["timeout", "error"],
    message: /chapters\/01-poll\/index\.ts/,
  },
  {
    name: "loop-in-test",
    what: "ready() never returns (a synchronous infinite loop)",
    files: { "chapters/01-poll/ready.ts": readyDoing("for (;;) {}") },
    chapter: "01-poll",
    fails: "some",
    statuses: ["timeout", "error"],
    message: /blocked the thread for more than 2 s/,
  },
  {
    name: "await-loop",
    bystander: "01-poll",
    what: "blockOn awaits in an endless loop (while (true) await null starves the event loop)",
    files: { "chapters/04-block-on/block-on.ts": AWAIT_LOOP_BLOCK_ON },
    chapter: "04-block-on",
    fails: "some",
    statuses: ["timeout", "error", "fail"],
    message: /blocked the thread|timed out|calls|expected|poll/,
  },
  {
    name: "microtask-chain",
    bystander: "04-block-on",
    what: "an endless microtask chain started at import",
    files: { "chapters/01-poll/index.ts": `const spin = (): Promise<void> => Promise.resolve().then(spin);\nvoid spin();\n${INDEX_01}` },
    chapter: "01-poll",
    fails: "all",
    statuses: ["timeout", "error"],
    message: /blocked the thread|chapters\/01-poll\/index\.ts|memory|crashed/,
  },
  {
    name: "memory-bomb",
    bystander: "04-block-on",
    what: "ready() allocates buffers without end",
    files: { "chapters/01-poll/ready.ts": readyDoing("const hoard: Buffer[] = [];\n  for (;;) hoard.push(Buffer.alloc(64 * 1024 * 1024, 1));") },
    chapter: "01-poll",
    fails: "some",
    statuses: ["error"],
    message: /MB of memory/,
  },
  {
    name: "heap-bomb",
    what: "ready() grows an array of objects without end",
    files: { "chapters/01-poll/ready.ts": readyDoing("const hoard: object[] = [];\n  for (let i = 0; ; i++) hoard.push({ i, s: String(i) });") },
    chapter: "01-poll",
    fails: "some",
    statuses: ["error", "timeout"],
    message: /memory|crashed|blocked the thread/,
  },
  {
    name: "syntax-error",
    what: "a syntax error in ready.ts",
    files: { "chapters/01-poll/ready.ts": `${READY_01}\nexport const broken = (;\n` },
    chapter: "01-poll",
    fails: "all",
    statuses: ["error"],
    message: /^syntax error in chapters\/01-poll\/ready\.ts:\d+:\d+: /,
  },
  {
    name: "runtime-type-error",
    what: "ready() calls a method its value does not have",
    files: { "chapters/01-poll/ready.ts": readyDoing("(value as any).notAMethod();") },
    chapter: "01-poll",
    fails: "some",
    statuses: ["fail"],
    message: /TypeError: .*notAMethod/,
  },
  {
    name: "missing-export",
    what: "index.ts no longer exports ready",
    files: { "chapters/01-poll/index.ts": INDEX_01.replace("export { Ready, ready } from", "export { Ready } from") },
    chapter: "01-poll",
    fails: "some",
    statuses: ["error", "fail"],
    message: /ready/,
  },
  {
    name: "throw-at-import",
    what: "index.ts throws at import",
    files: { "chapters/01-poll/index.ts": `throw new Error("chapter 01 refuses to load");\n${INDEX_01}` },
    chapter: "01-poll",
    fails: "all",
    statuses: ["error"],
    message: /chapter 01 refuses to load/,
  },
  {
    name: "sleep-on-settimeout",
    bystander: "01-poll",
    what: "a Sleep whose wake comes from Node's setTimeout instead of the timer wheel",
    files: { "chapters/13-time/sleep.ts": SLEEP_ON_SET_TIMEOUT },
    chapter: "13-time",
    fails: "some",
    statuses: ["fail", "timeout", "error"],
    message: /chapters\/13-time\/sleep\.ts:\d+ calls setTimeout, which chapter 13 does not allow|timed out|blocked/,
  },
  {
    name: "busy-poll-block-on",
    what: "a blockOn that polls again on every turn of the event loop instead of parking",
    files: { "chapters/04-block-on/block-on.ts": BUSY_BLOCK_ON },
    chapter: "04-block-on",
    fails: "some",
    statuses: ["fail"],
    message: /chapters\/04-block-on\/block-on\.ts:\d+ calls setImmediate, which chapter 04 does not allow|expected/,
  },
  {
    name: "tamper-tests",
    what: "replaces the hidden suite and its manifest with tests that pass; the chapter is still the stub",
    files: {
      "tests/01-poll/poll.test.ts": 'import { it } from "vitest";\nit("passes", () => {});\n',
      "tests/01-poll/manifest.json": JSON.stringify({ chapter: "01-poll", tests: [{ file: "tests/01-poll/poll.test.ts", name: "passes", task: 1, points: 100 }] }),
      "chapters/01-poll/ready.ts": readFileSync(join(ROOT, "chapters/01-poll/ready.ts"), "utf8"),
    },
    chapter: "01-poll",
    fails: "some",
    statuses: ["fail", "error"],
    message: /not implemented yet: /,
  },
  {
    name: "leak-hidden-tests",
    what: "throws the hidden test file's text as its error message",
    files: {
      "chapters/01-poll/ready.ts": `import { readdirSync, readFileSync } from "node:fs";\n${readyDoing(
        'const dir = process.cwd() + "/tests/01-poll/";\n  throw new Error(readdirSync(dir).filter((f) => f.endsWith(".ts")).map((f) => readFileSync(dir + f, "utf8")).join("\\n"));',
      )}`,
    },
    chapter: "01-poll",
    fails: "some",
    statuses: ["fail"],
    message: /^(?![\s\S]*(import \{|describe\(|it\("))/,
  },
];

/** Writes every case as `<dir>/<case name>/`, a student's copy of the workbook. */
export function writeCorpus(dir: string, cases: readonly HostileCase[] = CASES): void {
  for (const c of cases) {
    const sub = join(dir, c.name);
    // only the chapters graded: in solo mode every other chapter resolves to the reference
    for (const id of GRADED) cpSync(join(ROOT, "solutions", id), join(sub, "chapters", id), { recursive: true });
    for (const [rel, text] of Object.entries(c.files)) {
      mkdirSync(dirname(join(sub, rel)), { recursive: true });
      writeFileSync(join(sub, rel), text);
    }
  }
}
