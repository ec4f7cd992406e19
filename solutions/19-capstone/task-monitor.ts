/**
 * `TaskMonitor` (tokio-metrics' `task.rs`): metrics of futures, gathered by wrapping them. No scheduler hook: the
 * wrapper sees every poll of its future, and it hands the future a waker of its own, so it also sees every wake.
 *
 *     const monitor = new TaskMonitor();
 *     spawn(monitor.instrument(handleRequest(req)));
 *     ...
 *     monitor.cumulative().meanPollDuration();       // or: const it = monitor.intervals(); it.next().value
 *
 * One poll of an `Instrumented`:
 *
 *     start = now()
 *     first poll?     firstPollCount++, totalFirstPollDelay += start - instrumentedAt
 *     woken since the last poll (wokeAt set)?  take wokeAt:
 *        idledAt < wokeAt:   an idle of wokeAt - idledAt (count, total, max, and the interval's max)
 *        always:             a scheduling delay of start - wokeAt (count, total; long if >= the long-delay
 *                            threshold, else short)
 *     register the task's waker in the wrapper's AtomicWaker; poll the inner future with the wrapper's waker
 *     end = now(); idledAt = end; the poll took end - (time the inner poll began): slow if >= the slow-poll
 *     threshold, else fast
 *
 *     the wrapper's waker, woken (by value or by reference):  wokeAt = now() unless already set; wake the task
 *
 * Invariants: only the first wake after a poll is recorded (later ones until the next poll change nothing); an idle
 * is counted only if a non-zero time passed between the end of a poll and the wake; a future is counted dropped once,
 * when it completes or when it is disposed unfinished. Both thresholds default to 50 µs.
 *
 * Where JavaScript differs: tokio-metrics stores `wokeAt` as nanoseconds since instrumentation with 0 meaning
 * "not woken", so a wake at the very instant of instrumentation is lost; a paused clock makes that instant common,
 * so here "not woken" is `null`.
 */
import { FutureBase, Pending, type Future, type Poll } from "#kata/01-poll";
import { AtomicWaker, Context, RawWaker, Waker, type RawWakerVTable } from "#kata/03-waker";
import { runtimeNow, type Now } from "./clock.ts";
import { TaskMetrics, ZERO_COUNTERS, type TaskCounters } from "./task-metrics.ts";

/** 50 µs, in ms: tokio-metrics' `DEFAULT_SLOW_POLL_THRESHOLD` and `DEFAULT_LONG_DELAY_THRESHOLD`. */
export const DEFAULT_SLOW_POLL_THRESHOLD_MS = 0.05;
export const DEFAULT_LONG_DELAY_THRESHOLD_MS = 0.05;

export interface TaskMonitorOptions {
  /** A poll that takes at least this long is slow. Default 50 µs. */
  slowPollThresholdMs?: number;
  /** A wake that waits at least this long to be polled is a long delay. Default 50 µs. */
  longDelayThresholdMs?: number;
  /** The clock; default: the current runtime's (see `clock.ts`). */
  now?: Now;
}

/** The counters one monitor shares with its instrumented futures (tokio-metrics' `RawMetrics`). */
class RawMetrics implements TaskCounters {
  instrumentedCount = 0;
  droppedCount = 0;
  firstPollCount = 0;
  totalFirstPollDelay = 0;
  totalIdledCount = 0;
  totalIdleDuration = 0;
  maxIdleDuration = 0;
  /** The longest idle since the last interval was taken. */
  localMaxIdleDuration = 0;
  totalScheduledCount = 0;
  totalScheduledDuration = 0;
  totalPollCount = 0;
  totalPollDuration = 0;
  totalFastPollCount = 0;
  totalFastPollDuration = 0;
  totalSlowPollCount = 0;
  totalSlowPollDuration = 0;
  totalShortDelayCount = 0;
  totalShortDelayDuration = 0;
  totalLongDelayCount = 0;
  totalLongDelayDuration = 0;

  constructor(
    readonly slowPollThresholdMs: number,
    readonly longDelayThresholdMs: number,
    readonly now: Now,
  ) {}
}

export class TaskMonitor {
  readonly #metrics: RawMetrics;

  constructor(options: TaskMonitorOptions = {}) {
    const slow = options.slowPollThresholdMs ?? DEFAULT_SLOW_POLL_THRESHOLD_MS;
    const long = options.longDelayThresholdMs ?? DEFAULT_LONG_DELAY_THRESHOLD_MS;
    if (!(slow >= 0) || !(long >= 0)) throw new RangeError(`thresholds must be durations >= 0 ms, got ${slow} and ${long}`);
    this.#metrics = new RawMetrics(slow, long, options.now ?? runtimeNow());
  }

  slowPollThreshold(): number {
    return this.#metrics.slowPollThresholdMs;
  }

  longDelayThreshold(): number {
    return this.#metrics.longDelayThresholdMs;
  }

