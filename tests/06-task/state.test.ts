/**
 * Task 1: the state word. Every state is reached through transitions only, and every transition's decision and
 * resulting word are checked against Tokio's `runtime/task/state.rs`.
 */
import { describe, expect, it } from "vitest";
import { refCount, State, state } from "#kata/06-task";
import { describeWord } from "../_support/06-task.ts";

const { RUNNING, COMPLETE, NOTIFIED, JOIN_INTEREST, JOIN_WAKER, CANCELLED, REF_ONE } = state;

function expectWord(s: State, flags: number, refs: number, what: string): void {
  const want = flags + refs * REF_ONE;
  expect(describeWord(s.load()), what).toBe(describeWord(want));
  expect(s.load(), what).toBe(want);
}

/** A task that has been polled once and went idle: JOIN_INTEREST, two references (list + JoinHandle). */
function idleTask(): State {
  const s = new State();
  expect(s.transitionToRunning(), "s.transitionToRunning()").toBe("Success");
  expect(s.transitionToIdle(), "s.transitionToIdle()").toBe("Ok");
  return s;
}

/** A task being polled: RUNNING|JOIN_INTEREST, three references (list, the poll's Notified, JoinHandle). */
function runningTask(): State {
  const s = new State();
  expect(s.transitionToRunning(), "s.transitionToRunning()").toBe("Success");
  return s;
}

/** A task that completed and whose scheduler released it: COMPLETE|JOIN_INTEREST, one reference (JoinHandle). */
function completeTask(): State {
  const s = runningTask();
  s.transitionToComplete();
  expect(s.transitionToTerminal(2), "s.transitionToTerminal(2)").toBe(false);
  return s;
}

