/**
 * Test helpers for chapter 14: threads and timers the test controls, so the pool's rules (cap, queue, keep-alive,
 * shutdown) can be checked without real threads or real time, and a driver handle whose event-loop holds and
 * clock switches are counted; and `spendBudget`, for the futures of later chapters that must yield with no budget.
 */
import { Context, Waker } from "#kata/03-waker";
import { budgetRemaining, pollProceed, type BlockingJob, type BlockingThread, type JobOutcome, type SpawnThread, type Timers } from "#kata/14-blocking";
import { createDriver, DriverHandle } from "#kata/07-current-thread";

/** Spends every unit left of the current budget (inside `budget(...)`): the next poll that spends one must yield. */
export function spendBudget(): void {
  const cx = new Context(Waker.noop());
  while (budgetRemaining()! > 0) pollProceed(cx);
}

/** A thread whose jobs the test finishes by hand. */
export class FakeThread implements BlockingThread {
  static started = 0;
  readonly name = `thread-${++FakeThread.started}`;
  readonly jobs: BlockingJob[] = [];
  #done: ((outcome: JobOutcome) => void) | null = null;
  refs = 0;
  terminated = false;

  get busy(): boolean {
    return this.#done !== null;
  }

  run(job: BlockingJob, done: (outcome: JobOutcome) => void): void {
    if (this.terminated) throw new Error(`${this.name} was given a job after it was terminated`);
    if (this.#done !== null) throw new Error(`${this.name} was given a job while it was running one`);
    this.jobs.push(job);
    this.#done = done;
    this.refs = 1;
  }

  unref(): void {
    this.refs = 0;
  }

  terminate(): void {
    this.terminated = true;
  }

  /** Finishes the running job with a value. */
  finish(value: unknown): void {
    this.#deliver({ ok: true, value });
  }

  /** Finishes the running job with a thrown error. */
  fail(error: unknown): void {
    this.#deliver({ ok: false, error });
  }

  /** The thread dies while running its job. */
  die(error: unknown): void {
    this.#deliver({ ok: false, error, threadDied: true });
  }

  #deliver(outcome: JobOutcome): void {
    const done = this.#done;
    if (done === null) throw new Error(`${this.name} has no job to finish`);
    this.#done = null;
    done(outcome);
  }
}

/** A `spawnThread` that records the threads it starts. */
export function fakeThreads(): { spawnThread: SpawnThread; threads: FakeThread[] } {
  const threads: FakeThread[] = [];
  return {
    threads,
    spawnThread: () => {
      const t = new FakeThread();
      threads.push(t);
      return t;
    },
  };
}

/** Timers on a clock that moves only when the test says so. */
export class FakeTimers implements Timers {
  now = 0;
  readonly #pending = new Map<number, { at: number; f: () => void }>();
  #next = 1;

  setTimeout(f: () => void, ms: number): unknown {
    const id = this.#next++;
    this.#pending.set(id, { at: this.now + ms, f });
    return id;
  }

  clearTimeout(timer: unknown): void {
    this.#pending.delete(timer as number);
  }

  /** Timers armed and not yet fired or cleared. */
  get armed(): number {
    return this.#pending.size;
  }

  /** Moves the clock by `ms`, firing every timer that falls due, in deadline order. */
  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      let first: [number, { at: number; f: () => void }] | undefined;
      for (const e of this.#pending) if (e[1].at <= until && (first === undefined || e[1].at < first[1].at)) first = e;
      if (first === undefined) break;
      this.#pending.delete(first[0]);
      this.now = first[1].at;
      first[1].f();
    }
    this.now = until;
  }
}

/** Counts what the pool asks of the clock (chapter 13's auto-advance switch). */
export interface ClockSwitches {
  inhibits: number;
  allows: number;
}

/**
 * A real driver handle (no I/O, no time) whose clock counts the auto-advance switches (`inhibitAutoAdvance`,
 * `allowAutoAdvance`) and whose `unpark` is counted.
 */
export function countingDriverHandle(): { driver: DriverHandle; switches: () => ClockSwitches; unparks: () => number } {
  let inhibits = 0;
  let allows = 0;
  let unparks = 0;
  const { handle: base } = createDriver({ enableIo: false, enableTime: false, startPaused: false, network: undefined });
  const clock = Object.assign(Object.create(base.clock) as object, {
    inhibitAutoAdvance: () => void inhibits++,
    allowAutoAdvance: () => void allows++,
  });
  const driver = new DriverHandle(null, null, clock as typeof base.clock, () => void unparks++);
  return { driver, switches: () => ({ inhibits, allows }), unparks: () => unparks };
}
