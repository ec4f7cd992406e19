/**
 * `TaskStats` (console-subscriber's `stats.rs` and tokio-console's `state/tasks.rs`): one task as the console
 * sees it: its polls, its wakes, and what its waker went through.
 *
 *     created ── wake ──▶ scheduled ── poll starts ──▶ running ── poll ends ──▶ idle ── wake ──▶ scheduled ...
 *                                                                                      └── completed (dropped)
 *
 *     busy      = the sum of the polls' durations (plus the current poll's time so far, while running)
 *     scheduled = the sum of the waits from a wake (or the end of the previous poll, if later) to the next poll
 *     idle      = lifetime - busy - scheduled
 *
 * - `startPoll(at)`: the first poll's time is kept; `polls` + 1; if the task was woken or polled before, the time
 *   since the later of its last wake and its last poll's end is added to `scheduledTime` (a wake during the poll,
 *   a self-wake, is measured from the poll's end, so busy and scheduled never overlap).
 * - `endPoll(at)`: `busyTime` += the poll's duration.
 * - Waker traffic: `clone` counts a clone, `drop` a drop; a wake by value counts a wake *and* a drop (the waker is
 *   consumed), by reference only a wake. A wake during the task's own poll is also a self-wake.
 * - `wakerCount()` = clones - drops: the live wakers that can still wake the task.
 *
 * Where JavaScript differs: the state (running, scheduled) compares the *order* of the last wake and the last poll's
 * start and end. On a paused clock two of them often share an instant, so the order is kept as a sequence number
 * the console hands out per event (`seq`), and the timestamps serve only for durations.
 */
import type { Now } from "./clock.ts";

export type TaskState = "idle" | "scheduled" | "running" | "completed";

/** Hands out the console's event order. */
export interface Sequence {
  next(): number;
}

export class TaskStats {
  readonly createdAt: number;
  droppedAt: number | null = null;
  polls = 0;
  firstPoll: number | null = null;
  lastPollStarted: number | null = null;
  lastPollEnded: number | null = null;
  lastWake: number | null = null;
  busyTime = 0;
  scheduledTime = 0;
  wakes = 0;
  selfWakes = 0;
  wakerClones = 0;
  wakerDrops = 0;
  /** Event order of the last poll start, poll end and wake (0: never). */
  #startedSeq = 0;
  #endedSeq = 0;
  #wakeSeq = 0;

  constructor(
    readonly id: number,
    readonly name: string | undefined,
    readonly now: Now,
    readonly seq: Sequence,
  ) {
    this.createdAt = now();
  }

  startPoll(at: number): void {
    this.firstPoll ??= at;
    this.lastPollStarted = at;
    this.#startedSeq = this.seq.next();
    this.polls++;
    const since = later(this.lastWake, this.lastPollEnded);
    if (since !== null) this.scheduledTime += Math.max(0, at - since);
  }

  endPoll(at: number): void {
    this.lastPollEnded = at;
    this.#endedSeq = this.seq.next();
    this.busyTime += at - (this.lastPollStarted ?? at);
  }

  wake(at: number, selfWake: boolean): void {
    this.lastWake = later(this.lastWake, at);
    this.#wakeSeq = this.seq.next();
    this.wakes++;
    if (selfWake) this.selfWakes++;
  }

  drop(at: number): void {
    this.droppedAt ??= at;
  }

  isCompleted(): boolean {
    return this.droppedAt !== null;
  }

  isRunning(): boolean {
    return this.#startedSeq > this.#endedSeq;
  }

  isScheduled(): boolean {
    return this.#wakeSeq > this.#startedSeq;
  }

  /** Woken and not polled since, or never polled yet (waiting for its first poll). */
  isAwakened(): boolean {
    return this.polls === 0 || this.#wakeSeq > this.#startedSeq;
  }

  state(): TaskState {
    if (this.isCompleted()) return "completed";
    if (this.isRunning()) return "running";
    if (this.isScheduled()) return "scheduled";
    return "idle";
  }

  /** Live wakers: clones minus drops (never below 0). */
  wakerCount(): number {
    return Math.max(0, this.wakerClones - this.wakerDrops);
  }

  /** Self-wakes as a whole percentage of all wakes (0 without wakes). */
  selfWakePercent(): number {
    // tokio-console's `percentage`: divide, then scale, in floating point, then truncate (`as u64`).
    return this.wakes === 0 ? 0 : Math.trunc((this.selfWakes / this.wakes) * 100);
  }

  /** The task's lifetime: from creation to its drop, or to `now`. */
  total(now: number = this.now()): number {
    return (this.droppedAt ?? now) - this.createdAt;
  }

  busy(now: number = this.now()): number {
    return this.isRunning() ? this.busyTime + (now - this.lastPollStarted!) : this.busyTime;
  }

  scheduled(now: number = this.now()): number {
    return this.isScheduled() && !this.isCompleted() ? this.scheduledTime + (now - this.lastWake!) : this.scheduledTime;
  }

  idle(now: number = this.now()): number {
    return Math.max(0, this.total(now) - this.busy(now) - this.scheduled(now));
  }
}

function later(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}
