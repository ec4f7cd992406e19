/**
 * Anti-delegation: the Node mechanisms a chapter's own code must not call, because the chapter asks for the
 * runtime's (a waker instead of a promise, the wheel instead of `setTimeout`, a park instead of a busy poll).
 *
 * Each rule was derived from the reference: no solution file of a chapter calls what its rule forbids, and
 * `kata verify` (gate 1) runs every suite with the detector on, so a rule that would fail the reference fails
 * the gate. Chapters that talk to Node on purpose (07's driver, 09's threads, 10-11's sockets, 14-15's thread
 * pool, 19) have no rule. Free of imports: loaded into every test fork.
 */

export type NativeApi = "setTimeout" | "setInterval" | "setImmediate" | "queueMicrotask" | "process.nextTick" | "Promise.then";

const TIMERS: NativeApi[] = ["setTimeout", "setInterval", "setImmediate"];
const MICROTASKS: NativeApi[] = ["queueMicrotask", "process.nextTick"];
const EVERYTHING: NativeApi[] = [...TIMERS, ...MICROTASKS, "Promise.then"];

export interface NativeRule {
  forbidden: readonly NativeApi[];
  /** what the chapter asks for instead, said to the student */
  instead: string;
}

const POLL = "a future makes progress only when it is polled, and wakes its task through the waker it was given";

export const NATIVE_RULES: Readonly<Record<string, NativeRule>> = {
  "01-poll": { forbidden: EVERYTHING, instead: POLL },
  "02-state-machines": { forbidden: EVERYTHING, instead: `${POLL}; an async fn is a generator driven by poll` },
  "03-waker": { forbidden: EVERYTHING, instead: "a wake calls the waker's vtable directly; nothing is deferred to Node" },
  "04-block-on": {
    forbidden: ["setInterval", "setImmediate", ...MICROTASKS],
    instead: "blockOn polls, then parks until a waker unparks it; it never polls again on its own (a busy poll)",
  },
  "05-pin": { forbidden: EVERYTHING, instead: POLL },
  "06-task": { forbidden: EVERYTHING, instead: "a task is scheduled through its Schedule, by the runtime, not by Node's queues" },
  "08-run-queue": { forbidden: EVERYTHING, instead: "the run queue is the ring buffer you build, not Node's queues" },
  "12-timer-wheel": { forbidden: EVERYTHING, instead: "timers live in the wheel's slots and fire when the wheel is advanced" },
  "13-time": {
    forbidden: [...TIMERS, ...MICROTASKS],
    instead: "a sleep is an entry in the timer wheel, fired by the time driver on the runtime's clock (tests run on a paused clock, where Node's timers never fire in time)",
  },
  "16-channels": { forbidden: EVERYTHING, instead: "a receiver waits by storing its waker in the channel; a sender wakes it" },
  "17-broadcast-watch": { forbidden: EVERYTHING, instead: "a receiver waits by storing its waker in the channel; a sender wakes it" },
  "18-select-cancel": { forbidden: EVERYTHING, instead: "select polls its branches itself and drops the losers" },
};

/** How the error a native call raises starts (the grader shows it in place of the test's own failure). */
export const NATIVE_ERROR = "kata native:";
