/**
 * `AbortHandle` (Tokio's `runtime/task/abort.rs`): aborts a task without owning its output.
 * It holds a reference to the task; dropping it (`[Symbol.dispose]`) releases the reference and never aborts.
 */
import type { RawTask } from "./core.ts";
import { remoteAbort } from "./harness.ts";

export class AbortHandle {
  #raw: RawTask | null;

  constructor(raw: RawTask) {
    raw.state.refInc();
    this.#raw = raw;
  }

  abort(): void {
    if (this.#raw !== null) remoteAbort(this.#raw);
  }

  isFinished(): boolean {
    return this.#live().state.isComplete();
  }

  get id(): number {
    return this.#live().id;
  }

  [Symbol.dispose](): void {
    const raw = this.#raw;
    this.#raw = null;
    raw?.dropReference();
  }

  #live(): RawTask {
    if (this.#raw === null) throw new Error("AbortHandle used after it was dropped");
    return this.#raw;
  }
}
