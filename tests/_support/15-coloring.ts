/**
 * Test helpers for chapter 15: runtimes of both flavours, and the worker threads of a multi-thread runtime.
 */
import { asyncBlock, type AsyncGen } from "#kata/02-state-machines";
import { Builder, MultiThreadHandle, Worker, type Runtime } from "#kata/09-work-stealing";
import { CONTEXT } from "#kit/context";

/** A multi-thread runtime of `workers` logical workers, seeded, with time paused. */
export function multiThread(seed: number, workers = 2): Runtime {
  return Builder.newMultiThread().workerThreads(workers).rngSeed(seed).enableTime().startPaused(true).build();
}

/** A current-thread runtime with everything enabled and time paused. */
export function currentThread(): Runtime {
  return Builder.newCurrentThread().enableAll().startPaused(true).build();
}

/** Runs `body` as the main future of `rt`, then shuts `rt` down. */
export async function runOn<T>(rt: Runtime, body: () => AsyncGen<T>): Promise<T> {
  try {
    return await rt.blockOn(asyncBlock(body));
  } finally {
    rt.shutdown();
  }
}

/** The logical worker threads of a multi-thread runtime, by worker index. */
export function workerThreads(rt: Runtime): readonly Worker[] {
  return (rt.handle().inner as MultiThreadHandle).scheduler.workers;
}

/** The worker (logical thread) polling the current task, or null. */
export function currentWorker(): Worker | null {
  const cx = CONTEXT.scheduler;
  return cx instanceof Worker ? cx : null;
}
