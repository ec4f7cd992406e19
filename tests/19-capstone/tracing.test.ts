/**
 * Task 4: spans that survive suspension points (tracing's Span, Instrument, #[instrument]).
 */
import { describe, expect, it } from "vitest";
import { FutureBase, Pending, type Poll } from "#kata/01-poll";
import { asyncBlock } from "#kata/02-state-machines";
import { spawn } from "#kata/07-current-thread";
import { sleep } from "#kata/13-time";
import { tracing } from "#kata/19-capstone";
import { probe } from "../_support/poll.ts";
import { onRuntime } from "../_support/19-capstone.ts";

const { Recorder, info, warn, span, instrument, instrumentFn, currentSpan, setDefaultSubscriber, formatEvent } = tracing;

describe("Task 4: Spans across awaits", () => {
  it("an event inside nested spans carries their fields, root first, in the log line", () => {
    const rec = new Recorder();
    using _sub = setDefaultSubscriber(rec);
    const outer = span("request", { id: 7, path: "/users" });
    outer.inScope(() => {
      const inner = span("db");
      inner.inScope(() => info("query done", { rows: 3, cached: false }));
      info("responding");
    });
    info("outside");
    expect(rec.lines, "rec.lines").toEqual([
      'INFO request{id=7 path="/users"}:db: query done rows=3 cached=false',
      'INFO request{id=7 path="/users"}: responding',
      "INFO outside",
    ]);
    expect(rec.events[0]!.spans.map((s) => s.name)).toEqual(["request", "db"]);
    expect(rec.events[0]!.level, "rec.events[0].level").toBe("INFO");
  });

  it("formatEvent: strings quoted, numbers, booleans and bigints plain, levels as given", () => {
    expect(
      formatEvent({
        level: "WARN",
        message: "slow",
        fields: { ms: 12.5, big: 10n, ok: true, who: 'a "b"' },
        spans: [{ id: 1, name: "s", fields: {} }],
      }),
    ).toBe('WARN s: slow ms=12.5 big=10 ok=true who="a \\"b\\""');
  });

  it("record changes what later events see, never what earlier ones saw", () => {
    const rec = new Recorder();
    using _sub = setDefaultSubscriber(rec);
    const s = span("conn", { peer: "10.0.0.1:5" });
    s.inScope(() => info("accepted"));
    s.record("user", "ann");
    s.inScope(() => warn("slow"));
    expect(rec.lines, "rec.lines").toEqual(['INFO conn{peer="10.0.0.1:5"}: accepted', 'WARN conn{peer="10.0.0.1:5" user="ann"}: slow']);
    expect(rec.events[0]!.spans[0]!.fields, "a copy, taken when the event happened").toEqual({ peer: "10.0.0.1:5" });
  });

  it("instrument: two tasks that interleave across sleeps each log in their own span", async () => {
    const rec = new Recorder();
    using _sub = setDefaultSubscriber(rec);
    await onRuntime(function* () {
      const job = (name: string, pause: number) =>
        instrument(
          asyncBlock(function* () {
            info("start");
            yield* sleep(pause);
            info("middle");
            yield* sleep(pause);
            info("end");
          }),
          span("job", { name }),
        );
      const a = spawn(job("a", 10));
      const b = spawn(job("b", 15));
      yield* a;
      yield* b;
      info("main");
    });
    expect(rec.lines, "rec.lines").toEqual([
      'INFO job{name="a"}: start',
      'INFO job{name="b"}: start',
      'INFO job{name="a"}: middle',
      'INFO job{name="b"}: middle',
      'INFO job{name="a"}: end',
      'INFO job{name="b"}: end',
      "INFO main",
    ]);
  });

  it("the span is entered only during a poll (and a dispose): nothing outside sees it", () => {
    const rec = new Recorder();
    using _sub = setDefaultSubscriber(rec);
    const fut = instrument(new Loud(), span("task"));
    expect(currentSpan(), "currentSpan()").toBe(null);
    expect(fut.poll(probe().cx)).toBe(Pending);
    expect(currentSpan(), "exited when the poll returned").toBe(null);
    info("between polls");
    fut[Symbol.dispose]();
    expect(currentSpan(), "currentSpan()").toBe(null);
    expect(rec.lines, "rec.lines").toEqual(["INFO task: polled", "INFO between polls", "INFO task: dropped"]);
  });

  it("#[instrument]: each call makes a span from the arguments, child of the span current at the call", async () => {
    const rec = new Recorder();
    using _sub = setDefaultSubscriber(rec);
    const handle = instrumentFn("handle_request", (id: number, user: string) => ({ id, user }), function* (id: number, _user: string) {
      yield* sleep(id);
      info("handled");
      return id * 2;
    });
    const out = await onRuntime(function* () {
      const parent = span("server");
      const futures = parent.inScope(() => [handle(2, "ann"), handle(1, "bob")]);
      const joins = futures.map((f) => spawn(f));
      let sum = 0;
      for (const j of joins) sum += yield* j;
      return sum;
    });
    expect(out).toBe(6);
    expect(rec.lines, "rec.lines").toEqual(['INFO server:handle_request{id=1 user="bob"}: handled', 'INFO server:handle_request{id=2 user="ann"}: handled']);
    expect(new Set(rec.events.map((e) => e.spans[1]!.id)).size, "a new span per call").toBe(2);
  });

  it("spans are numbered from creation; a guard dropped out of order leaves the right span current", () => {
    const a = span("a");
    const b = span("b");
    expect(b.id, "b.id").toBe(a.id + 1);
    expect(b.parent, "created outside any span: no parent").toBe(null);
    const ga = a.enter();
    const gb = b.enter();
    expect(currentSpan(), "currentSpan()").toBe(b);
    ga[Symbol.dispose]();
    expect(currentSpan(), "a left the stack; b is still entered").toBe(b);
    gb[Symbol.dispose]();
    gb[Symbol.dispose]();
    expect(currentSpan(), "currentSpan()").toBe(null);
    const c = a.inScope(() => span("c"));
    expect(c.parent, "the contextual parent").toBe(a);
  });

  it("the anti-pattern: an entered guard held across a yield leaks into the next task polled", async () => {
    const rec = new Recorder();
    using _sub = setDefaultSubscriber(rec);
    await onRuntime(function* () {
      const careless = spawn(
        asyncBlock(function* () {
          const entered = span("careless").enter();
          yield* sleep(10);
          entered[Symbol.dispose]();
        }),
      );
      const bystander = spawn(
        asyncBlock(function* () {
          info("innocent");
        }),
      );
      yield* careless;
      yield* bystander;
      info("after");
    });
    expect(rec.lines, "the bystander's line shows a span that is not its own").toEqual(["INFO careless: innocent", "INFO after"]);
  });

  it("without a subscriber events go nowhere; setDefaultSubscriber's guard restores the previous one", () => {
    info("lost");
    const outer = new Recorder();
    const inner = new Recorder();
    {
      using _a = setDefaultSubscriber(outer);
      info("one");
      {
        using _b = setDefaultSubscriber(inner);
        info("two");
      }
      info("three");
    }
    info("lost too");
    expect([outer.lines, inner.lines]).toEqual([["INFO one", "INFO three"], ["INFO two"]]);
  });
});

/** A future that logs when it is polled and when it is dropped. */
class Loud extends FutureBase<void> {
  poll(): Poll<void> {
    info("polled");
    return Pending;
  }

  [Symbol.dispose](): void {
    info("dropped");
  }
}
