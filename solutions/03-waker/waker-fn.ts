/**
 * `wakerFn(f)`: a waker that calls `f` when woken, with its reference count in plain sight.
 *
 * The data behind the waker counts the live handles (`refs`: 1 for the first waker, +1 per clone, -1 per `wake`
 * or `drop`) and the wakes received. Tests and lessons read `stats` to see a runtime's waker traffic; `refs`
 * returns to 0 exactly when the last handle has been consumed.
 */
import { RawWaker, type RawWakerVTable } from "./raw-waker.ts";
import { Waker } from "./waker.ts";

export interface WakerStats {
  /** Live handles: wakers built from this data and not yet consumed by `wake()` or `drop()`. */
  readonly refs: number;
  /** Calls to `wake()` plus calls to `wakeByRef()`. */
  readonly wakes: number;
}

class FnWakerData implements WakerStats {
  refs = 1;
  wakes = 0;
  constructor(readonly f: () => void) {}
}

const FN_VTABLE: RawWakerVTable = {
  clone(data) {
    (data as FnWakerData).refs++;
    return new RawWaker(data, FN_VTABLE);
  },
  wake(data) {
    const d = data as FnWakerData;
    d.wakes++;
    d.refs--;
    d.f();
  },
  wakeByRef(data) {
    const d = data as FnWakerData;
    d.wakes++;
    d.f();
  },
  drop(data) {
    (data as FnWakerData).refs--;
  },
};

export function wakerFn(f: () => void = () => {}): { waker: Waker; stats: WakerStats } {
  const data = new FnWakerData(f);
  return { waker: Waker.fromRaw(new RawWaker(data, FN_VTABLE)), stats: data };
}
