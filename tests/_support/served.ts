/**
 * A server on a real loopback port, as the real clients of chapter 19 and of the integration suite meet it. When
 * the server's future throws, its listener closes with it, and a client that connects then sees only
 * ECONNREFUSED; `reach` reports what the server died of instead (say, "runServer is not implemented yet").
 */
import { setImmediate as nextMacrotask } from "node:timers/promises";

/** What a server's future `done` ended with: the error it threw, or undefined (still running, or returned). */
export function endedWith(done: Promise<unknown>): Promise<unknown> {
  return done.then(
    () => undefined,
    (e: unknown) => e ?? new Error("the server failed with undefined"),
  );
}

/** Waits for a client's connection; if it fails because the server has died, throws what the server died of. */
export async function reach<T>(server: { ended: Promise<unknown> }, connecting: Promise<T>): Promise<T> {
  try {
    return await connecting;
  } catch (e) {
    // The listener closes while the server's future throws; its promise rejects within a turn of the event loop.
    throw (await Promise.race([server.ended, nextMacrotask(undefined)])) ?? e;
  }
}
