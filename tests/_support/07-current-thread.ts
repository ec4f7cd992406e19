/**
 * Test helpers for chapter 07 (and 14): a driver that writes what the scheduler asks of it into a log, and a
 * current-thread runtime assembled around it (the Builder always builds its own driver stack).
 */
import { BlockingPool } from "#kata/14-blocking";
import {
  createDriver,
  CurrentThread,
  CurrentThreadHandle,
  DriverHandle,
  Handle,
  ParkThread,
  Runtime,
  type CurrentThreadConfig,
  type Driver,
} from "#kata/07-current-thread";

/**
 * A driver over a real parker that logs `wait` (as "wait", or "wait 0" with a timeout), `turn`, `unpark` and
 * `shutdown` into `log`, which tests share with their tasks to see the interleaving. `onTurn` runs inside
 * `turn`, with the scheduler's context set: what a real driver does when an event is ready. `onWait` runs at the
 * start of `wait`: a test can throw from it to refuse a park that would never end.
 */
export class RecordingDriver implements Driver {
  readonly #park = new ParkThread();
  needsEventLoop = false;
  onTurn: () => void = () => {};
  onWait: (timeoutMs: number | undefined) => void = () => {};

  constructor(readonly log: string[] = []) {}

  wait(timeoutMs?: number): Promise<void> {
    this.log.push(timeoutMs === undefined ? "wait" : `wait ${timeoutMs}`);
    this.onWait(timeoutMs);
    return this.#park.wait(timeoutMs);
  }

  turn(): void {
    this.log.push("turn");
    this.onTurn();
  }

  unpark(): void {
    this.log.push("unpark");
    this.#park.unpark();
  }

  shutdown(): void {
    this.log.push("shutdown");
    this.#park.shutdown();
  }
}

export interface Recorded {
  rt: Runtime;
  driver: RecordingDriver;
  log: string[];
}

/** A current-thread runtime (no I/O, no time) whose driver is a `RecordingDriver`. */
export function recordingRuntime(config: Partial<CurrentThreadConfig> = {}): Recorded {
  const log: string[] = [];
  const driver = new RecordingDriver(log);
  const { handle: base } = createDriver({ enableIo: false, enableTime: false, startPaused: false, network: undefined });
  const driverHandle = new DriverHandle(null, null, base.clock, () => driver.unpark());
  const inner = new CurrentThreadHandle(driverHandle, { eventInterval: 61, globalQueueInterval: 31, ...config });
  const pool = new BlockingPool({ threadCap: 4, keepAliveMs: 10_000, driver: driverHandle });
  const handle = new Handle(inner, pool);
  const rt = new Runtime(new CurrentThread(driver, inner, handle), handle, pool);
  return { rt, driver, log };
}
