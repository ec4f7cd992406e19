/**
 * Channels benchmark: a bounded mpsc channel of 128 slots streaming messages from one producer task to one
 * consumer task, and a ping-pong of round trips between two tasks over two channels of 1 slot, on our
 * current-thread runtime and on Node's promises, measured side by side in the same process.
 *
 *     npx tsx --conditions=kata-ref-01 ... --conditions=kata-ref-19 grader/bench/channels.ts [messages] [round trips] [rounds]
 *
 * (all nineteen `kata-ref-NN` conditions run the reference solutions; with none it runs the learner's chapters).
 * Defaults: 10,000,000 messages, 1,000,000 round trips, 5 rounds, after a warm-up round at a tenth of the size.
 *
 * Contenders (../shared/reference/node-baselines.md, "What the scripts do"):
 * - ours, state machines: tasks written as classes with a `poll` method. They send with `trySend` while
 *   `capacity()` says a slot is free and wait with `reserve()` only when the channel is full, and receive with
 *   `pollRecv`: no object is allocated per message.
 * - ours, generators: `asyncFn` tasks that `yield* tx.send(i)` and `yield* rx.recv()`, as a learner writes them.
 * - node idiomatic: a ring-buffer queue whose `async send`/`async recv` await a new promise whenever they must wait.
 * - node tuned: the same queue with a synchronous fast path (`trySend`/`tryRecv`); a promise only when it must wait.
 *
 * Figures are ns per message (per round trip for ping-pong), medians over the rounds; ratios are node / ours
 * (above 1: ours is faster), the median of the ratios measured within each round, which a noisy machine (load
 * that comes and goes) disturbs less than a ratio of medians. Run with `node --expose-gc` (e.g. `NODE_OPTIONS=--expose-gc`) to collect garbage
 * between rounds.
 */
import { Builder } from "#kata/07-current-thread";
import { idiomaticPingPong, idiomaticStream, pingPongTask, streamTask, type Style } from "./channel-tasks.ts";

const MESSAGES = Number(process.argv[2] ?? 10_000_000);
const ROUND_TRIPS = Number(process.argv[3] ?? 1_000_000);
const ROUNDS = Number(process.argv[4] ?? 5);
const CAPACITY = 128;

// ---------------------------------------------------------------------------------------------------------------
// Ours: the root tasks of channel-tasks.ts, on the current-thread runtime

async function oursStream(style: Style, n: number): Promise<number> {
  using rt = Builder.newCurrentThread().build();
  const t0 = performance.now();
  const sum = await rt.blockOn(streamTask(style, n, CAPACITY));
  const t1 = performance.now();
  check("stream", sum, n);
  return ((t1 - t0) * 1e6) / n;
}

async function oursPingPong(style: Style, n: number): Promise<number> {
  using rt = Builder.newCurrentThread().build();
  const t0 = performance.now();
  const sum = await rt.blockOn(pingPongTask(style, n));
  const t1 = performance.now();
  check("ping-pong", sum, n);
  return ((t1 - t0) * 1e6) / n;
}

// ---------------------------------------------------------------------------------------------------------------
// Node: promise queues

const EMPTY: unique symbol = Symbol("empty");

/** The tuned queue: synchronous when it can be, a promise only when it must wait. */
class FastQueue<T> {
  readonly #buf: (T | undefined)[];
  #head = 0;
  #len = 0;
  #sendW: (() => void) | null = null;
  #recvW: (() => void) | null = null;

  constructor(readonly cap: number) {
    this.#buf = new Array<T | undefined>(cap);
  }

