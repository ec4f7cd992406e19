/**
 * Sources: what can be registered with a `Registry` (mio's `event/source.rs`), and the base every socket of
 * both networks builds on.
 *
 * `Source` is mio's trait: `Registry.register(source, ...)` simply asks the source to register itself, so a
 * user type that wraps a socket can forward the three calls to it.
 *
 * `SysSource` plays the part of a kernel file under epoll:
 * - `readiness()` answers "what could you do now?" as epoll bits (the file's `poll` method); it has no side
 *   effects and is cheap;
 * - a subclass calls `wakeup()` after **every** change of its readiness, up or down (the file's wait-queue
 *   callback); the selector compares with what it saw last and queues the source when a bit rose;
 * - `collected()` is called after the selector reported the source in an event (the `Waker` uses it to reset);
 * - `needsEventLoop` is true for sources fed by Node's event loop (real sockets); `device` is the simulated
 *   network a source belongs to, which the selector lets catch up with its clock before each `select`;
 * - `close()` releases the source; a closed source is no longer registered (like a closed file descriptor).
 */
import type { Interest } from "./interest.ts";
import type { Registry } from "./poll.ts";
import type { Device, EpItem } from "./selector.ts";
import type { Token } from "./token.ts";

export interface Source {
  register(registry: Registry, token: Token, interests: Interest): void;
  reregister(registry: Registry, token: Token, interests: Interest): void;
  deregister(registry: Registry): void;
}

export abstract class SysSource implements Source {
  /** The selector's record of this source while registered (epoll's `epitem`), else null. */
  epitem: EpItem | null = null;

  abstract readonly needsEventLoop: boolean;

  /** The device that must catch up before each `select` (a simulated network), if any. */
  readonly device: Device | null = null;

  /** The epoll bits that describe what this source could do right now. */
  abstract readiness(): number;

  abstract close(): void;

  /** Called once the selector has reported this source in an event. */
  collected(): void {}

  register(registry: Registry, token: Token, interests: Interest): void {
    registry.selector.add(this, token, interests);
  }

  reregister(registry: Registry, token: Token, interests: Interest): void {
    registry.selector.modify(this, token, interests);
  }

  deregister(registry: Registry): void {
    registry.selector.remove(this);
  }

  /** Tells the selector (if registered) that `readiness()` may have changed. */
  protected wakeup(): void {
    const item = this.epitem;
    if (item !== null) item.selector.wakeup(item);
  }

  /** Leaves the selector, as closing a file descriptor removes it from every epoll set. */
  protected detach(): void {
    const item = this.epitem;
    if (item !== null) item.selector.remove(this);
  }
}
