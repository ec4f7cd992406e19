/**
 * Unowned tasks (Tokio's `UnownedTask` in `runtime/task/mod.rs`): tasks that no `OwnedTasks` list holds, such
 * as the blocking pool's jobs (chapter 14). Runtime shutdown cannot reach them through a list; whoever holds the
 * `UnownedTask` runs it or shuts it down.
 *
 * An `UnownedTask` holds two of the task's three initial references (the one a list would hold, and the
 * Notified one); the JoinHandle holds the third. Invariants: the `UnownedTask` is used once (`run`, `start` then
 * `finish`, `shutdown`, or dropped with `[Symbol.dispose]`); its scheduler's `release` returns false.
 */
import type { Future } from "#kata/01-poll";
import { RawTask, type Schedule } from "./core.ts";
import { finishPoll, shutdown, startPoll } from "./harness.ts";
import { nextTaskId } from "./id.ts";
import { JoinHandle } from "./join.ts";

export class UnownedTask<T = unknown> {
  #raw: RawTask<T> | null;

  constructor(raw: RawTask<T>) {
    this.#raw = raw;
  }

  get id(): number {
    return this.#live().id;
  }

  /** Runs the task: one poll, then drops the extra reference (Tokio's `UnownedTask::run`). */
  run(): void {
    if (this.start()) this.finish();
  }

  /**
   * The first half of `run`: claims the task for running. False if it was aborted before it started (it is
   * complete now, as cancelled) and the `UnownedTask` is used up; true if `finish` must follow.
   */
  start(): boolean {
    const raw = this.#live();
    if (startPoll(raw)) return true;
    this.#raw = null;
    raw.dropReference();
    return false;
  }

  /** The second half of `run`: polls the future once and drops the extra reference. */
  finish(): void {
    const raw = this.#live();
    this.#raw = null;
    finishPoll(raw);
    raw.dropReference();
  }

  /** Cancels the task without running it: its JoinHandle reports cancelled. */
  shutdown(): void {
    const raw = this.#live();
    this.#raw = null;
    raw.state.refDec();
    shutdown(raw);
  }

  /** Drops the task unrun: releases both references (the JoinHandle, if any, waits forever). */
  [Symbol.dispose](): void {
    const raw = this.#raw;
    this.#raw = null;
    if (raw !== null && raw.state.refDecTwice()) raw.dealloc();
  }

  #live(): RawTask<T> {
    if (this.#raw === null) throw new Error("UnownedTask used after it was run, shut down or dropped");
    return this.#raw;
  }
}

/** Creates a task that no list owns; returns its JoinHandle and the task to run (Tokio's `task::unowned`). */
export function unowned<T>(future: Future<T>, scheduler: Schedule, id: number = nextTaskId()): [JoinHandle<T>, UnownedTask<T>] {
  const raw = new RawTask(future, scheduler, id);
  return [new JoinHandle(raw), new UnownedTask(raw)];
}
