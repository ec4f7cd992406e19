/**
 * Spans that survive suspension points: the `tracing` crate's `Span`, `Instrument` and `#[instrument]`, in
 * miniature, with a subscriber that formats each event as a log line.
 *
 *     const handle = instrumentFn("handle_request", (id: number) => ({ id }), function* (id) {
 *       info("start");              // INFO handle_request{id=7}: start
 *       yield* sleep(10);           // other tasks run here, in their own spans
 *       info("done", { rows: 3 });  // INFO handle_request{id=7}: done rows=3
 *     });
 *
 * - A `Span` has a name, fields (`record` adds or changes one), and a parent: the span that was current when it was
 *   created. Spans are numbered from 1 in creation order (`id`).
 * - The current span is the top of a stack (thread-local in Rust, module state here). `enter()` pushes the span and
 *   returns a guard whose dispose removes it (the last occurrence of it, as tracing-subscriber's registry does, so a
 *   guard dropped out of order does no harm); `inScope(f)` runs `f` entered.
 * - An event (`event`, `info`, ...) goes to the default subscriber with its level, message, fields and the chain
 *   of spans from the root to the current one, each with a copy of its fields as they are at that moment.
 * - `instrument(future, span)` enters the span around every poll of `future`, and around its dispose, so
 *   everything the future does (including the code after each `yield*`) happens inside the span, and nothing else
 *   does. `instrumentFn(name, fields, body)` is `#[instrument]`: every call makes a new span whose parent is the span
 *   current at the call, with fields computed from the arguments, and returns the body's future instrumented with it.
 *
 * Why `enter()` must not be held across a `yield*`: the task stops at the `yield*` with the span still on the
 * stack, and the next task polled on this thread logs inside a span that is not its own. In Rust the guard is
 * `!Send`, which catches it on the multi-thread runtime; here nothing does. Use `instrument`.
 *
 * Line format (`formatEvent`): `LEVEL span1{k=v}:span2: message k=v`; strings are quoted (`JSON.stringify`),
 * other values as `String(v)`; a span without fields is its bare name; without spans: `LEVEL message k=v`.
 */
import { FutureBase, type Future, type Poll } from "#kata/01-poll";
import { GenFuture, type AsyncGen } from "#kata/02-state-machines";
import type { Context } from "#kata/03-waker";

export type Level = "TRACE" | "DEBUG" | "INFO" | "WARN" | "ERROR";
export type FieldValue = string | number | boolean | bigint;
export type Fields = Readonly<Record<string, FieldValue>>;

/** A span as an event saw it: its name and its fields at that moment. */
export interface SpanSnapshot {
  readonly id: number;
  readonly name: string;
  readonly fields: Fields;
}

export interface TraceEvent {
  readonly level: Level;
  readonly message: string;
  readonly fields: Fields;
  /** From the root span to the current one. */
  readonly spans: readonly SpanSnapshot[];
}

export interface Subscriber {
  onEvent(event: TraceEvent): void;
}

let nextSpanId = 1;
/** The entered spans; the last is the current span. */
const stack: Span[] = [];
let subscriber: Subscriber | null = null;

export class Span {
  readonly id = nextSpanId++;
  readonly #fields: Record<string, FieldValue>;

  constructor(
    readonly name: string,
    fields: Fields = {},
    readonly parent: Span | null = currentSpan(),
  ) {
    this.#fields = { ...fields };
  }

  get fields(): Fields {
    return this.#fields;
  }

  /** Sets a field; later events see the new value. */
  record(field: string, value: FieldValue): void {
    this.#fields[field] = value;
  }

  /** Makes this the current span until the guard is disposed. */
  enter(): Entered {
    stack.push(this);
    return new Entered(this);
  }

  /** Runs `f` with this span entered. */
  inScope<R>(f: () => R): R {
    using _entered = this.enter();
    return f();
  }

