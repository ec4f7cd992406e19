/**
 * The I/O driver (Tokio's `runtime/io/driver.rs`): turns selector events into task wake-ups.
 *
 *     task ──pollRead──► PollEvented ──WouldBlock──► Registration ──waker──► ScheduledIo (readiness + tick)
 *                                                                                ▲
 *     worker about to park ──wait()──► Poll.poll (selector) ──events──► turn(): setReadiness + wake
 *
 * There is no I/O thread (seed 7.4): the worker that runs out of tasks waits on the selector itself, then turns
 * the driver with its own context set, so the tasks it wakes are scheduled locally. JavaScript cannot block, so
 * Tokio's `turn(max_wait)` is split as chapter 07's `Driver` contract asks:
 * - `wait(timeoutMs)` awaits `Poll.poll` (the events it collects are kept for the turn), or with 0 lets Node's
 *   event loop run one round;
 * - `turn()` collects what is ready if `wait` did not, then for each event finds the `ScheduledIo` by its token,
 *   sets its readiness (bumping the tick) and wakes its waiters, synchronously; then releases deregistered
 *   registrations. The driver's own waker token (0) only ends a wait.
 * `IoHandle` is what resources reach through `CONTEXT.handle.driver.io`: the network, the registry, the
 * registrations, `unpark`. Shutdown marks every `ScheduledIo` shut down (waking its tasks, whose next poll fails),
 * then closes every source still registered (JavaScript has no destructors to do it).
 *
 * Given: the constants, the options, the metrics, the handle's fields and constructor, and `DeliveryTimer`
 * (delivery-timer.ts), which the handle and the driver call as marked below.
 */
import type { Driver } from "#kata/07-current-thread";
import type { Interest, Network, Registry, Source, Token, Waker } from "#kata/10-mio";
import { todo } from "#kit/todo";
import type { DeliveryTimer } from "./delivery-timer.ts";
import { RegistrationSet } from "./registration-set.ts";
import type { ScheduledIo } from "./scheduled-io.ts";

/**
 * The token of the driver's mio `Waker` (Tokio's `mio::Token(0)`). Written as the number a `Token` is, not as
 * `Token(0)`: loading this module must call no learner code, since the runtime of chapter 07 imports it.
 */
export const TOKEN_WAKEUP: Token = 0;
/** Tokio's default `Builder::max_io_events_per_tick`. */
export const DEFAULT_NEVENTS = 1024;

export interface IoDriverOptions {
  /** The network sockets are made on; default: real sockets (`NodeNetwork`). */
  network?: Network | undefined;
  /** The capacity of the events buffer: at most this many events per turn. */
  nevents?: number;
}

/** Counters of the driver (Tokio's `IoDriverMetrics`). */
export interface IoDriverMetrics {
  /** Sources registered now. */
  fdCount: number;
  /** Events dispatched to a `ScheduledIo` since the start. */
  readyCount: number;
}

export class IoHandle {
  readonly registrations = new RegistrationSet();
  readonly metrics: IoDriverMetrics = { fdCount: 0, readyCount: 0 };
  readonly #waker: Waker;
  readonly #timer: DeliveryTimer;

  /** Given: the handle only holds these. */
  constructor(
    readonly network: Network,
    readonly registry: Registry,
    waker: Waker,
    timer: DeliveryTimer,
  ) {
    this.#waker = waker;
    this.#timer = timer;
  }

  /** Makes a waiting `wait()` return, or the next one return at once (wakes the mio `Waker`). */
  unpark(): void {
    todo("11-io-driver", "IoHandle.unpark");
  }

  /**
   * Allocates a `ScheduledIo` and registers `source` under its token (if registering throws, the slot is freed
   * and the error propagates); counts it in `fdCount`; then `timer.captureTimeHandle()`.
   */
  addSource(source: Source, interest: Interest): ScheduledIo {
    return todo("11-io-driver", "IoHandle.addSource");
  }

  /**
   * Deregisters `source` now (nothing to do once the registrations are shut down); its `ScheduledIo` is released
   * at the next turn, and the driver is unparked when `deregister` says so. Uncounts it in `fdCount`.
   */
  deregisterSource(io: ScheduledIo, source: Source): void {
    todo("11-io-driver", "IoHandle.deregisterSource");
  }
}

export class IoDriver implements Driver {
  declare readonly handle: IoHandle;
  // Sketch: a mio `Poll`, an `Events` of `nevents`, a `DeliveryTimer` on the network, "wait collected events",
  // the wait in progress (a second `wait` while one is pending returns the same promise).

  /** A `Poll`, a mio `Waker` on `TOKEN_WAKEUP`, and the handle. */
  constructor(options: IoDriverOptions = {}) {
    todo("11-io-driver", "IoDriver.constructor");
  }

  get needsEventLoop(): boolean {
    return todo("11-io-driver", "IoDriver.needsEventLoop");
  }

  /**
   * Settles when it may be worth turning: at once if events await a turn; with 0 after one round of Node's event
   * loop (`setImmediate`); otherwise after `timer.arm()` and `Poll.poll(events, timeoutMs)`, whose events the next
   * turn dispatches.
   */
  wait(timeoutMs?: number): Promise<void> {
    return todo("11-io-driver", "IoDriver.wait");
  }

  /**
   * Nothing after shutdown, or while a `wait` is pending (it owns the selector, as the driver lock does in
   * Tokio; its own turn will dispatch). Otherwise: the events `wait` collected, or `poll(events, 0)`; for each event whose
   * token is not `TOKEN_WAKEUP` and has a `ScheduledIo`: `setReadiness(Ready.fromMio(ev))` and `wake` it; count
   * them in `readyCount`; clear the events; release pending registrations; then `timer.arm()`.
   */
  turn(): void {
    todo("11-io-driver", "IoDriver.turn");
  }

  unpark(): void {
    todo("11-io-driver", "IoDriver.unpark");
  }

  /** Shuts every `ScheduledIo` down, `timer.disarm()`, and closes the `Poll` (and so every source). */
  shutdown(): void {
    todo("11-io-driver", "IoDriver.shutdown");
  }
}
