/**
 * The production scenarios of seed 16, each reproduced by a small program (given code). Each builds its own
 * runtime, runs a bad version or a fixed one, and returns what its instruments saw (an `Observation`) for
 * `diagnose` to read. They use the learner's `TaskMonitor` and `RuntimeMonitor` (Tasks 1 and 3).
 *
 * | scenario           | the bug                                                        | the fix                         |
 * |--------------------|----------------------------------------------------------------|---------------------------------|
 * | `connectionLeak`   | served connections are kept "for reuse" and never closed       | close each one                  |
 * | `hotMutex`         | the lock is held across a slow call (an `await` in the section)| copy out, unlock, then call     |
 * | `saturatedWorker`  | a dispatcher parses every request inline, never yielding       | yield after each request        |
 * | `blockingPool`     | more blocking jobs than blocking threads, each waiting long    | no more jobs than threads       |
 *
 * All run on a paused clock (the first on the simulated network too), so what the monitors measure is exact: a
 * CPU-bound stretch is simulated by `burn(ms)`, which moves the paused clock forward inside a poll, as real work
 * would move a real clock. The last one also uses real threads (the blocking pool's): it yields until the busy
 * threads have picked their jobs up, then samples.
 */
import { asyncBlock, type AsyncGen } from "#kata/02-state-machines";
import type { JoinHandle } from "#kata/06-task";
import { Builder, Handle, spawn, type Runtime } from "#kata/07-current-thread";
import { SimNetwork } from "#kata/10-mio";
import { TcpListener, TcpStream, readExact, writeAll } from "#kata/11-io-driver";
import { sleep } from "#kata/13-time";
import { spawnBlocking, yieldNow } from "#kata/14-blocking";
import { Mutex, mpsc } from "#kata/16-channels";
import type { Observation } from "./diagnose.ts";
import { RuntimeMonitor, type RuntimeIntervalMetrics } from "./runtime-monitor.ts";
import { TaskMonitor } from "./task-monitor.ts";

/** Simulated CPU work: moves the current runtime's paused clock `ms` forward, inside the poll that calls it. */
export function burn(ms: number): void {
  Handle.current().driver.clock.advance(ms);
}

/** Runs `body` on `rt` to completion, then shuts `rt` down. */
async function runOn<T>(rt: Runtime, body: () => AsyncGen<T>): Promise<T> {
  try {
    return await rt.blockOn(asyncBlock(body));
  } finally {
    rt.shutdown();
  }
}

const REQUEST = new TextEncoder().encode("GET /\n");
const RESPONSE = new TextEncoder().encode("200 OK\n");

/** Three rounds of five clients, each sending a request and closing after the response; a sample after each round. */
export function connectionLeak(options: { leak: boolean }): Promise<Observation> {
  const rt = Builder.newCurrentThread().enableAll().startPaused(true).network(new SimNetwork()).build();
  return runOn(rt, function* () {
    const handlers = new TaskMonitor();
    const samples = new RuntimeMonitor(Handle.current()).intervals();
    const listener = yield* TcpListener.bind("10.0.0.1:80");
    const kept: TcpStream[] = [];
    const server = spawn(asyncBlock(function* () {
      for (;;) {
        const [stream] = yield* listener.accept();
        spawn(handlers.instrument(asyncBlock(function* () {
          yield* readExact(stream, new Uint8Array(REQUEST.length));
          yield* writeAll(stream, RESPONSE);
          if (options.leak) kept.push(stream); // "kept for reuse": never closed
          else stream.close();
        })));
      }
    }));
    const runtime: RuntimeIntervalMetrics[] = [samples.next().value];
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 5; i++) {
        const client = yield* TcpStream.connect("10.0.0.1:80");
        yield* writeAll(client, REQUEST);
        yield* readExact(client, new Uint8Array(RESPONSE.length));
        client.close();
      }
      yield* sleep(10);
      runtime.push(samples.next().value);
    }
    server.abort();
    listener.close();
    for (const stream of kept) stream.close();
    return { runtime, handlers: handlers.cumulative(), locks: null };
  });
}

