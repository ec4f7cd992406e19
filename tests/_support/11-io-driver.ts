/**
 * Test helpers for chapter 11: a runtime on a given network, and an echo server written with the chapter's API.
 */
import { asyncBlock, type AsyncGen } from "#kata/02-state-machines";
import { Builder, spawn, type Runtime } from "#kata/07-current-thread";
import type { JoinHandle } from "#kata/06-task";
import type { Network, SocketAddr } from "#kata/10-mio";
import { TcpListener, copy } from "#kata/11-io-driver";

/** A current-thread runtime with I/O (and time, paused if asked) on `network`. */
export function runtimeOn(network: Network, options: { paused?: boolean; seed?: number } = {}): Runtime {
  const b = Builder.newCurrentThread().enableIo().enableTime().network(network);
  if (options.paused === true) b.startPaused(true);
  if (options.seed !== undefined) b.rngSeed(options.seed);
  return b.build();
}

/** Runs `body` to completion on a fresh runtime over `network`, then shuts the runtime down. */
export async function run<T>(network: Network, body: () => AsyncGen<T>, options: { paused?: boolean; seed?: number } = {}): Promise<T> {
  const rt = runtimeOn(network, options);
  try {
    return await rt.blockOn(asyncBlock(body));
  } finally {
    rt.shutdown();
  }
}

/** Inside a runtime: binds `addr` and echoes every connection with `copy(stream, stream)`; the address and the task. */
export function* echoServer(addr = "127.0.0.1:0"): AsyncGen<{ addr: SocketAddr; task: JoinHandle<void>; listener: TcpListener }> {
  const listener = yield* TcpListener.bind(addr);
  const task = spawn(
    asyncBlock(function* () {
      for (;;) {
        const [stream] = yield* listener.accept();
        spawn(
          asyncBlock(function* () {
            using s = stream;
            yield* copy(s, s);
            yield* s.shutdown();
          }),
        );
      }
    }),
  );
  return { addr: listener.localAddr(), task, listener };
}

/** `n` bytes of a pattern that depends on `seed`, so that misplaced bytes show. */
export function pattern(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + seed * 17 + (i >> 8)) & 0xff;
  return out;
}
