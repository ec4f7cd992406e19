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
import { todo } from "#kit/todo";
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
  // Sketch: the event order (from `seq.next()`) of the last poll start, the last poll end and the last wake; 0: never.

  constructor(
    readonly id: number,
    readonly name: string | undefined,
    readonly now: Now,
    readonly seq: Sequence,
  ) {
    this.createdAt = now();
  }

  startPoll(at: number): void {
    return todo("19-capstone", "TaskStats.startPoll");
  }

  endPoll(at: number): void {
    return todo("19-capstone", "TaskStats.endPoll");
  }

  /** A wake at `at` (the latest wake time is kept); `selfWake` when it happened during the task's own poll. */
  wake(at: number, selfWake: boolean): void {
    return todo("19-capstone", "TaskStats.wake");
  }

  /** The task is done (completed, failed or dropped) at `at`; the first call counts. */
  drop(at: number): void {
    return todo("19-capstone", "TaskStats.drop");
  }

  isCompleted(): boolean {
    return todo("19-capstone", "TaskStats.isCompleted");
  }

  /** A poll started after the last poll ended. */
  isRunning(): boolean {
    return todo("19-capstone", "TaskStats.isRunning");
  }

  /** Woken after the last poll started. */
  isScheduled(): boolean {
    return todo("19-capstone", "TaskStats.isScheduled");
  }

  /** Woken and not polled since, or never polled yet (waiting for its first poll). */
  isAwakened(): boolean {
    return todo("19-capstone", "TaskStats.isAwakened");
  }

  /** completed, else running, else scheduled, else idle. */
  state(): TaskState {
    return todo("19-capstone", "TaskStats.state");
  }

  /** Live wakers: clones minus drops (never below 0). */
  wakerCount(): number {
    return todo("19-capstone", "TaskStats.wakerCount");
  }

  /**
   * Self-wakes as a whole percentage of all wakes: `trunc((selfWakes / wakes) * 100)`, as tokio-console computes it;
   * 0 without wakes.
   */
  selfWakePercent(): number {
    return todo("19-capstone", "TaskStats.selfWakePercent");
  }

  /** The task's lifetime: from creation to its drop, or to `now`. */
  total(now: number = this.now()): number {
    return todo("19-capstone", "TaskStats.total");
  }

  /** `busyTime`, plus `now - lastPollStarted` while running. */
  busy(now: number = this.now()): number {
    return todo("19-capstone", "TaskStats.busy");
  }

  /** `scheduledTime`, plus `now - lastWake` while scheduled (and not completed). */
  scheduled(now: number = this.now()): number {
    return todo("19-capstone", "TaskStats.scheduled");
  }

  /** `total - busy - scheduled`, never below 0. */
  idle(now: number = this.now()): number {
    return todo("19-capstone", "TaskStats.idle");
  }
}
