/**
 * The driver stack (Tokio's `runtime/driver.rs`): what a worker does when it has no task to run.
 *
 *     TimeDriver   fires due timers; bounds the wait by the next deadline; auto-advances a paused clock
 *       IoDriver   turns readiness from the selector into task wakes (chapters 10, 11)
 *         or ParkThread   when I/O is disabled: just waits to be unparked
 *
 * Each layer is a `Driver`. JavaScript cannot block, so a driver's park is split in two: `wait` returns a promise
 * that settles when something may be ready (an unpark, I/O readiness, the next deadline) and processes nothing;
 * `turn` then processes what is ready, synchronously, while the scheduler's context is set, so that the wakes
 * it causes are local schedules, as in Tokio where the worker runs the driver itself (seed 7.4).
 *
 * Invariants: `wait` never processes; `turn` never waits; `unpark` may be called from anywhere (a Node callback,
 * another runtime) and makes a pending or the next `wait` settle at once.
 */
import { Parker } from "#kata/04-block-on";
import type { Network } from "#kata/10-mio";
import { IoDriver, type IoHandle } from "#kata/11-io-driver";
import { Clock, TimeDriver, type TimeHandle } from "#kata/13-time";

export interface Driver {
  /**
   * Settles when it may be worth turning: unparked, I/O ready, or `timeoutMs` elapsed. `undefined` waits without
   * a limit; `0` lets Node's event loop run one round (so sockets and worker threads can deliver) and no more.
   */
  wait(timeoutMs?: number): Promise<void>;
  /** Processes what is ready now and wakes the tasks concerned. Never waits. */
  turn(): void;
  /** Makes the current or next `wait` settle at once. */
  unpark(): void;
  /** True when events can arrive only through Node's event loop (real sockets are registered). */
  readonly needsEventLoop: boolean;
  /** Releases the driver's resources and wakes everything still registered. */
  shutdown(): void;
}

/** The bottom layer when I/O is disabled: a parker. */
export class ParkThread implements Driver {
  readonly #parker = new Parker();
  readonly needsEventLoop = false;

  wait(timeoutMs?: number): Promise<void> {
    if (timeoutMs === undefined) return this.#parker.park();
    if (timeoutMs > 0) return this.#parker.parkTimeout(timeoutMs);
    return new Promise((resolve) => setImmediate(resolve));
  }

  turn(): void {}

  unpark(): void {
    this.#parker.unpark();
  }

  shutdown(): void {
    this.#parker.unpark();
  }
}

export interface DriverConfig {
  enableIo: boolean;
  enableTime: boolean;
  startPaused: boolean;
  network: Network | undefined;
}

/**
 * What tasks reach through `Handle.current().driver`: the I/O and time handles (null when disabled), the clock,
 * and `unpark`. Resources that are fed by Node's event loop rather than by a driver (worker-thread jobs,
 * promises bridged into futures) call `holdEventLoop` while they wait, so that the scheduler lets Node's event
 * loop run at its maintenance ticks even while it has tasks to run; `releaseEventLoop` when they are done.
 */
export class DriverHandle {
  #external = 0;

  constructor(
    readonly io: IoHandle | null,
    readonly time: TimeHandle | null,
    readonly clock: Clock,
    readonly unpark: () => void,
  ) {}

  holdEventLoop(): void {
    this.#external++;
  }

  releaseEventLoop(): void {
    if (this.#external === 0) throw new Error("releaseEventLoop without a matching holdEventLoop");
    this.#external--;
  }

  get holdsEventLoop(): boolean {
    return this.#external > 0;
  }
}

export function createDriver(cfg: DriverConfig): { driver: Driver; handle: DriverHandle } {
  const io = cfg.enableIo ? new IoDriver({ network: cfg.network }) : null;
  const bottom: Driver = io ?? new ParkThread();
  const clock = new Clock({ paused: cfg.startPaused });
  if (cfg.startPaused && !cfg.enableTime) throw new Error("startPaused requires the time driver: call enableTime()");
  const time = cfg.enableTime ? new TimeDriver(bottom, clock) : null;
  const driver = time ?? bottom;
  // Unparking goes through the time driver, which notes it for the paused clock's auto-advance (Tokio's did_wake).
  const handle = new DriverHandle(io?.handle ?? null, time?.handle ?? null, clock, () => driver.unpark());
  return { driver, handle };
}
