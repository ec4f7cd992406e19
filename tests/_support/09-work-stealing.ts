/**
 * Test helpers for chapter 09: a mailbox tasks can wait on, trace recording and comparison, and a run that fails
 * loudly (with its seed) when the runtime goes idle while work is still waiting: a lost wake-up.
 */
import { FutureBase, Pending, type Future, type Poll } from "#kata/01-poll";
import type { Context, Waker } from "#kata/03-waker";
import type { Runtime, TraceEvent, TraceSink } from "#kata/09-work-stealing";

/**
 * A queue of values one task waits on. `send` may be called from anywhere (a task on any worker, a `blockOn`'s
 * future, a Node callback); it wakes the waiting task. It spends no budget.
 */
export class Mailbox<T> {
  readonly #values: T[] = [];
  #waker: Waker | null = null;

  send(value: T): void {
    this.#values.push(value);
    const w = this.#waker;
    this.#waker = null;
    w?.wake();
  }

  get length(): number {
    return this.#values.length;
  }

  recv(): Future<T> {
    return new Recv(this);
  }

  /** Takes the next value, or stores the waker and returns Pending. */
  poll(cx: Context): Poll<T> {
    if (this.#values.length > 0) return this.#values.shift()!;
    if (this.#waker === null || !this.#waker.willWake(cx.waker)) {
      this.#waker?.drop();
      this.#waker = cx.waker.clone();
    }
    return Pending;
  }
}

class Recv<T> extends FutureBase<T> {
  constructor(readonly box: Mailbox<T>) {
    super();
  }
  poll(cx: Context): Poll<T> {
    return this.box.poll(cx);
  }
}

/** A future that is pending once (waking itself at once), then ready: a yield that does not defer. */
export function selfWake(): Future<void> {
  let woken = false;
  return new (class extends FutureBase<void> {
    poll(cx: Context): Poll<void> {
      if (woken) return undefined;
      woken = true;
      cx.waker.wakeByRef();
      return Pending;
    }
  })();
}

/** A counter a future can wait on until it reaches a target. */
export class Countdown {
  #left: number;
  #waker: Waker | null = null;
  constructor(n: number) {
    this.#left = n;
  }
  get left(): number {
    return this.#left;
  }
  tick(): void {
    this.#left--;
    if (this.#left === 0) {
      const w = this.#waker;
      this.#waker = null;
      w?.wake();
    }
  }
  done(): Future<void> {
    const self = this;
    return new (class extends FutureBase<void> {
      poll(cx: Context): Poll<void> {
        if (self.#left <= 0) return undefined;
        self.#waker?.drop();
        self.#waker = cx.waker.clone();
        return Pending;
      }
    })();
  }
}

/** Records every trace event. */
export function recorder(): { events: TraceEvent[]; sink: TraceSink } {
  const events: TraceEvent[] = [];
  return { events, sink: (e) => events.push(e) };
}

/** Task ids are unique in the process, so two runs number their tasks differently: renumber by first appearance. */
export function normalize(events: readonly TraceEvent[]): TraceEvent[] {
  const ids = new Map<number, number>();
  return events.map((e) => {
    if (!("task" in e)) return e;
    let id = ids.get(e.task);
    if (id === undefined) ids.set(e.task, (id = ids.size + 1));
    return { ...e, task: id };
  });
}

/** Throws, naming the first event at which two traces differ (after `normalize`), if they differ at all. */
export function assertSameTrace(expected: readonly TraceEvent[], actual: readonly TraceEvent[]): void {
  const a = normalize(expected);
  const b = normalize(actual);
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = JSON.stringify(a[i]);
    const y = JSON.stringify(b[i]);
    if (x !== y) {
      throw new Error(
        `the traces differ at event #${i} (of ${a.length} and ${b.length}): expected ${x ?? "the end"}, got ${y ?? "the end"}`,
      );
    }
  }
}

/** Steps the runtime has run so far (its interleaver's step count). */
export function steps(rt: Runtime): number {
  return (rt.handle().inner as unknown as { stepCount: number }).stepCount;
}

const macrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Runtimes left with a `blockOn` that will never finish: they cannot be shut down (Tokio would not let you either). */
const stalled = new WeakSet<Runtime>();

/** Shuts `rt` down, unless `runOrStall` found it stalled (its `blockOn` still runs, so shutting down would throw). */
export function shutdown(rt: Runtime): void {
  if (!stalled.has(rt)) rt.shutdown();
}

/**
 * Runs `future` with `blockOn`; if the runtime stops stepping (idle across several of Node's macrotask turns) while
 * the future is not done, fails with `describe()`: work was left waiting for nobody. The workload must not depend on
 * timers or I/O, so that an idle runtime can only mean a lost wake-up.
 */
export async function runOrStall<T>(rt: Runtime, future: Future<T>, describe: () => string): Promise<T> {
  let settled = false;
  const result = rt.blockOn(future).finally(() => {
    settled = true;
  });
  let last = -1;
  let still = 0;
  while (!settled) {
    await macrotask();
    const now = steps(rt);
    still = now === last ? still + 1 : 0;
    last = now;
    if (still >= 3 && !settled) {
      stalled.add(rt);
      result.catch(() => {});
      throw new Error(`the runtime went idle with work left (a lost wake-up): ${describe()}`);
    }
  }
  return result;
}

/** Waits for `turns` of Node's event loop. */
export async function macrotasks(turns: number): Promise<void> {
  for (let i = 0; i < turns; i++) await macrotask();
}
