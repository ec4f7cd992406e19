/**
 * `RawWaker` and its vtable: the type-erased handle every waker is made of.
 *
 * Rust stores a data pointer and a table of four functions, so that any runtime (Tokio, smol, an embedded
 * executor) can plug its own notion of "schedule this task again" into the same `Waker` type. Here `data` is any
 * value and the vtable is a plain object; the contract of each entry is Rust's:
 * - `clone(data)` returns a new `RawWaker` for the same task (typically after incrementing a reference count);
 * - `wake(data)` wakes the task and releases this handle's reference;
 * - `wakeByRef(data)` wakes the task and keeps the reference;
 * - `drop(data)` releases the reference without waking.
 */
export interface RawWakerVTable {
  clone(data: unknown): RawWaker;
  wake(data: unknown): void;
  wakeByRef(data: unknown): void;
  drop(data: unknown): void;
}

export class RawWaker {
  constructor(
    readonly data: unknown,
    readonly vtable: RawWakerVTable,
  ) {}
}
