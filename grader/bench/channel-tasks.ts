/**
 * The channel tasks both channel benchmarks run (`channels.ts` on the current-thread runtime, `spine.ts` on the
 * multi-thread one), so that both measure the same code: a producer and a consumer over a bounded mpsc, and a
 * pinger and a ponger over two bounded(1) channels, each written twice (as hand-written state machines that
 * allocate nothing per message, and as generator functions through `asyncFn`, as a learner writes them), and
 * Node's idiomatic contender, a bounded promise queue whose `async` send and recv await a new promise to wait.
 * `streamTask` and `pingPongTask` are the root tasks of the two workloads, run inside a runtime.
 */
import { FutureBase, Pending, type Future, type Poll } from "#kata/01-poll";
import { asyncFn } from "#kata/02-state-machines";
import type { Context } from "#kata/03-waker";
import { spawn } from "#kata/07-current-thread";
import { mpsc } from "#kata/16-channels";

// ---------------------------------------------------------------------------------------------------------------
// Hand-written state machines

/**
 * How a hand-written task sends without allocating: `trySend` while `capacity()` says a slot is free (then it cannot
 * fail for lack of room), and only when the channel is full a `reserve()` future, whose permit then takes the value.
 */
export class SmSend {
  #reserve: Future<mpsc.Permit<number>> | null = null;
  #value = 0;

  constructor(readonly tx: mpsc.Sender<number>) {}

  /** Starts sending `v`; false if it must wait (then call `poll` until it is true). */
  start(cx: Context, v: number): boolean {
    if (this.tx.capacity() > 0) {
      this.tx.trySend(v);
      return true;
    }
    this.#value = v;
    this.#reserve = this.tx.reserve();
    return this.poll(cx);
  }

  /** Continues a send that had to wait; true once the value is queued. */
  poll(cx: Context): boolean {
    const permit = this.#reserve!.poll(cx);
    if (permit === Pending) return false;
    this.#reserve = null;
    permit.send(this.#value);
    return true;
  }

  get waiting(): boolean {
    return this.#reserve !== null;
  }
}

export class SmProducer extends FutureBase<void> {
  #i = 0;
  readonly #send: SmSend;

  constructor(
    readonly tx: mpsc.Sender<number>,
    readonly n: number,
  ) {
    super();
    this.#send = new SmSend(tx);
  }

  poll(cx: Context): Poll<void> {
    const send = this.#send;
    if (send.waiting && !send.poll(cx)) return Pending;
    while (this.#i < this.n) if (!send.start(cx, this.#i++)) return Pending;
    this.tx[Symbol.dispose]();
    return undefined;
  }
}

export class SmConsumer extends FutureBase<number> {
  #sum = 0;

  constructor(readonly rx: mpsc.Receiver<number>) {
    super();
  }

  poll(cx: Context): Poll<number> {
    for (;;) {
      const v = this.rx.pollRecv(cx);
      if (v === Pending) return Pending;
      if (v === undefined) return this.#sum;
      this.#sum += v;
    }
  }
}

/** Sends i, waits for the echo, n times. */
export class SmPinger extends FutureBase<number> {
  #i = 0;
  #sum = 0;
  #started = false;
  readonly #send: SmSend;

  constructor(
    readonly tx: mpsc.Sender<number>,
    readonly rx: mpsc.Receiver<number>,
    readonly n: number,
  ) {
    super();
    this.#send = new SmSend(tx);
  }