  snapshot(): SpanSnapshot {
    return { id: this.id, name: this.name, fields: { ...this.#fields } };
  }
}

export class Entered implements Disposable {
  #span: Span | null;

  constructor(span: Span) {
    this.#span = span;
  }

  [Symbol.dispose](): void {
    const span = this.#span;
    if (span === null) return;
    this.#span = null;
    const i = stack.lastIndexOf(span);
    if (i >= 0) stack.splice(i, 1);
  }
}

/** The current span, or null. */
export function currentSpan(): Span | null {
  return stack[stack.length - 1] ?? null;
}

/** A new span, child of the current one. */
export function span(name: string, fields: Fields = {}): Span {
  return new Span(name, fields);
}

/** Makes `s` the default subscriber until the guard is disposed (tracing's `set_default`). */
export function setDefaultSubscriber(s: Subscriber): Disposable {
  const previous = subscriber;
  subscriber = s;
  return {
    [Symbol.dispose]() {
      subscriber = previous;
    },
  };
}

/** Emits an event inside the current span to the default subscriber (dropped when there is none). */
export function event(level: Level, message: string, fields: Fields = {}): void {
  const s = subscriber;
  if (s === null) return;
  const spans: SpanSnapshot[] = [];
  for (let sp = currentSpan(); sp !== null; sp = sp.parent) spans.unshift(sp.snapshot());
  s.onEvent({ level, message, fields: { ...fields }, spans });
}

export const trace = (message: string, fields?: Fields) => event("TRACE", message, fields);
export const debug = (message: string, fields?: Fields) => event("DEBUG", message, fields);
export const info = (message: string, fields?: Fields) => event("INFO", message, fields);
export const warn = (message: string, fields?: Fields) => event("WARN", message, fields);
export const error = (message: string, fields?: Fields) => event("ERROR", message, fields);

/** `k=v k2=v2`: strings quoted, everything else as `String(v)`. */
function formatFields(fields: Fields): string {
  return Object.entries(fields)
    .map(([k, v]) => `${k}=${typeof v === "string" ? JSON.stringify(v) : String(v)}`)
    .join(" ");
}

/** The log line of an event: `INFO outer{a=1}:inner: message k=v`. */
export function formatEvent(e: TraceEvent): string {
  const spans = e.spans.map((s) => (Object.keys(s.fields).length === 0 ? s.name : `${s.name}{${formatFields(s.fields)}}`));
  const fields = Object.keys(e.fields).length === 0 ? "" : ` ${formatFields(e.fields)}`;
  return spans.length === 0 ? `${e.level} ${e.message}${fields}` : `${e.level} ${spans.join(":")}: ${e.message}${fields}`;
}

/** A subscriber that keeps every event and its line (tracing-subscriber's `fmt` into memory). */
export class Recorder implements Subscriber {
  readonly events: TraceEvent[] = [];
  readonly lines: string[] = [];

  onEvent(e: TraceEvent): void {
    this.events.push(e);
    this.lines.push(formatEvent(e));
  }
}

/** `future.instrument(span)`: the span is entered around every poll and around the dispose. */
export class Instrumented<T> extends FutureBase<T> {
  constructor(
    readonly inner: Future<T>,
    readonly span: Span,
  ) {
    super();
  }

  poll(cx: Context): Poll<T> {
    using _entered = this.span.enter();
    return this.inner.poll(cx);
  }

  [Symbol.dispose](): void {
    using _entered = this.span.enter();
    this.inner[Symbol.dispose]?.();
  }
}

export function instrument<T>(future: Future<T>, span: Span): Instrumented<T> {
  return new Instrumented(future, span);
}

/** `#[instrument]`: each call runs the body in a new span named `name`, with fields taken from the arguments. */
export function instrumentFn<A extends unknown[], T>(
  name: string,
  fields: (...args: A) => Fields,
  body: (...args: A) => AsyncGen<T>,
): (...args: A) => Instrumented<T> {
  return (...args: A) => instrument(new GenFuture(body(...args)), new Span(name, fields(...args)));
}
