/**
 * The task state word (Tokio's `runtime/task/state.rs`).
 *
 * One integer holds six flags and, above them, the reference count:
 *
 *     bit 0 RUNNING        the task is being polled (or shut down) by someone who owns that right
 *     bit 1 COMPLETE       the future is gone; the output (or the JoinError) is stored
 *     bit 2 NOTIFIED       a wake is pending: the task is, or is about to be, in a run queue
 *     bit 3 JOIN_INTEREST  a JoinHandle still exists
 *     bit 4 JOIN_WAKER     the JoinHandle's waker is stored in the task and belongs to the runtime
 *     bit 5 CANCELLED      abort() or shutdown asked the task to stop at its next poll boundary
 *     bits 6.. REF_COUNT   references: the owned-tasks list, each Notified, the JoinHandle, each waker clone
 *
 * A new task starts at `INITIAL_STATE`: three references (the owned list, the first Notified, the JoinHandle),
 * JOIN_INTEREST and NOTIFIED. Every transition is a read-modify-write of the whole word that returns a decision
 * the harness acts on. In Rust each is a compare-and-swap loop because several threads race on the word; on our
 * one thread a plain read and write is atomic, and the decisions are the same. The word is a 32-bit integer, as
 * JavaScript's bitwise operators see it, so it counts up to 2^25 references (far more than a heap can hold tasks).
 *
 * Task 1 of the lesson: implement every method of `State` marked `todo`. The constants, the decision types and
 * the helpers above the class are given.
 */
import { todo } from "#kit/todo";

export const RUNNING = 0b1;
export const COMPLETE = 0b10;
export const LIFECYCLE_MASK = RUNNING | COMPLETE;
export const NOTIFIED = 0b100;
export const JOIN_INTEREST = 0b1000;
export const JOIN_WAKER = 0b1_0000;
export const CANCELLED = 0b10_0000;
export const STATE_MASK = LIFECYCLE_MASK | NOTIFIED | JOIN_INTEREST | JOIN_WAKER | CANCELLED;
export const REF_COUNT_SHIFT = 6;
export const REF_ONE = 1 << REF_COUNT_SHIFT;
export const INITIAL_STATE = REF_ONE * 3 + JOIN_INTEREST + NOTIFIED;

export type TransitionToRunning = "Success" | "Cancelled" | "Failed" | "Dealloc";
export type TransitionToIdle = "Ok" | "OkNotified" | "OkDealloc" | "Cancelled";
export type TransitionToNotifiedByVal = "DoNothing" | "Submit" | "Dealloc";
export type TransitionToNotifiedByRef = "DoNothing" | "Submit";
export interface TransitionToJoinHandleDrop {
  dropWaker: boolean;
  dropOutput: boolean;
}

/** The number of references recorded in a state word. */
export function refCount(word: number): number {
  return word >>> REF_COUNT_SHIFT;
}

/** Reads a flag out of a state word. */
export function isSet(word: number, flag: number): boolean {
  return (word & flag) === flag;
}

export class State {
  // The word itself; every method below reads and writes it.
  #word = INITIAL_STATE;

  /** The current word (a snapshot). */
  load(): number {
    return this.#word;
  }

