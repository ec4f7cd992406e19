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
 */
import { Events, NodeNetwork, Poll, Waker, type Interest, type Network, type Registry, type Source, type Token } from "#kata/10-mio";
import type { Driver } from "#kata/07-current-thread";
import { DeliveryTimer } from "./delivery-timer.ts";
import { Ready } from "./ready.ts";
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

  constructor(
    readonly network: Network,
    readonly registry: Registry,
    waker: Waker,
    timer: DeliveryTimer,
  ) {
    this.#waker = waker;
    this.#timer = timer;
  }

  /** Makes a waiting `wait()` return, or the next one return at once. */
  unpark(): void {
    this.#waker.wake();
  }

  /** Allocates a `ScheduledIo` and registers `source` under its token. */
  addSource(source: Source, interest: Interest): ScheduledIo {
    const io = this.registrations.allocate();
    try {
      this.registry.register(source, io.token, interest);
    } catch (e) {
      this.registrations.remove(io);
      throw e;
    }
    this.metrics.fdCount++;
    this.#timer.captureTimeHandle();
    return io;
  }

  /** Deregisters `source` now; its `ScheduledIo` is released at the next turn. */
  deregisterSource(io: ScheduledIo, source: Source): void {
    if (this.registrations.isShutdown()) return;
    try {
      this.registry.deregister(source);
    } finally {
      if (this.registrations.deregister(io)) this.unpark();
      this.metrics.fdCount--;
    }
  }
}

export class IoDriver implements Driver {
  readonly handle: IoHandle;
  readonly #poll = new Poll();
  readonly #events: Events;
  readonly #timer: DeliveryTimer;
  /** Set when `wait` collected events that `turn` has not dispatched yet. */
  #collected = false;
  #waiting: Promise<void> | null = null;

  constructor(options: IoDriverOptions = {}) {
    const network = options.network ?? new NodeNetwork();
    this.#events = Events.withCapacity(options.nevents ?? DEFAULT_NEVENTS);
    const registry = this.#poll.registry();
    this.#timer = new DeliveryTimer(network);
    this.handle = new IoHandle(network, registry, new Waker(registry, TOKEN_WAKEUP), this.#timer);
  }

  get needsEventLoop(): boolean {
    return this.#poll.needsEventLoop;
  }

  wait(timeoutMs?: number): Promise<void> {
    if (this.#collected) return Promise.resolve();
    if (timeoutMs === 0) return new Promise((resolve) => setImmediate(resolve));
    return (this.#waiting ??= this.#select(timeoutMs));
  }

  async #select(timeoutMs: number | undefined): Promise<void> {
    this.#timer.arm();
    try {
      await this.#poll.poll(this.#events, timeoutMs);
      this.#collected = true;
    } finally {
      this.#waiting = null;
    }
  }

  turn(): void {
    const handle = this.handle;
    // Another worker's wait owns the selector (Tokio's driver lock): its own turn will dispatch.
    if (handle.registrations.isShutdown() || this.#waiting !== null) return;
    const events = this.#events;
    if (this.#collected) this.#collected = false;
    else void this.#poll.poll(events, 0);
    let dispatched = 0;
    for (let i = 0; i < events.length; i++) {
      const ev = events.get(i)!;
      const token = ev.token();
      if (token === TOKEN_WAKEUP) continue;
      const io = handle.registrations.get(token);
      if (io === undefined) continue;
      const ready = Ready.fromMio(ev);
      io.setReadiness(ready);
      io.wake(ready);
      dispatched++;
    }
    events.clear();
    handle.metrics.readyCount += dispatched;
    if (handle.registrations.needsRelease()) handle.registrations.release();
    this.#timer.arm();
  }

  unpark(): void {
    this.handle.unpark();
  }

  shutdown(): void {
    for (const io of this.handle.registrations.shutdown()) io.shutdown();
    this.#timer.disarm();
    this.#poll.close();
  }
}
