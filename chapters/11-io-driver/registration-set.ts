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
import { todo } from "#kit/todo";
import type { ScheduledIo } from "./scheduled-io.ts";

export const NOTIFY_AFTER = 16;

export class RegistrationSet {
  // Sketch: the slab (slot i holds the ScheduledIo of token i; slot 0 stays empty), the free slots, the pending
  // releases, shut down, the live count.

  isShutdown(): boolean {
    return todo("11-io-driver", "RegistrationSet.isShutdown");
  }

  /** Registrations that are allocated and not yet released. */
  get length(): number {
    return todo("11-io-driver", "RegistrationSet.length");
  }

  needsRelease(): boolean {
    return todo("11-io-driver", "RegistrationSet.needsRelease");
  }

  /** A new `ScheduledIo` in a free slot (or a new one); after shutdown, throws `gone()` (errors.ts). */
  allocate(): ScheduledIo {
    return todo("11-io-driver", "RegistrationSet.allocate");
  }

  /** The `ScheduledIo` behind `token`, if allocated (and not yet released). */
  get(token: number): ScheduledIo | undefined {
    return todo("11-io-driver", "RegistrationSet.get");
  }

  /** Queues `io` for release at the next turn; true when that makes `NOTIFY_AFTER` pending releases. */
  deregister(io: ScheduledIo): boolean {
    return todo("11-io-driver", "RegistrationSet.deregister");
  }

  /** Frees the slots of every pending release. */
  release(): void {
    todo("11-io-driver", "RegistrationSet.release");
  }

  /** Frees `io`'s slot now (a registration that failed half-way). */
  remove(io: ScheduledIo): void {
    todo("11-io-driver", "RegistrationSet.remove");
  }

  /** Marks the set shut down and returns every live `ScheduledIo` (once; later calls return []). */
  shutdown(): ScheduledIo[] {
    return todo("11-io-driver", "RegistrationSet.shutdown");
  }
}