  poll(cx: Context): Poll<number> {
    const send = this.#send;
    for (;;) {
      if (send.waiting && !send.poll(cx)) return Pending;
      if (!this.#started) {
        if (this.#i === this.n) {
          this.tx[Symbol.dispose]();
          return this.#sum;
        }
        this.#started = true;
        if (!send.start(cx, this.#i)) return Pending;
      }
      const v = this.rx.pollRecv(cx);
      if (v === Pending) return Pending;
      this.#sum += v!;
      this.#i++;
      this.#started = false;
    }
  }
}

/** Echoes every message back until the pinger hangs up. */
export class SmPonger extends FutureBase<void> {
  readonly #send: SmSend;

  constructor(
    readonly rx: mpsc.Receiver<number>,
    readonly tx: mpsc.Sender<number>,
  ) {
    super();
    this.#send = new SmSend(tx);
  }

  poll(cx: Context): Poll<void> {
    const send = this.#send;
    for (;;) {
      if (send.waiting && !send.poll(cx)) return Pending;
      const v = this.rx.pollRecv(cx);
      if (v === Pending) return Pending;
      if (v === undefined) {
        this.tx[Symbol.dispose]();
        return undefined;
      }
      if (!send.start(cx, v)) return Pending;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Generator functions

export const genProducer = asyncFn(function* (tx: mpsc.Sender<number>, n: number) {
  for (let i = 0; i < n; i++) yield* tx.send(i);
  tx[Symbol.dispose]();
});

export const genConsumer = asyncFn(function* (rx: mpsc.Receiver<number>) {
  let sum = 0;
  for (;;) {
    const v = yield* rx.recv();
    if (v === undefined) return sum;
    sum += v;
  }
});

export const genPinger = asyncFn(function* (tx: mpsc.Sender<number>, rx: mpsc.Receiver<number>, n: number) {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    yield* tx.send(i);
    sum += (yield* rx.recv())!;
  }
  tx[Symbol.dispose]();
  return sum;
});

export const genPonger = asyncFn(function* (rx: mpsc.Receiver<number>, tx: mpsc.Sender<number>) {
  for (;;) {
    const v = yield* rx.recv();
    if (v === undefined) break;
    yield* tx.send(v);
  }
  tx[Symbol.dispose]();
});

/** How a workload's tasks are written: hand-written state machines, or generator functions through `asyncFn`. */
export type Style = "sm" | "gen";

/** The stream workload's root: a producer sends `n` numbers through a bounded(capacity) mpsc; their sum. */
export const streamTask = asyncFn(function* (style: Style, n: number, capacity: number) {
  const [tx, rx] = mpsc.channel<number>(capacity);
  const p = spawn(style === "sm" ? new SmProducer(tx, n) : genProducer(tx, n));
  const c = spawn(style === "sm" ? new SmConsumer(rx) : genConsumer(rx));
  yield* p;
  return yield* c;
});

/** The ping-pong workload's root: `n` round trips over two bounded(1) channels; the sum the pinger got back. */
export const pingPongTask = asyncFn(function* (style: Style, n: number) {
  const [aTx, aRx] = mpsc.channel<number>(1);
  const [bTx, bRx] = mpsc.channel<number>(1);
  const pong = spawn(style === "sm" ? new SmPonger(aRx, bTx) : genPonger(aRx, bTx));
  const ping = spawn(style === "sm" ? new SmPinger(aTx, bRx, n) : genPinger(aTx, bRx, n));
  const sum = yield* ping;
  yield* pong;
  return sum;
});

// ---------------------------------------------------------------------------------------------------------------
// Node: the idiomatic promise queue

/** The idiomatic queue: `async` send and recv, a new promise whenever one side must wait. */
export class AsyncQueue<T> {
  readonly #buf: (T | undefined)[];
  #head = 0;
  #len = 0;
  #sendW: (() => void) | null = null;
  #recvW: (() => void) | null = null;

  constructor(readonly cap: number) {
    this.#buf = new Array<T | undefined>(cap);
  }

  async send(v: T): Promise<void> {
    while (this.#len === this.cap) await new Promise<void>((r) => (this.#sendW = r));
    this.#buf[(this.#head + this.#len++) % this.cap] = v;
    const w = this.#recvW;
    this.#recvW = null;
    w?.();
  }

  async recv(): Promise<T> {
    while (this.#len === 0) await new Promise<void>((r) => (this.#recvW = r));
    const v = this.#buf[this.#head] as T;
    this.#buf[this.#head] = undefined;
    this.#head = (this.#head + 1) % this.cap;
    this.#len--;
    const w = this.#sendW;
    this.#sendW = null;
    w?.();
    return v;
  }
}

/** Node's idiomatic stream: `n` messages through an AsyncQueue of `capacity`; the sum received. */
export async function idiomaticStream(n: number, capacity: number): Promise<number> {
  const q = new AsyncQueue<number>(capacity);
  let sum = 0;
  await Promise.all([
    (async () => {
      for (let i = 0; i < n; i++) await q.send(i);
    })(),
    (async () => {
      for (let k = 0; k < n; k++) sum += await q.recv();
    })(),
  ]);
  return sum;
}

/** Node's idiomatic ping-pong: `n` round trips over two AsyncQueues of 1; the sum received back. */
export async function idiomaticPingPong(n: number): Promise<number> {
  const a = new AsyncQueue<number>(1);
  const b = new AsyncQueue<number>(1);
  let sum = 0;
  await Promise.all([
    (async () => {
      for (let i = 0; i < n; i++) {
        await a.send(i);
        sum += await b.recv();
      }
    })(),
    (async () => {
      for (let k = 0; k < n; k++) await b.send(await a.recv());
    })(),
  ]);
  return sum;
}
