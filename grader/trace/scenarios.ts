/**
 * The scheduler scenarios of `kata trace`: small workloads on chapter 09's multi-thread runtime, recorded through
 * its trace sink. Run in a child process (child.ts) whose resolve conditions pick the reference or the learner's
 * chapter 09 (over the reference of the others).
 *
 * Every scenario is deterministic for a seed: the runtime is built with `rngSeed(seed)`, a paused clock (so the
 * adaptive global queue interval reads no real time) and the seeded interleaving. CPU work is counted, not timed:
 * a task that "works" for `n` units calls `work(n)`, and the poll that did it carries `work: n`, which the timeline
 * draws as `n` steps wide. The page is then the same for the same seed on every machine.
 */
import { FutureBase, Pending, type Poll } from "#kata/01-poll";
import { asyncBlock } from "#kata/02-state-machines";
import type { Context, Waker } from "#kata/03-waker";
import type { JoinHandle } from "#kata/06-task";
import { Builder, spawn, type MultiThreadHandle, type Runtime, type TraceEvent } from "#kata/09-work-stealing";
import { yieldNow } from "#kata/14-blocking";
import type { SchedulerTrace, TraceEventData, WorkerCounts } from "./model.ts";

/** Events kept at most: a runaway scenario still gives a page. */
export const MAX_EVENTS = 50_000;

export interface SchedulerScenario {
  title: string;
  about: string[];
  /** runs the workload on `rt`; `label(handle, name)` names a task on the page; `work(n)` declares CPU work */
  run(rt: Runtime, label: (handle: JoinHandle<unknown>, name: string) => void, work: (units: number) => void): Promise<void>;
  lifo?: boolean;
}

/** A one-slot mailbox: `send` stores a value and wakes the task waiting in it (as in chapter 09's LIFO example). */
class Mailbox extends FutureBase<number> {
  #value: number | null = null;
  #waker: Waker | null = null;
  send(value: number): void {
    this.#value = value;
    const w = this.#waker;
    this.#waker = null;
    w?.wake();
  }
  poll(cx: Context): Poll<number> {
    if (this.#value === null) {
      this.#waker?.drop();
      this.#waker = cx.waker.clone();
      return Pending;
    }
    const v = this.#value;
    this.#value = null;
    return v;
  }
}

const pingPong = (rounds: number): SchedulerScenario["run"] => (rt, label) =>
  rt.blockOn(
    asyncBlock(function* () {
      const toA = new Mailbox();
      const toB = new Mailbox();
      const a = spawn(
        asyncBlock(function* () {
          for (let i = 0; i < rounds; i++) {
            toB.send(i);
            yield* toA;
          }
        }),
      );
      const b = spawn(
        asyncBlock(function* () {
          for (let i = 0; i < rounds; i++) toA.send(yield* toB);
        }),
      );
      label(a, "ping");
      label(b, "pong");
      yield* a;
      yield* b;
    }),
  );

const TICKERS = 3;
const ROUNDS = 16;
const WARM = 4;
/**
 * Tickers that each work one unit and yield, round after round, beside a hog of `units`: it yields a few times
 * first (so the tickers are under way), then works all its units in one poll, or yields after each.
 */
const hog = (units: number, yielding: boolean): SchedulerScenario["run"] => (rt, label, work) =>
  rt.blockOn(
    asyncBlock(function* () {
      const tickers: JoinHandle<void>[] = [];
      for (let t = 0; t < TICKERS; t++) {
        const h = spawn(
          asyncBlock(function* () {
            for (let i = 0; i < ROUNDS; i++) {
              work(1);
              yield* yieldNow();
            }
          }),
        );
        label(h, `ticker ${t + 1}`);
        tickers.push(h);
      }
      const hogTask = spawn(
        asyncBlock(function* () {
          for (let i = 0; i < WARM; i++) yield* yieldNow();
          if (!yielding) {
            work(units);
            return;
          }
          for (let i = 0; i < units; i++) {
            work(1);
            yield* yieldNow();
          }
        }),
      );
      label(hogTask, "hog");
      yield* hogTask;
      for (const t of tickers) yield* t;
    }),
  );

const HOG_ABOUT = [
  "Three tickers each do one unit of CPU work and yieldNow(), sixteen times; a hog yields a few times, then does 40 units of work. Boxes are as wide as the work their poll did (counted, not burned), so the page reads like time on one thread.",
  "Our logical workers share one JavaScript thread: while a poll runs, no other lane moves. In Tokio each worker is a thread, so a hog blocks only its own worker and the tasks queued behind it (the task in its LIFO slot cannot even be stolen), while the other workers go on. Either way a task that never yields holds on to a worker for as long as it likes: the summary's longest poll and the longest gap between two polls of a ticker say how long.",
];

