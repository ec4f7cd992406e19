/**
 * Setup file for every test fork: catches chapter code that leans on Node's timers, microtask queue or promises
 * where its chapter asks for the runtime's own mechanism (native-policy.ts).
 *
 * The timer functions, `queueMicrotask`, `process.nextTick` and `Promise.prototype.then` are wrapped (also in
 * `node:timers` and `node:timers/promises`). A wrapper looks at its nearest caller with a source file: if that is a
 * file of `chapters/NN-slug/` (or `solutions/NN-slug/`) whose rule forbids the call, the call is recorded. After
 * the test, a recorded call fails it with a message that names the file, the line, the call and what the chapter
 * asks for instead. Calls from tests, the kit, vitest or Node itself never count. The calls still happen: code is
 * judged, not broken. Only calls while a test runs (from its `beforeEach` hooks to its `afterEach` hooks) are looked
 * at: finding a caller captures a stack, and a fork makes thousands of these calls before its first test.
 */
import { syncBuiltinESMExports } from "node:module";
import timers from "node:timers";
import timersPromises from "node:timers/promises";
import { afterEach, beforeEach } from "vitest";
import { NATIVE_ERROR, NATIVE_RULES, type NativeApi } from "./native-policy.ts";

const root = (process.env.KATA_ROOT ?? "").replace(/\/$/, "");
const CHAPTER = /^(?:chapters|solutions)\/(\d\d-[a-z-]+)\/(.+)$/;

interface Use {
  api: NativeApi;
  chapter: string;
  where: string;
}
let uses: Use[] = [];
/** a test is running: only then is a call looked at */
let active = false;

type CallSite = { getFileName(): string | null | undefined; getLineNumber(): number | null };

/** The nearest caller outside Node and this file, as a path relative to the workbook, with its line. */
function caller(skip: Function): { file: string; line: number } | undefined {
  const savedLimit = Error.stackTraceLimit;
  const savedPrepare = Error.prepareStackTrace;
  const holder: { stack?: unknown } = {};
  try {
    Error.stackTraceLimit = 8;
    Error.prepareStackTrace = (_, sites) => sites;
    Error.captureStackTrace(holder, skip);
    const sites = holder.stack as CallSite[] | undefined;
    for (const site of sites ?? []) {
      let file = site.getFileName();
      if (file === null || file === undefined || file.startsWith("node:")) continue;
      if (file.startsWith("file://")) file = decodeURIComponent(new URL(file).pathname);
      if (!file.startsWith(root + "/")) return undefined;
      const rel = file.slice(root.length + 1);
      if (rel.startsWith("tests/_support/")) continue; // a helper of the hidden suites that wraps a timer: look past it
      return { file: rel, line: site.getLineNumber() ?? 0 };
    }
    return undefined;
  } finally {
    Error.stackTraceLimit = savedLimit;
    Error.prepareStackTrace = savedPrepare;
  }
}

function note(api: NativeApi, skip: Function): void {
  if (!active) return;
  const at = caller(skip);
  if (at === undefined) return;
  const m = CHAPTER.exec(at.file);
  if (m === null || at.file.endsWith(".test.ts")) return; // a public example is a test, not the chapter's code
  const rule = NATIVE_RULES[m[1]!];
  if (rule === undefined || !rule.forbidden.includes(api)) return;
  if (uses.length < 20) uses.push({ api, chapter: m[1]!, where: `${at.file}:${at.line}` });
}

function wrap<F extends (...args: never[]) => unknown>(api: NativeApi, f: F): F {
  const wrapped = function (this: unknown, ...args: Parameters<F>) {
    note(api, wrapped);
    return Reflect.apply(f, this, args);
  } as unknown as F;
  Object.defineProperty(wrapped, "name", { value: f.name });
  return wrapped;
}

const KEY = Symbol.for("kata.native");
const globals = globalThis as unknown as Record<PropertyKey, unknown>;
if (globals[KEY] === undefined) {
  Object.defineProperty(globals, KEY, { value: true });
  for (const api of ["setTimeout", "setInterval", "setImmediate"] as const) {
    const w = wrap(api, globalThis[api] as (...args: never[]) => unknown);
    (globalThis as unknown as Record<string, unknown>)[api] = w;
    (timers as unknown as Record<string, unknown>)[api] = w;
  }
  for (const api of ["setTimeout", "setInterval", "setImmediate"] as const) {
    const t = timersPromises as unknown as Record<string, (...args: never[]) => unknown>;
    t[api] = wrap(api, t[api]!);
  }
  globalThis.queueMicrotask = wrap("queueMicrotask", globalThis.queueMicrotask);
  process.nextTick = wrap("process.nextTick", process.nextTick);
  const then = Promise.prototype.then;
  Object.defineProperty(Promise.prototype, "then", { value: wrap("Promise.then", then), writable: true, configurable: true });
  syncBuiltinESMExports();
}

beforeEach(() => {
  uses = [];
  active = true;
});

afterEach(() => {
  active = false;
  const first = uses[0];
  uses = [];
  if (first === undefined) return;
  const rule = NATIVE_RULES[first.chapter]!;
  throw new Error(
    `${NATIVE_ERROR} ${first.where} calls ${first.api}, which chapter ${first.chapter.slice(0, 2)} does not allow: ${rule.instead}. ` +
      `A test that passes by leaning on Node's own ${first.api === "Promise.then" ? "promises" : "timers and queues"} does not count.`,
  );
});