/** Ten requests share a cache behind a lock; each also makes a 5 ms call to a database. */
export function hotMutex(options: { holdAcrossAwait: boolean }): Promise<Observation> {
  const rt = Builder.newCurrentThread().enableAll().startPaused(true).build();
  return runOn(rt, function* () {
    const handlers = new TaskMonitor();
    const locks = new TaskMonitor();
    const samples = new RuntimeMonitor(Handle.current()).intervals();
    const cache = new Mutex(new Map<number, string>());
    const tasks: JoinHandle<void>[] = [];
    for (let id = 0; id < 10; id++) {
      tasks.push(spawn(handlers.instrument(asyncBlock(function* () {
        if (options.holdAcrossAwait) {
          using guard = yield* locks.instrument(cache.lock());
          yield* sleep(5); // the database call, with the lock held
          guard.value.set(id, "row");
        } else {
          {
            using guard = yield* locks.instrument(cache.lock());
            if (guard.value.has(id)) return;
          }
          yield* sleep(5); // the database call, lock released
          using guard = yield* locks.instrument(cache.lock());
          guard.value.set(id, "row");
        }
      }))));
    }
    for (const t of tasks) yield* t;
    return { runtime: [samples.next().value], handlers: handlers.cumulative(), locks: locks.cumulative() };
  });
}

/** Five times, a dispatcher parses eight requests (1 ms of CPU each) and hands each to its worker through a channel. */
export function saturatedWorker(options: { yieldBetweenRequests: boolean }): Promise<Observation> {
  const rt = Builder.newCurrentThread().enableAll().startPaused(true).build();
  return runOn(rt, function* () {
    const handlers = new TaskMonitor();
    const samples = new RuntimeMonitor(Handle.current()).intervals();
    const inboxes: mpsc.Sender<number>[] = [];
    const workers: JoinHandle<void>[] = [];
    for (let i = 0; i < 8; i++) {
      const [tx, rx] = mpsc.channel<number>(1);
      inboxes.push(tx);
      workers.push(spawn(handlers.instrument(asyncBlock(function* () {
        while ((yield* rx.recv()) !== undefined); // the request is handled at once
      }))));
    }
    const dispatcher = spawn(handlers.instrument(asyncBlock(function* () {
      for (let round = 0; round < 5; round++) {
        for (const inbox of inboxes) {
          burn(1); // parsing the request
          yield* inbox.send(round);
          if (options.yieldBetweenRequests) yield* yieldNow();
        }
        yield* sleep(5);
      }
      for (const inbox of inboxes) inbox[Symbol.dispose]();
    })));
    yield* dispatcher;
    for (const w of workers) yield* w;
    return { runtime: [samples.next().value], handlers: handlers.cumulative(), locks: null };
  });
}

/**
 * `jobs` requests each run a blocking job on a pool of two threads; every job waits until the program releases
 * them all. Sampled once the busy threads have started their jobs.
 */
export function blockingPool(options: { jobs: number }): Promise<Observation> {
  const threads = 2;
  const rt = Builder.newCurrentThread().enableAll().startPaused(true).maxBlockingThreads(threads).build();
  return runOn(rt, function* () {
    const handlers = new TaskMonitor();
    const samples = new RuntimeMonitor(Handle.current()).intervals();
    // [0]: jobs started, [1]: released (0 until the program lets them go)
    const gate = new Int32Array(new SharedArrayBuffer(8));
    const requests: JoinHandle<number>[] = [];
    for (let i = 0; i < options.jobs; i++) {
      requests.push(spawn(handlers.instrument(asyncBlock(function* () {
        return yield* spawnBlocking((buffer: SharedArrayBuffer) => {
          const g = new Int32Array(buffer);
          Atomics.add(g, 0, 1);
          Atomics.wait(g, 1, 0, 10_000);
          return Atomics.load(g, 0);
        }, gate.buffer as SharedArrayBuffer);
      }))));
    }
    // Running blocking jobs hold the paused clock still (chapter 14), so wait by yielding, not by sleeping.
    while (Atomics.load(gate, 0) < Math.min(options.jobs, threads)) yield* yieldNow();
    const runtime = [samples.next().value];
    Atomics.store(gate, 1, 1);
    Atomics.notify(gate, 1);
    for (const r of requests) yield* r;
    return { runtime, handlers: handlers.cumulative(), locks: null };
  });
}