  /** True once COMPLETE is set. */
  isComplete(): boolean {
    return isSet(this.#word, COMPLETE);
  }

  /**
   * Called by whoever pops the task from a run queue. The task must be NOTIFIED (throw otherwise).
   * - not idle (RUNNING or COMPLETE): drop the caller's reference; `"Dealloc"` if it was the last, else `"Failed"`;
   * - idle: set RUNNING, clear NOTIFIED; `"Cancelled"` if CANCELLED is set, else `"Success"`.
   */
  transitionToRunning(): TransitionToRunning {
    return todo("06-task", "State.transitionToRunning");
  }

  /**
   * Called after a poll that returned `Pending`. The task must be RUNNING (throw otherwise).
   * - CANCELLED: `"Cancelled"`, and the word is left unchanged (the poller cancels the task);
   * - otherwise clear RUNNING; if NOTIFIED is clear, drop the poll's reference (`"OkDealloc"` if it was the last,
   *   else `"Ok"`); if NOTIFIED is set (woken during the poll), add a reference for the requeue (`"OkNotified"`).
   */
  transitionToIdle(): TransitionToIdle {
    return todo("06-task", "State.transitionToIdle");
  }

  /**
   * RUNNING -> COMPLETE in one step (an exclusive-or of both bits); returns the new word. Throws if the task is
   * not running or already complete.
   */
  transitionToComplete(): number {
    return todo("06-task", "State.transitionToComplete");
  }

  /** Drops `count` references after completion; true if they were the last (throws if fewer are left). */
  transitionToTerminal(count: number): boolean {
    return todo("06-task", "State.transitionToTerminal");
  }

  /**
   * A wake that consumes the waker's reference.
   * - RUNNING: set NOTIFIED, drop the reference, `"DoNothing"` (the poller requeues the task);
   * - COMPLETE or NOTIFIED: drop the reference; `"Dealloc"` if it was the last, else `"DoNothing"`;
   * - idle and not notified: set NOTIFIED and add a reference (for the Notified the caller will submit): `"Submit"`.
   */
  transitionToNotifiedByVal(): TransitionToNotifiedByVal {
    return todo("06-task", "State.transitionToNotifiedByVal");
  }

  /**
   * A wake through a borrowed waker: no reference is consumed.
   * - COMPLETE or NOTIFIED: `"DoNothing"`; RUNNING: set NOTIFIED, `"DoNothing"`;
   * - idle and not notified: set NOTIFIED and add a reference: `"Submit"`.
   */
  transitionToNotifiedByRef(): TransitionToNotifiedByRef {
    return todo("06-task", "State.transitionToNotifiedByRef");
  }

  /**
   * `abort()`. Returns true if the caller must submit the task to its scheduler.
   * - CANCELLED or COMPLETE already: false, nothing changes;
   * - RUNNING: set NOTIFIED and CANCELLED, false (the poller cancels it when its poll ends);
   * - idle: set CANCELLED; if it was not NOTIFIED, also set NOTIFIED, add a reference and return true.
   */
  transitionToNotifiedAndCancel(): boolean {
    return todo("06-task", "State.transitionToNotifiedAndCancel");
  }

  /** Runtime shutdown: sets CANCELLED, and RUNNING too if the task was idle; true if it was idle (claimed). */
  transitionToShutdown(): boolean {
    return todo("06-task", "State.transitionToShutdown");
  }

  /**
   * The fast path of dropping a JoinHandle: succeeds (true) only if the word is exactly `INITIAL_STATE`, and then
   * clears JOIN_INTEREST and drops the handle's reference in one step.
   */
  dropJoinHandleFast(): boolean {
    return todo("06-task", "State.dropJoinHandleFast");
  }

  /**
   * The slow path: requires JOIN_INTEREST (throw otherwise) and clears it. If the task is not complete, clear
   * JOIN_WAKER too (the handle takes its waker back); if it is complete, `dropOutput` is true. `dropWaker` is
   * true when JOIN_WAKER is clear afterwards. The handle's reference is dropped separately.
   */
  transitionToJoinHandleDropped(): TransitionToJoinHandleDrop {
    return todo("06-task", "State.transitionToJoinHandleDropped");
  }

  /**
   * Hands the stored join waker to the runtime by setting JOIN_WAKER; false (nothing set) if the task is complete.
   * Requires JOIN_INTEREST and JOIN_WAKER clear (throw otherwise).
   */
  setJoinWaker(): boolean {
    return todo("06-task", "State.setJoinWaker");
  }

  /**
   * Takes the join waker back from the runtime by clearing JOIN_WAKER; false if the task is complete.
   * Requires JOIN_INTEREST (throw otherwise).
   */
  unsetWaker(): boolean {
    return todo("06-task", "State.unsetWaker");
  }

  /** After completion and waking the join waker: clears JOIN_WAKER; returns the new word. */
  unsetWakerAfterComplete(): number {
    return todo("06-task", "State.unsetWakerAfterComplete");
  }

  /** Adds a reference. */
  refInc(): void {
    return todo("06-task", "State.refInc");
  }

  /** Drops a reference; true if it was the last. Throws below zero. */
  refDec(): boolean {
    return todo("06-task", "State.refDec");
  }

  /** Drops two references at once (an unowned task holds two); true if they were the last. */
  refDecTwice(): boolean {
    return todo("06-task", "State.refDecTwice");
  }
}