describe("Task 1: The state word", () => {
  it("a new task starts at three references with NOTIFIED and JOIN_INTEREST; transitionToRunning claims it", () => {
    const s = new State();
    expectWord(s, NOTIFIED | JOIN_INTEREST, 3, "INITIAL_STATE = 3 * REF_ONE | JOIN_INTEREST | NOTIFIED");
    expect(s.load(), "the initial word as a number").toBe(204);
    expect(s.transitionToRunning(), "s.transitionToRunning()").toBe("Success");
    expectWord(s, RUNNING | JOIN_INTEREST, 3, "Success: RUNNING set, NOTIFIED cleared, references unchanged");
  });

  it("transitionToRunning reports Cancelled for a task aborted before its poll, and still claims it", () => {
    const s = new State();
    expect(s.transitionToNotifiedAndCancel(), "already notified: nothing to submit").toBe(false);
    expect(s.transitionToRunning(), "s.transitionToRunning()").toBe("Cancelled");
    expectWord(s, RUNNING | JOIN_INTEREST | CANCELLED, 3, "a cancelled task is claimed for cancelling");
  });

  it("transitionToRunning on a task that is not idle drops the caller's reference: Failed, or Dealloc", () => {
    const s = runningTask();
    expect(s.transitionToNotifiedByRef(), "s.transitionToNotifiedByRef()").toBe("DoNothing");
    expect(s.transitionToRunning(), "someone else is polling it").toBe("Failed");
    expectWord(s, RUNNING | NOTIFIED | JOIN_INTEREST, 2, "Failed consumes one reference");

    const last = runningTask();
    last.refDec();
    last.refDec();
    expect(last.transitionToNotifiedByRef(), "last.transitionToNotifiedByRef()").toBe("DoNothing");
    expect(last.transitionToRunning(), "the caller held the last reference").toBe("Dealloc");
    expect(refCount(last.load())).toBe(0);
  });

  it("transitionToRunning refuses a task that is not notified", () => {
    const s = idleTask();
    expect(() => s.transitionToRunning()).toThrow();
  });

  it("transitionToIdle: Ok drops the poll's reference, OkNotified takes one for the requeue", () => {
    const s = runningTask();
    expect(s.transitionToIdle(), "s.transitionToIdle()").toBe("Ok");
    expectWord(s, JOIN_INTEREST, 2, "after an idle transition without a wake");

    const woken = runningTask();
    expect(woken.transitionToNotifiedByRef(), "woken.transitionToNotifiedByRef()").toBe("DoNothing");
    expect(woken.transitionToIdle(), "woken.transitionToIdle()").toBe("OkNotified");
    expectWord(woken, NOTIFIED | JOIN_INTEREST, 4, "woken during its poll: still notified, one more reference");
  });

  it("transitionToIdle: OkDealloc for the last reference, Cancelled leaves the word alone", () => {
    const s = runningTask();
    s.refDec();
    s.refDec();
    expect(s.transitionToIdle(), "s.transitionToIdle()").toBe("OkDealloc");
    expect(refCount(s.load())).toBe(0);

    const c = runningTask();
    expect(c.transitionToNotifiedAndCancel(), "c.transitionToNotifiedAndCancel()").toBe(false);
    const before = c.load();
    expect(c.transitionToIdle(), "c.transitionToIdle()").toBe("Cancelled");
    expect(describeWord(c.load()), "Cancelled changes nothing: the poller cancels").toBe(describeWord(before));
  });

  it("transitionToComplete flips RUNNING to COMPLETE; transitionToTerminal says when the last references go", () => {
    const s = runningTask();
    const snapshot = s.transitionToComplete();
    expect(describeWord(snapshot), "describeWord(snapshot)").toBe(describeWord(COMPLETE | JOIN_INTEREST | 3 * REF_ONE));
    expect(s.load(), "s.load()").toBe(snapshot);
    expect(() => s.transitionToComplete(), "completing twice").toThrow();
    expect(s.transitionToTerminal(2), "two of three references").toBe(false);
    expect(s.transitionToTerminal(1), "the last one").toBe(true);
    expect(refCount(s.load())).toBe(0);
  });

  it("transitionToNotifiedByVal: Submit when idle, DoNothing when running or notified, Dealloc for the last", () => {
    const idle = idleTask();
    idle.refInc(); // the waker's reference
    expect(idle.transitionToNotifiedByVal(), "idle.transitionToNotifiedByVal()").toBe("Submit");
    expectWord(idle, NOTIFIED | JOIN_INTEREST, 4, "Submit: a new Notified reference; the caller drops its own");

    const running = runningTask();
    running.refInc();
    expect(running.transitionToNotifiedByVal(), "running.transitionToNotifiedByVal()").toBe("DoNothing");
    expectWord(running, RUNNING | NOTIFIED | JOIN_INTEREST, 3, "running: mark NOTIFIED, consume the waker's ref");

    const notified = new State();
    notified.refInc();
    expect(notified.transitionToNotifiedByVal(), "notified.transitionToNotifiedByVal()").toBe("DoNothing");
    expectWord(notified, NOTIFIED | JOIN_INTEREST, 3, "already notified: only the reference is consumed");

    const done = completeTask();
    expect(done.transitionToNotifiedByVal(), "complete, and the waker held the last reference").toBe("Dealloc");
    expect(refCount(done.load())).toBe(0);
  });

  it("transitionToNotifiedByRef: the same decisions without consuming a reference", () => {
    const idle = idleTask();
    expect(idle.transitionToNotifiedByRef(), "idle.transitionToNotifiedByRef()").toBe("Submit");
    expectWord(idle, NOTIFIED | JOIN_INTEREST, 3, "Submit takes a reference for the Notified");
    expect(idle.transitionToNotifiedByRef(), "a second wake coalesces").toBe("DoNothing");
    expectWord(idle, NOTIFIED | JOIN_INTEREST, 3, "unchanged by the coalesced wake");

    const running = runningTask();
    expect(running.transitionToNotifiedByRef(), "running.transitionToNotifiedByRef()").toBe("DoNothing");
    expectWord(running, RUNNING | NOTIFIED | JOIN_INTEREST, 3, "running: NOTIFIED only");

    const done = completeTask();
    expect(done.transitionToNotifiedByRef(), "done.transitionToNotifiedByRef()").toBe("DoNothing");
    expectWord(done, COMPLETE | JOIN_INTEREST, 1, "complete is final");
  });

  it("transitionToNotifiedAndCancel: submit only an idle task that was not notified", () => {
    const idle = idleTask();
    expect(idle.transitionToNotifiedAndCancel(), "idle, not notified: submit it").toBe(true);
    expectWord(idle, NOTIFIED | JOIN_INTEREST | CANCELLED, 3, "CANCELLED|NOTIFIED and a Notified reference");
    expect(idle.transitionToNotifiedAndCancel(), "already cancelled: no-op").toBe(false);

    const running = runningTask();
    expect(running.transitionToNotifiedAndCancel(), "running.transitionToNotifiedAndCancel()").toBe(false);
    expectWord(running, RUNNING | NOTIFIED | CANCELLED | JOIN_INTEREST, 3, "running: the poller will cancel");

    const done = completeTask();
    expect(done.transitionToNotifiedAndCancel(), "done.transitionToNotifiedAndCancel()").toBe(false);
    expectWord(done, COMPLETE | JOIN_INTEREST, 1, "aborting a completed task changes nothing");
  });

  it("transitionToShutdown claims an idle task and only marks a running one", () => {
    const idle = idleTask();
    expect(idle.transitionToShutdown(), "idle.transitionToShutdown()").toBe(true);
    expectWord(idle, RUNNING | CANCELLED | JOIN_INTEREST, 2, "idle: CANCELLED and RUNNING claimed");

    const running = runningTask();
    expect(running.transitionToShutdown(), "running.transitionToShutdown()").toBe(false);
    expectWord(running, RUNNING | CANCELLED | JOIN_INTEREST, 3, "running: CANCELLED only");
  });

  it("dropping a JoinHandle: the fast path works only from the initial state; the slow path says what to drop", () => {
    const fresh = new State();
    expect(fresh.dropJoinHandleFast(), "fresh.dropJoinHandleFast()").toBe(true);
    expectWord(fresh, NOTIFIED, 2, "fast path: JOIN_INTEREST and one reference gone");

    const polled = idleTask();
    expect(polled.dropJoinHandleFast(), "polled.dropJoinHandleFast()").toBe(false);
    expect(polled.transitionToJoinHandleDropped(), "polled.transitionToJoinHandleDropped()").toEqual({ dropWaker: true, dropOutput: false });
    expectWord(polled, 0, 2, "slow path clears JOIN_INTEREST; the reference is dropped separately");

    const waiting = idleTask();
    expect(waiting.setJoinWaker(), "waiting.setJoinWaker()").toBe(true);
    expect(waiting.transitionToJoinHandleDropped(), "incomplete: take the waker back and drop it").toEqual({
      dropWaker: true,
      dropOutput: false,
    });
    expectWord(waiting, 0, 2, "JOIN_WAKER cleared with JOIN_INTEREST");

    const done = completeTask();
    expect(done.transitionToJoinHandleDropped(), "complete: the handle drops the output").toEqual({
      dropWaker: true,
      dropOutput: true,
    });
  });

  it("the join waker hand-off: set and unset while incomplete, refused once complete", () => {
    const s = idleTask();
    expect(s.setJoinWaker(), "s.setJoinWaker()").toBe(true);
    expectWord(s, JOIN_INTEREST | JOIN_WAKER, 2, "JOIN_WAKER: the runtime owns the waker");
    expect(s.unsetWaker(), "s.unsetWaker()").toBe(true);
    expectWord(s, JOIN_INTEREST, 2, "the handle took it back");
    expect(s.setJoinWaker(), "s.setJoinWaker()").toBe(true);

    const done = runningTask();
    done.transitionToComplete();
    expect(done.setJoinWaker(), "complete: the handle must read the output instead").toBe(false);
    expect(done.unsetWaker(), "done.unsetWaker()").toBe(false);

    const woke = idleTask();
    expect(woke.setJoinWaker(), "woke.setJoinWaker()").toBe(true);
    expect(woke.transitionToNotifiedByRef(), "woke.transitionToNotifiedByRef()").toBe("Submit");
    expect(woke.transitionToRunning(), "woke.transitionToRunning()").toBe("Success");
    woke.transitionToComplete();
    const after = woke.unsetWakerAfterComplete();
    expect(describeWord(after), "describeWord(after)").toBe(describeWord(COMPLETE | JOIN_INTEREST | 3 * REF_ONE));
  });

  it("refInc, refDec and refDecTwice count references above the flags", () => {
    const s = new State();
    s.refInc();
    expectWord(s, NOTIFIED | JOIN_INTEREST, 4, "after refInc");
    expect(s.refDec(), "4 -> 3").toBe(false);
    expect(s.refDecTwice(), "3 -> 1").toBe(false);
    expect(s.refDec(), "1 -> 0: the last").toBe(true);
    expectWord(s, NOTIFIED | JOIN_INTEREST, 0, "flags untouched by the count");
    expect(() => s.refDec(), "below zero").toThrow();
  });
  it("each transition throws on a word the table does not allow", () => {
    expect(() => idleTask().transitionToIdle(), "transitionToIdle on an idle task").toThrow();
    expect(() => idleTask().transitionToComplete(), "transitionToComplete on an idle task").toThrow();
    const done = runningTask();
    done.transitionToComplete();
    expect(() => done.transitionToComplete(), "transitionToComplete twice").toThrow();
    expect(() => completeTask().transitionToTerminal(2), "transitionToTerminal(2) with one reference left").toThrow();
    const dropped = idleTask();
    dropped.transitionToJoinHandleDropped();
    expect(() => dropped.transitionToJoinHandleDropped(), "a second JoinHandle drop").toThrow();
    expect(() => dropped.setJoinWaker(), "setJoinWaker without JOIN_INTEREST").toThrow();
    expect(() => dropped.unsetWaker(), "unsetWaker without JOIN_INTEREST").toThrow();
    const doneDropped = completeTask();
    doneDropped.transitionToJoinHandleDropped();
    expect(() => doneDropped.unsetWaker(), "unsetWaker without JOIN_INTEREST, complete").toThrow();
    const twice = idleTask();
    expect(twice.setJoinWaker(), "twice.setJoinWaker()").toBe(true);
    expect(() => twice.setJoinWaker(), "setJoinWaker with JOIN_WAKER already set").toThrow();
  });

  it("refDecTwice reports the last two references; shutdown never claims a completed task", () => {
    const s = idleTask(); // two references
    expect(s.refDecTwice(), "2 -> 0: they were the last").toBe(true);
    expect(refCount(s.load())).toBe(0);
    const done = completeTask();
    expect(done.transitionToShutdown(), "a completed task is not idle").toBe(false);
    expect(describeWord(done.load()), "COMPLETE stays, RUNNING is not set").toBe(describeWord(COMPLETE | CANCELLED | JOIN_INTEREST | REF_ONE));
  });

  it("dropping the JoinHandle of a completed task whose waker the runtime still holds: drop the output, not the waker", () => {
    const s = idleTask();
    expect(s.setJoinWaker(), "s.setJoinWaker()").toBe(true);
    expect(s.transitionToNotifiedByRef(), "s.transitionToNotifiedByRef()").toBe("Submit");
    expect(s.transitionToRunning(), "s.transitionToRunning()").toBe("Success");
    s.transitionToComplete();
    expect(s.transitionToJoinHandleDropped(), "JOIN_WAKER is still set: the runtime side drops the waker").toEqual({
      dropWaker: false,
      dropOutput: true,
    });
  });
});
