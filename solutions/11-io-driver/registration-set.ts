/**
 * `RegistrationSet` (Tokio's `runtime/io/registration_set.rs`): every `ScheduledIo` the driver owns.
 *
 * Tokio's tokens are the addresses of the `ScheduledIo`s; ours are slot numbers in a slab (token 0 is the
 * driver's own waker). A slot may be reused by a later registration, so a deregistered `ScheduledIo` is not
 * freed at once: it waits in `pendingRelease` until the driver's next turn has dispatched every event that
 * might still carry its token, and only then is its slot released. Invariants:
 * - a token maps to at most one live `ScheduledIo`, and an event is never delivered to a registration that was
 *   made after the event's source was deregistered;
 * - when `NOTIFY_AFTER` (16) releases are pending, `deregister` returns true so the caller unparks the driver,
 *   which then turns and releases them;
 * - after `shutdown` nothing can be allocated, and the shut-down `ScheduledIo`s are handed back to be woken.
 */
import { gone } from "./errors.ts";
import { ScheduledIo } from "./scheduled-io.ts";

export const NOTIFY_AFTER = 16;

export class RegistrationSet {
  /** Slot i holds the `ScheduledIo` whose token is i; slot 0 is reserved for the driver's waker. */
  readonly #slab: (ScheduledIo | undefined)[] = [undefined];
  readonly #free: number[] = [];
  #pendingRelease: ScheduledIo[] = [];
  #isShutdown = false;
  #live = 0;

  isShutdown(): boolean {
    return this.#isShutdown;
  }

  /** Registrations that are allocated and not yet released. */
  get length(): number {
    return this.#live;
  }

  needsRelease(): boolean {
    return this.#pendingRelease.length !== 0;
  }

  allocate(): ScheduledIo {
    if (this.#isShutdown) throw gone();
    const token = this.#free.pop() ?? this.#slab.length;
    const io = new ScheduledIo(token);
    this.#slab[token] = io;
    this.#live++;
    return io;
  }

  /** The `ScheduledIo` behind `token`, if allocated. */
  get(token: number): ScheduledIo | undefined {
    return this.#slab[token];
  }

  /** Queues `io` for release at the next turn; true when that makes `NOTIFY_AFTER` pending releases. */
  deregister(io: ScheduledIo): boolean {
    this.#pendingRelease.push(io);
    return this.#pendingRelease.length === NOTIFY_AFTER;
  }

  /** Frees the slots of every pending release. */
  release(): void {
    const pending = this.#pendingRelease;
    this.#pendingRelease = [];
    for (const io of pending) this.remove(io);
  }

  /** Frees `io`'s slot now (a registration that failed half-way). */
  remove(io: ScheduledIo): void {
    if (this.#slab[io.token] !== io) return;
    this.#slab[io.token] = undefined;
    this.#free.push(io.token);
    this.#live--;
  }

  /** Marks the set shut down and returns every live `ScheduledIo` (once). */
  shutdown(): ScheduledIo[] {
    if (this.#isShutdown) return [];
    this.#isShutdown = true;
    this.#pendingRelease = [];
    const all = this.#slab.filter((io): io is ScheduledIo => io !== undefined);
    this.#slab.length = 1;
    this.#free.length = 0;
    this.#live = 0;
    return all;
  }
}