  trySend(v: T): boolean {
    if (this.#len === this.cap) return false;
    this.#buf[(this.#head + this.#len++) % this.cap] = v;
    const w = this.#recvW;
    if (w !== null) {
      this.#recvW = null;
      w();
    }
    return true;
  }

  waitSend(): Promise<void> {
    return new Promise<void>((r) => (this.#sendW = r));
  }

  tryRecv(): T | typeof EMPTY {
    if (this.#len === 0) return EMPTY;
    const v = this.#buf[this.#head] as T;
    this.#buf[this.#head] = undefined;
    this.#head = (this.#head + 1) % this.cap;
    this.#len--;
    const w = this.#sendW;
    if (w !== null) {
      this.#sendW = null;
      w();
    }
    return v;
  }

  waitRecv(): Promise<void> {
    return new Promise<void>((r) => (this.#recvW = r));
  }
}

async function nodeStream(tuned: boolean, n: number): Promise<number> {
  let sum = 0;
  const t0 = performance.now();
  if (tuned) {
    const q = new FastQueue<number>(CAPACITY);
    const producer = async (): Promise<void> => {
      for (let i = 0; i < n; i++) while (!q.trySend(i)) await q.waitSend();
    };
    const consumer = async (): Promise<void> => {
      for (let k = 0; k < n; k++) {
        let v = q.tryRecv();
        while (v === EMPTY) {
          await q.waitRecv();
          v = q.tryRecv();
        }
        sum += v;
      }
    };
    await Promise.all([producer(), consumer()]);
  } else {
    sum = await idiomaticStream(n, CAPACITY);
  }
  const t1 = performance.now();
  check("node stream", sum, n);
  return ((t1 - t0) * 1e6) / n;
}

async function nodePingPong(tuned: boolean, n: number): Promise<number> {
  let sum = 0;
  const t0 = performance.now();
  if (tuned) {
    const a = new FastQueue<number>(1);
    const b = new FastQueue<number>(1);
    const send = async (q: FastQueue<number>, v: number): Promise<void> => {
      while (!q.trySend(v)) await q.waitSend();
    };
    const recv = async (q: FastQueue<number>): Promise<number> => {
      let v = q.tryRecv();
      while (v === EMPTY) {
        await q.waitRecv();
        v = q.tryRecv();
      }
      return v;
    };
    const pinger = async (): Promise<void> => {
      for (let i = 0; i < n; i++) {
        if (!a.trySend(i)) await send(a, i);
        sum += await recv(b);
      }
    };
    const ponger = async (): Promise<void> => {
      for (let k = 0; k < n; k++) {
        const v = await recv(a);
        if (!b.trySend(v)) await send(b, v);
      }
    };
    await Promise.all([pinger(), ponger()]);
  } else {
    sum = await idiomaticPingPong(n);
  }
  const t1 = performance.now();
  check("node ping-pong", sum, n);
  return ((t1 - t0) * 1e6) / n;
}

// ---------------------------------------------------------------------------------------------------------------

function check(what: string, sum: number, n: number): void {
  const expected = (n * (n - 1)) / 2;
  if (sum !== expected) throw new Error(`${what}: received a sum of ${sum}, expected ${expected}`);
}

function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const gc = (globalThis as { gc?: () => void }).gc;

type Contender = "ours-sm" | "ours-gen" | "node-idiomatic" | "node-tuned";
const ALL: Contender[] = ["ours-sm", "ours-gen", "node-idiomatic", "node-tuned"];
// For profiling one contender: BENCH_WHO=ours-sm (the others report NaN).
const CONTENDERS = ALL.filter((c) => process.env.BENCH_WHO === undefined || process.env.BENCH_WHO === c);

function run(workload: "stream" | "pingpong", who: Contender, n: number): Promise<number> {
  if (workload === "stream") {
    if (who === "ours-sm") return oursStream("sm", n);
    if (who === "ours-gen") return oursStream("gen", n);
    return nodeStream(who === "node-tuned", n);
  }
  if (who === "ours-sm") return oursPingPong("sm", n);
  if (who === "ours-gen") return oursPingPong("gen", n);
  return nodePingPong(who === "node-tuned", n);
}

interface Measured {
  /** Median ns per operation of each contender. */
  ns: Record<Contender, number>;
  /** Median over the rounds of node/ours measured in the same round (robust to a noisy machine). */
  ratio: Record<"sm" | "gen", { idiomatic: number; tuned: number }>;
}

async function measure(workload: "stream" | "pingpong", n: number): Promise<Measured> {
  const runs: Record<Contender, number[]> = { "ours-sm": [], "ours-gen": [], "node-idiomatic": [], "node-tuned": [] };
  for (const who of CONTENDERS) await run(workload, who, Math.max(1, Math.floor(n / 10))); // warm-up
  for (let r = 0; r < ROUNDS; r++) {
    // Interleave the contenders, in a different order each round, so that machine noise falls on all alike.
    const order = r % 2 === 0 ? CONTENDERS : [...CONTENDERS].reverse();
    for (const who of order) {
      gc?.();
      runs[who].push(await run(workload, who, n));
    }
  }
  const paired = (node: Contender, ours: Contender): number =>
    median(runs[ours].map((x, i) => runs[node][i]! / x).filter((x) => Number.isFinite(x)));
  return {
    ns: {
      "ours-sm": median(runs["ours-sm"]),
      "ours-gen": median(runs["ours-gen"]),
      "node-idiomatic": median(runs["node-idiomatic"]),
      "node-tuned": median(runs["node-tuned"]),
    },
    ratio: {
      sm: { idiomatic: paired("node-idiomatic", "ours-sm"), tuned: paired("node-tuned", "ours-sm") },
      gen: { idiomatic: paired("node-idiomatic", "ours-gen"), tuned: paired("node-tuned", "ours-gen") },
    },
  };
}

function report(title: string, unit: string, m: Measured): void {
  const fmt = (x: number): string => x.toFixed(1).padStart(8);
  const ratio = (x: number): string => `${x.toFixed(2)}x`.padStart(8);
  console.log(`\n${title}: median of ${ROUNDS} rounds, ns per ${unit}${gc ? "" : " (no --expose-gc)"}`);
  console.log(`                      ns/${unit.padEnd(4)} idiomatic/ours  tuned/ours   (ratios: median of per-round ratios)`);
  for (const [who, style] of [["ours-sm", "sm"], ["ours-gen", "gen"]] as const) {
    console.log(`${who.padEnd(20)} ${fmt(m.ns[who])} ${ratio(m.ratio[style].idiomatic)}       ${ratio(m.ratio[style].tuned)}`);
  }
  console.log(`${"node-idiomatic".padEnd(20)} ${fmt(m.ns["node-idiomatic"])}`);
  console.log(`${"node-tuned".padEnd(20)} ${fmt(m.ns["node-tuned"])}`);
}

// For profiling one workload: BENCH_ONLY=stream or BENCH_ONLY=pingpong.
const only = process.env.BENCH_ONLY;
if (only !== "pingpong") {
  report(`mpsc bounded(${CAPACITY}), ${MESSAGES.toLocaleString("en")} messages, 1 producer, 1 consumer`, "msg", await measure("stream", MESSAGES));
}
if (only !== "stream") {
  report(`ping-pong over two bounded(1) channels, ${ROUND_TRIPS.toLocaleString("en")} round trips`, "rt", await measure("pingpong", ROUND_TRIPS));
}