  /** Wraps `future`: its polls and wakes are counted by this monitor. Counts it as instrumented now. */
  instrument<T>(future: Future<T>): Instrumented<T> {
    return new Instrumented(future, this.#metrics);
  }

  /** Everything counted since the monitor was created. */
  cumulative(): TaskMetrics {
    return new TaskMetrics(this.#metrics);
  }

  /**
   * An endless iterator of samples: the first holds what was counted since the monitor was created, each next one
   * what was counted since the one before, with the longest idle that ended in between (tokio-metrics'
   * `TaskIntervals`).
   */
  *intervals(): Generator<TaskMetrics, never, void> {
    const raw = this.#metrics;
    let previous: TaskMetrics | null = null;
    for (;;) {
      const latest = new TaskMetrics(raw);
      const localMax = raw.localMaxIdleDuration;
      raw.localMaxIdleDuration = 0;
      const next = previous === null ? latest : new TaskMetrics({ ...difference(latest, previous), maxIdleDuration: localMax });
      previous = latest;
      yield next;
    }
  }
}

function difference(latest: TaskMetrics, previous: TaskMetrics): TaskCounters {
  const out: TaskCounters = { ...ZERO_COUNTERS };
  for (const key of Object.keys(ZERO_COUNTERS) as (keyof TaskCounters)[]) out[key] = latest[key] - previous[key];
  return out;
}

/** What an `Instrumented` shares with the wakers it hands out (tokio-metrics' `State`). */
class State {
  /** When the task was last woken since its last poll; null if it was not. */
  wokeAt: number | null = null;
  /** The task's own waker, registered on every poll. */
  readonly waker = new AtomicWaker();

  constructor(readonly metrics: RawMetrics) {}

  onWake(): void {
    if (this.wokeAt === null) this.wokeAt = this.metrics.now();
    this.waker.wake();
  }
}

const VTABLE: RawWakerVTable = {
  clone: (data) => new RawWaker(data, VTABLE),
  wake: (data) => (data as State).onWake(),
  wakeByRef: (data) => (data as State).onWake(),
  drop: () => {},
};

export class Instrumented<T> extends FutureBase<T> {
  readonly #inner: Future<T>;
  readonly #state: State;
  /** The context the inner future is polled with: the wrapper's waker, made once. */
  readonly #cx: Context;
  readonly #instrumentedAt: number;
  #didPollOnce = false;
  #idledAt: number;
  #dropped = false;

  constructor(inner: Future<T>, metrics: RawMetrics) {
    super();
    this.#inner = inner;
    this.#state = new State(metrics);
    this.#cx = new Context(Waker.fromRaw(new RawWaker(this.#state, VTABLE)));
    metrics.instrumentedCount++;
    this.#instrumentedAt = this.#idledAt = metrics.now();
  }

  poll(cx: Context): Poll<T> {
    const state = this.#state;
    const m = state.metrics;
    const pollStart = m.now();
    if (!this.#didPollOnce) {
      this.#didPollOnce = true;
      m.totalFirstPollDelay += pollStart - this.#instrumentedAt;
      m.firstPollCount++;
    }
    const wokeAt = state.wokeAt;
    state.wokeAt = null;
    if (wokeAt !== null) {
      if (this.#idledAt < wokeAt) {
        const idle = wokeAt - this.#idledAt;
        m.totalIdledCount++;
        m.totalIdleDuration += idle;
        if (idle > m.maxIdleDuration) m.maxIdleDuration = idle;
        if (idle > m.localMaxIdleDuration) m.localMaxIdleDuration = idle;
      }
      const scheduled = pollStart - wokeAt;
      if (scheduled >= m.longDelayThresholdMs) {
        m.totalLongDelayCount++;
        m.totalLongDelayDuration += scheduled;
      } else {
        m.totalShortDelayCount++;
        m.totalShortDelayDuration += scheduled;
      }
      m.totalScheduledCount++;
      m.totalScheduledDuration += scheduled;
    }
    state.waker.register(cx.waker);
    const innerStart = m.now();
    let out: Poll<T>;
    try {
      out = this.#inner.poll(this.#cx);
    } finally {
      const end = m.now();
      this.#idledAt = end;
      const took = end - innerStart;
      if (took >= m.slowPollThresholdMs) {
        m.totalSlowPollCount++;
        m.totalSlowPollDuration += took;
      } else {
        m.totalFastPollCount++;
        m.totalFastPollDuration += took;
      }
      m.totalPollCount++;
      m.totalPollDuration += took;
    }
    if (out !== Pending) this.#drop();
    return out;
  }

  /** Drops the inner future (if unfinished) and counts this future as dropped. */
  [Symbol.dispose](): void {
    if (this.#dropped) return;
    this.#drop();
    this.#inner[Symbol.dispose]?.();
  }

  #drop(): void {
    if (this.#dropped) return;
    this.#dropped = true;
    this.#state.metrics.droppedCount++;
  }
}
