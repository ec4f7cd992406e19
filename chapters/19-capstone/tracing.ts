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
import type { AsyncGen } from "#kata/02-state-machines";
import type { Context } from "#kata/03-waker";
import { todo } from "#kit/todo";

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

// Sketch of the module's state (Rust keeps it per thread; we have one): the next span id (from 1), the stack of
// entered spans (the last is the current span), and the default subscriber (null: events go nowhere).

export class Span {
  readonly id: number;

  /** Numbered from 1 in creation order; the fields are copied; the parent defaults to the current span. */
  constructor(
    readonly name: string,
    fields: Fields = {},
    readonly parent: Span | null = currentSpan(),
  ) {
    this.id = todo("19-capstone", "new Span");
  }

  get fields(): Fields {
    return todo("19-capstone", "Span.fields");
  }

  /** Sets a field; later events see the new value. */
  record(field: string, value: FieldValue): void {
    return todo("19-capstone", "Span.record");
  }

  /** Makes this the current span until the guard is disposed. */
  enter(): Entered {
    return todo("19-capstone", "Span.enter");
  }

  /** Runs `f` with this span entered (and exits it however `f` ends). */
  inScope<R>(f: () => R): R {
    return todo("19-capstone", "Span.inScope");
  }

  /** Its id, name and a copy of its fields. */
  snapshot(): SpanSnapshot {
    return todo("19-capstone", "Span.snapshot");
  }
}

/** The guard of an entered span: disposing it removes the last occurrence of the span from the stack, once. */
export class Entered implements Disposable {
  constructor(span: Span) {
    todo("19-capstone", "new Entered");
  }

  [Symbol.dispose](): void {
    todo("19-capstone", "Entered[Symbol.dispose]");
  }
}

/** The current span, or null. */
export function currentSpan(): Span | null {
  return todo("19-capstone", "currentSpan");
}

/** A new span, child of the current one. */
export function span(name: string, fields: Fields = {}): Span {
  return todo("19-capstone", "span");
}

/** Makes `s` the default subscriber until the guard is disposed (tracing's `set_default`). */
export function setDefaultSubscriber(s: Subscriber): Disposable {
  return todo("19-capstone", "setDefaultSubscriber");
}

/** Emits an event inside the current span to the default subscriber (dropped when there is none). */
export function event(level: Level, message: string, fields: Fields = {}): void {
  return todo("19-capstone", "event");
}

export const trace = (message: string, fields?: Fields) => event("TRACE", message, fields);
export const debug = (message: string, fields?: Fields) => event("DEBUG", message, fields);
export const info = (message: string, fields?: Fields) => event("INFO", message, fields);
export const warn = (message: string, fields?: Fields) => event("WARN", message, fields);
export const error = (message: string, fields?: Fields) => event("ERROR", message, fields);

/** The log line of an event: `INFO outer{a=1}:inner: message k=v`. */
export function formatEvent(e: TraceEvent): string {
  return todo("19-capstone", "formatEvent");
}

/** A subscriber that keeps every event and its line (tracing-subscriber's `fmt` into memory). Given. */
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
    return todo("19-capstone", "tracing.Instrumented.poll");
  }

  [Symbol.dispose](): void {
    todo("19-capstone", "tracing.Instrumented[Symbol.dispose]");
  }
}

export function instrument<T>(future: Future<T>, span: Span): Instrumented<T> {
  return todo("19-capstone", "instrument");
}

/** `#[instrument]`: each call runs the body in a new span named `name`, with fields taken from the arguments. */
export function instrumentFn<A extends unknown[], T>(
  name: string,
  fields: (...args: A) => Fields,
  body: (...args: A) => AsyncGen<T>,
): (...args: A) => Instrumented<T> {
  return todo("19-capstone", "instrumentFn");
}