export const SCHEDULER_SCENARIOS: Record<string, SchedulerScenario> = {
  "spawn-burst": {
    title: "A spawn burst",
    about: [
      "One task spawns 48 children, each of which yields once and returns. The children land in the spawning worker's LIFO slot and local queue; the other workers wake, search, and steal half of that queue at a time (the arrows), then park when there is nothing left.",
      "Look for: green boxes (polls of stolen tasks) spreading over the lanes, the spawner's amber LIFO polls, and the hatched parks at the end.",
    ],
    run: (rt, label) =>
      rt.blockOn(
        asyncBlock(function* () {
          const parent = spawn(
            asyncBlock(function* () {
              const children: JoinHandle<number>[] = [];
              for (let i = 1; i <= 48; i++) {
                const child = spawn(
                  asyncBlock(function* () {
                    yield* yieldNow();
                    return i;
                  }),
                );
                label(child, `child ${i}`);
                children.push(child);
              }
              let total = 0;
              for (const child of children) total += yield* child;
              return total;
            }),
          );
          label(parent, "spawner");
          yield* parent;
        }),
      ),
  },
  "ping-pong": {
    title: "A message-passing pair",
    about: [
      "Two tasks send each other 30 messages through one-slot mailboxes. Each send wakes the other task, which goes into the sender's LIFO slot and runs next on the same worker (amber), while its cache would still be warm in Tokio.",
      "Look for: the pair staying on one lane, and the third LIFO poll in a row bypassing the slot (MAX_LIFO_POLLS_PER_TICK), which gives the other workers a chance to steal one of them. Compare with ping-pong-no-lifo.",
    ],
    run: pingPong(30),
  },
  "ping-pong-no-lifo": {
    title: "A message-passing pair without the LIFO slot",
    about: [
      "The same pair with disableLifoSlot(): every wake goes to the back of the waker's queue, where an idle worker can steal it. The pair migrates between lanes on most messages (green polls of stolen tasks).",
    ],
    run: pingPong(30),
    lifo: false,
  },
  "cpu-hog": {
    title: "A CPU hog that never yields",
    about: HOG_ABOUT,
    run: hog(40, false),
  },
  "cpu-hog-yield": {
    title: "A CPU hog that calls yieldNow() after each unit",
    about: [
      ...HOG_ABOUT,
      "Here the hog yields after every unit (seed 9.2's manual yield): no poll is longer than one unit, the tickers run between the hog's polls, and their longest gap is what the scheduling itself costs (every worker's steps count on one thread), not the hog's 40 units. Compare the summary with cpu-hog's.",
    ],
    run: hog(40, true),
  },
};

const counts = (m: WorkerCounts): WorkerCounts => ({
  pollCount: m.pollCount,
  localScheduleCount: m.localScheduleCount,
  stealCount: m.stealCount,
  stealOperations: m.stealOperations,
  overflowCount: m.overflowCount,
  parkCount: m.parkCount,
  parkUnparkCount: m.parkUnparkCount,
  noopCount: m.noopCount,
  budgetForcedYieldCount: m.budgetForcedYieldCount,
});

/** Runs a scenario on a fresh seeded runtime and returns its trace. */
export async function recordScheduler(name: string, seed: number, workers: number, source: string): Promise<SchedulerTrace> {
  const scenario = SCHEDULER_SCENARIOS[name];
  if (scenario === undefined) throw new Error(`no scheduler scenario "${name}"`);
  const events: TraceEventData[] = [];
  let truncated = false;
  let workDone = 0;
  let workAtPoll = 0;
  const sink = (e: TraceEvent) => {
    if (e.kind === "poll") workAtPoll = workDone;
    if (events.length >= MAX_EVENTS) {
      truncated = true;
      return;
    }
    events.push(e.kind === "poll-end" && workDone > workAtPoll ? { ...e, work: workDone - workAtPoll } : { ...e });
  };
  let builder = Builder.newMultiThread().workerThreads(workers).rngSeed(seed).enableTime().startPaused().traceSink(sink);
  if (scenario.lifo === false) builder = builder.disableLifoSlot();
  const rt = builder.build();
  const tasks: Record<string, string> = {};
  const label = (handle: JoinHandle<unknown>, what: string) => {
    tasks[String(handle.id)] = what;
  };
  try {
    await scenario.run(rt, label, (units) => {
      workDone += units;
    });
    const m = rt.metrics();
    const inner = rt.handle().inner as Partial<MultiThreadHandle>;
    const counters = inner.counters === undefined ? undefined : Object.fromEntries(Object.entries(inner.counters).filter(([, v]) => typeof v === "number"));
    return {
      schema: "kata-trace/1",
      scenario: name,
      title: scenario.title,
      about: scenario.about,
      source,
      seed,
      workers,
      truncated,
      events,
      tasks,
      metrics: {
        workers: Array.from({ length: m.numWorkers() }, (_, i) => counts(m.worker(i))),
        remoteScheduleCount: m.remoteScheduleCount(),
        spawnedTasksCount: m.spawnedTasksCount(),
        ...(counters === undefined ? {} : { counters }),
      },
    };
  } finally {
    rt.shutdown();
  }
}
