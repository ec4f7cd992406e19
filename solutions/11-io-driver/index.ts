/** PLACEHOLDER (to be replaced by the chapter 11 author): an I/O driver that only parks. */
import type { Network } from "#kata/10-mio";
import { ParkThread, type Driver } from "#kata/07-current-thread";

export interface IoHandle {
  readonly network: Network | undefined;
}

export class IoDriver implements Driver {
  readonly #park = new ParkThread();
  readonly handle: IoHandle;
  readonly needsEventLoop = false;

  constructor(options: { network?: Network | undefined; nevents?: number }) {
    this.handle = { network: options.network };
  }

  wait(timeoutMs?: number): Promise<void> {
    return this.#park.wait(timeoutMs);
  }

  turn(): void {}

  unpark(): void {
    this.#park.unpark();
  }

  shutdown(): void {
    this.#park.shutdown();
  }
}
