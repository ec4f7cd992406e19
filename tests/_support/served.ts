/**
 * A server on a real loopback port (127.0.0.1, a free port), as the real clients of chapter 19 and of the
 * integration suite meet it: `serve` runs an app on a runtime, and stops it with its shutdown token. When the
 * app's future throws, its listener closes with it, and a client that connects then sees only ECONNREFUSED;
 * `reach` reports what the server died of instead (say, "runServer is not implemented yet").
 */
import { setImmediate as nextMacrotask } from "node:timers/promises";
import type { Future } from "#kata/01-poll";
import { asyncBlock } from "#kata/02-state-machines";
import type { Runtime } from "#kata/09-work-stealing";
import { TcpListener } from "#kata/11-io-driver";
import { CancellationToken } from "#kata/18-select-cancel";

export interface Served<R> {
  port: number;
  /** What the app ended with: the error it threw, or undefined (still running, or returned). */
  ended: Promise<unknown>;
  /** Cancels the app's shutdown token, waits for its outcome, shuts the runtime down. */
  stop(): Promise<R>;
}

/** Serves `app` on 127.0.0.1 (a free port) on `rt`, which it shuts down when stopped. */
export async function serve<R>(rt: Runtime, app: (listener: TcpListener, shutdown: CancellationToken) => Future<R>): Promise<Served<R>> {
  const shutdown = new CancellationToken();
  let bound: (port: number) => void = () => {};
  const port = new Promise<number>((resolve) => (bound = resolve));
  const done = rt.blockOn(
    asyncBlock(function* () {
      using listener = yield* TcpListener.bind("127.0.0.1:0"); // closed even if the app fails
      bound(listener.localAddr().port);
      return yield* app(listener, shutdown);
    }),
  );
  const p = await Promise.race([port, done.then(() => -1)]);
  if (p < 0) throw new Error("the app ended before it was listening");
  return {
    port: p,
    ended: done.then(
      () => undefined,
      (e: unknown) => e ?? new Error("the app failed with undefined"),
    ),
    async stop() {
      shutdown.cancel();
      try {
        return await done;
      } finally {
        rt.shutdown();
      }
    },
  };
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
