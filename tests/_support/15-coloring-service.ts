/**
 * The service the hidden suite of chapter 15 runs behind a `BlockingClient`: it is imported inside the client's
 * worker thread, whose runtime calls `open` and then serves the methods of the object it returns.
 */
import { threadId } from "node:worker_threads";
import { lazy } from "#kata/01-poll";
import { asyncBlock, type AsyncGen } from "#kata/02-state-machines";
import { Handle } from "#kata/07-current-thread";
import { TcpStream, readToEnd, writeAll } from "#kata/11-io-driver";
import { yieldNow } from "#kata/14-blocking";
import { CONTEXT } from "#kit/context";

export function open(prefix = "") {
  const store = new Map<string, string>();
  return {
    get: (key: string) => lazy(() => store.get(prefix + key)),
    set: (key: string, value: string) => lazy(() => void store.set(prefix + key, value)),
    /** Throws `message` after a yield. */
    fail: (message: string) =>
      asyncBlock(function* (): AsyncGen<never> {
        yield* yieldNow();
        throw new Error(message);
      }),
    /** Where the call ran: the thread, the runtime it ran in, and the factory's argument. */
    where: () =>
      lazy(() => ({ threadId, flavor: Handle.current().runtimeFlavor(), entered: CONTEXT.runtimeEntered, prefix })),
    /** Sends `text` to a TCP server at `addr` and returns what it answered before closing. */
    ask: (addr: string, text: string) =>
      asyncBlock(function* () {
        using s = yield* TcpStream.connect(addr);
        yield* writeAll(s, new TextEncoder().encode(text));
        yield* s.shutdown();
        return new TextDecoder().decode(yield* readToEnd(s));
      }),
  };
}

export type Service = ReturnType<typeof open>;

/** A factory that fails. */
export function broken(): never {
  throw new Error("cannot open");
}
