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
 */
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

const isIdle = (word: number) => (word & LIFECYCLE_MASK) === 0;

function refDecIn(word: number): number {
  if (refCount(word) < 1) throw new Error("task reference count underflow");
  return word - REF_ONE;
}

export class State {
  #word = INITIAL_STATE;

  /** The current word (a snapshot). */
  load(): number {
    return this.#word;
  }

  isComplete(): boolean {
    return isSet(this.#word, COMPLETE);
  }

  /** Called by whoever pops the task from a run queue. */
  transitionToRunning(): TransitionToRunning {
    let w = this.#word;
    if (!isSet(w, NOTIFIED)) throw new Error("transitionToRunning: the task is not notified");
    if (!isIdle(w)) {
      w = refDecIn(w);
      this.#word = w;
      return refCount(w) === 0 ? "Dealloc" : "Failed";
    }
    w = (w | RUNNING) & ~NOTIFIED;
    this.#word = w;
    return isSet(w, CANCELLED) ? "Cancelled" : "Success";
  }

  /** Called after a poll that returned `Pending`. */
  transitionToIdle(): TransitionToIdle {
    let w = this.#word;
    if (!isSet(w, RUNNING)) throw new Error("transitionToIdle: the task is not running");
    if (isSet(w, CANCELLED)) return "Cancelled";
    w &= ~RUNNING;
    if (!isSet(w, NOTIFIED)) {
      w = refDecIn(w);
      this.#word = w;
      return refCount(w) === 0 ? "OkDealloc" : "Ok";
    }
    this.#word = w + REF_ONE;
    return "OkNotified";
  }

  /** RUNNING -> COMPLETE in one step; returns the new word. */
  transitionToComplete(): number {
    const prev = this.#word;
    if (!isSet(prev, RUNNING)) throw new Error("transitionToComplete: the task is not running");
    if (isSet(prev, COMPLETE)) throw new Error("transitionToComplete: the task is already complete");
    this.#word = prev ^ (RUNNING | COMPLETE);
    return this.#word;
  }

  /** Drops `count` references after completion; true if they were the last. */
  transitionToTerminal(count: number): boolean {
    const prev = this.#word;
    if (refCount(prev) < count) throw new Error(`transitionToTerminal: ${refCount(prev)} references, dropping ${count}`);
    this.#word = prev - count * REF_ONE;
    return refCount(prev) === count;
  }

  /** A wake that consumes the waker's reference. */
  transitionToNotifiedByVal(): TransitionToNotifiedByVal {
    let w = this.#word;
    if (isSet(w, RUNNING)) {
      w = refDecIn(w | NOTIFIED);
      if (refCount(w) === 0) throw new Error("a running task lost its last reference");
      this.#word = w;
      return "DoNothing";
    }
    if (isSet(w, COMPLETE) || isSet(w, NOTIFIED)) {
      w = refDecIn(w);
      this.#word = w;
      return refCount(w) === 0 ? "Dealloc" : "DoNothing";
    }
    this.#word = (w | NOTIFIED) + REF_ONE;
    return "Submit";
  }

  /** A wake through a borrowed waker: no reference is consumed. */
  transitionToNotifiedByRef(): TransitionToNotifiedByRef {
    const w = this.#word;
    if (isSet(w, COMPLETE) || isSet(w, NOTIFIED)) return "DoNothing";
    if (isSet(w, RUNNING)) {
      this.#word = w | NOTIFIED;
      return "DoNothing";
    }
    this.#word = (w | NOTIFIED) + REF_ONE;
    return "Submit";
  }

  /** `abort()`: true if the caller must submit the task to its scheduler. */
  transitionToNotifiedAndCancel(): boolean {
    const w = this.#word;
    if (isSet(w, CANCELLED) || isSet(w, COMPLETE)) return false;
    if (isSet(w, RUNNING)) {
      this.#word = w | NOTIFIED | CANCELLED;
      return false;
    }
    if (!isSet(w, NOTIFIED)) {
      this.#word = (w | CANCELLED | NOTIFIED) + REF_ONE;
      return true;
    }
    this.#word = w | CANCELLED;
    return false;
  }

  /** Runtime shutdown: sets CANCELLED and claims RUNNING if the task was idle; true if it was idle. */
  transitionToShutdown(): boolean {
    const prev = this.#word;
    let w = prev | CANCELLED;
    if (isIdle(prev)) w |= RUNNING;
    this.#word = w;
    return isIdle(prev);
  }

  /** The fast path of dropping a JoinHandle: only from the untouched initial state. */
  dropJoinHandleFast(): boolean {
    if (this.#word !== INITIAL_STATE) return false;
    this.#word = (INITIAL_STATE - REF_ONE) & ~JOIN_INTEREST;
    return true;
  }

  /** The slow path: clears JOIN_INTEREST (and JOIN_WAKER if still running) and says what the handle must drop. */
  transitionToJoinHandleDropped(): TransitionToJoinHandleDrop {
    let w = this.#word;
    if (!isSet(w, JOIN_INTEREST)) throw new Error("transitionToJoinHandleDropped: no join interest");
    const t: TransitionToJoinHandleDrop = { dropWaker: false, dropOutput: false };
    w &= ~JOIN_INTEREST;
    if (!isSet(w, COMPLETE)) w &= ~JOIN_WAKER;
    else t.dropOutput = true;
    if (!isSet(w, JOIN_WAKER)) t.dropWaker = true;
    this.#word = w;
    return t;
  }

  /** Hands the stored join waker to the runtime; fails (returns false) if the task completed meanwhile. */
  setJoinWaker(): boolean {
    const w = this.#word;
    if (!isSet(w, JOIN_INTEREST)) throw new Error("setJoinWaker: no join interest");
    if (isSet(w, JOIN_WAKER)) throw new Error("setJoinWaker: the join waker is already set");
    if (isSet(w, COMPLETE)) return false;
    this.#word = w | JOIN_WAKER;
    return true;
  }

  /** Takes the join waker back from the runtime; fails (returns false) if the task completed meanwhile. */
  unsetWaker(): boolean {
    const w = this.#word;
    if (!isSet(w, JOIN_INTEREST)) throw new Error("unsetWaker: no join interest");
    if (isSet(w, COMPLETE)) return false;
    if (!isSet(w, JOIN_WAKER)) throw new Error("unsetWaker: the join waker is not set");
    this.#word = w & ~JOIN_WAKER;
    return true;
  }

  /** After completion and waking the join waker: clears JOIN_WAKER; returns the new word. */
  unsetWakerAfterComplete(): number {
    const w = this.#word;
    if (!isSet(w, COMPLETE)) throw new Error("unsetWakerAfterComplete: the task is not complete");
    if (!isSet(w, JOIN_WAKER)) throw new Error("unsetWakerAfterComplete: the join waker is not set");
    this.#word = w & ~JOIN_WAKER;
    return this.#word;
  }

  refInc(): void {
    this.#word += REF_ONE;
  }

  /** True if this was the last reference. */
  refDec(): boolean {
    const prev = this.#word;
    this.#word = refDecIn(prev);
    return refCount(prev) === 1;
  }

  /** Drops two references at once (an unowned task holds two); true if they were the last. */
  refDecTwice(): boolean {
    const prev = this.#word;
    if (refCount(prev) < 2) throw new Error("task reference count underflow");
    this.#word = prev - 2 * REF_ONE;
    return refCount(prev) === 2;
  }
}
