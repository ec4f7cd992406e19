/**
 * Test helpers for polling futures by hand, with a waker whose traffic the test can read.
 */
import { Context, wakerFn, type Waker, type WakerStats } from "#kata/03-waker";
import type { Future, Poll } from "#kata/01-poll";

export interface Probe {
  cx: Context;
  waker: Waker;
  /** refs and wakes of the probe's waker */
  stats: WakerStats;
  /** polls `future` once with this probe's context */
  poll<T>(future: Future<T>): Poll<T>;
}

/** A context whose waker counts its wakes and references; `onWake` runs on each wake. */
export function probe(onWake: () => void = () => {}): Probe {
  const { waker, stats } = wakerFn(onWake);
  const cx = new Context(waker);
  return { cx, waker, stats, poll: (future) => future.poll(cx) };
}
