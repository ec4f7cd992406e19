/**
 * The worker thread of a `BlockingClient` (blocking-client.ts): a runtime of its own that serves the calls.
 *
 * It builds a current-thread runtime (I/O and time on, real sockets and the real clock) and runs its main future
 * for as long as the thread lives: the main future builds the service (`module[exportName](...args)`, inside the
 * runtime, so it may use timers and sockets), answers "ready", and waits forever. Each call arrives as a message
 * on the port, from Node's event loop (outside the runtime), and is spawned as a task; the task answers with the
 * method's output or error. Answering is: post the answer on the port, then set the shared state to 1 and
 * `Atomics.notify` the caller blocked in `Atomics.wait`.
 *
 * Invariant: exactly one answer per call, and one for the start; the state is set only after the message is posted.
 */
import { workerData } from "node:worker_threads";
import { pending, type Future } from "#kata/01-poll";
import { asyncBlock } from "#kata/02-state-machines";
import { Builder } from "#kata/07-current-thread";
import type { Answer, BlockingWorkerData } from "./blocking-client.ts";

const data = workerData as BlockingWorkerData;
const state = new Int32Array(data.state);

function answer(a: Answer): void {
  try {
    data.port.postMessage(a);
  } catch (e) {
    data.port.postMessage({ ok: false, error: new Error(`the answer cannot be sent back: ${(e as Error).message}`) });
  }
  Atomics.store(state, 0, 1);
  Atomics.notify(state, 0);
}

type Service = Record<string, (...args: unknown[]) => Future<unknown>>;

const mod = (await import(data.module)) as Record<string, (...args: unknown[]) => Service>;
const rt = Builder.newCurrentThread().enableAll().build();
const handle = rt.handle();

void rt.blockOn(
  asyncBlock(function* () {
    let service: Service;
    try {
      const open = mod[data.exportName];
      if (typeof open !== "function") throw new TypeError(`${data.module} has no exported function ${data.exportName}`);
      service = open(...data.args);
    } catch (error) {
      answer({ ok: false, error });
      return;
    }
    data.port.on("message", ({ method, args }: { method: string; args: unknown[] }) => {
      handle.spawn(
        asyncBlock(function* () {
          try {
            const f = service[method];
            if (typeof f !== "function") throw new TypeError(`the service has no method ${method}`);
            answer({ ok: true, value: yield* f.apply(service, args) });
          } catch (error) {
            answer({ ok: false, error });
          }
        }),
      );
    });
    answer({ ok: true });
    yield* pending<never>();
  }),
);
