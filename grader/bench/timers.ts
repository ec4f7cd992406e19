/**
 * Timers benchmark: one million timers registered, half of them cancelled, the rest fired, on the timer wheel
 * (chapters 12-13) and on Node's setTimeout/clearTimeout, measured side by side in the same process.
 *
 *     npx tsx --conditions=kata-ref-01 ... --conditions=kata-ref-19 grader/bench/timers.ts [timers] [rounds]
 *
 * (all nineteen `kata-ref-NN` conditions run the reference solutions; with none it runs the learner's chapters).
 * Delays are drawn from a seeded generator, 0 to 100 ms, and every other timer is cancelled, as in the baselines
 * of ../shared/reference/node-baselines.md ("Timers").
 *
 * - wheel: `Sleep` futures on a `TimeDriver` with a paused clock: register = create the sleep and poll it once
 *   (the entry is filed and a waker stored), cancel = dispose it, fire = advance the clock 1 ms at a time and
 *   turn the driver (every due waker is woken). This measures the data structure and its bookkeeping, not libuv.
 * - raw wheel: chapter 12's `Wheel` alone (insert, remove, poll), for reference.
 * - node: setTimeout with a callback, clearTimeout, and fire = from the end of cancelling to the last callback,
 *   per timer fired (registering a million timers takes longer than 100 ms, so all are due by then).
 *
 * Figures are ns per timer, medians over the rounds; ratios are node / wheel (above 1: the wheel is faster).
 * Run it with `node --expose-gc` (e.g. `NODE_OPTIONS=--expose-gc`) to collect garbage between rounds.
 */
import { Pending } from "#kata/01-poll";
import { Context, RawWaker, Waker, type RawWakerVTable } from "#kata/03-waker";
import { ParkThread } from "#kata/07-current-thread";
import { TimerShared, Wheel } from "#kata/12-timer-wheel";
import { Clock, Sleep, TimeDriver } from "#kata/13-time";
import { mulberry32 } from "#kit/rng";

const N = Number(process.argv[2] ?? 1_000_000);
const ROUNDS = Number(process.argv[3] ?? 5);
const MAX_DELAY_MS = 100;

interface Costs {
  register: number;
  cancel: number;
  fire: number;
}


function delays(seed: number): Int32Array {
  const rand = mulberry32(seed);
  const out = new Int32Array(N);
  for (let i = 0; i < N; i++) out[i] = Math.floor(rand() * (MAX_DELAY_MS + 1));
  return out;
}

const perTimer = (ms: number, count: number): number => (ms * 1e6) / count;

/** A waker whose clones are free and whose wakes are counted. */
function countingWaker(): { waker: Waker; fired: () => number } {
  let fired = 0;
  const vtable: RawWakerVTable = {
    clone: (data) => data as RawWaker,
    wake: () => void fired++,
    wakeByRef: () => void fired++,
    drop: () => {},
  };
  const raw: RawWaker = new RawWaker(null, vtable);
  (raw as { data: unknown }).data = raw;
  return { waker: Waker.fromRaw(raw), fired: () => fired };
}

function wheelRound(d: Int32Array): Costs {
  const clock = new Clock({ paused: true });
  const driver = new TimeDriver(new ParkThread(), clock);
  const handle = driver.handle;
  const { waker, fired } = countingWaker();
  const cx = new Context(waker);
  const sleeps = new Array<Sleep>(N);

  let readyAtOnce = 0;
  let t0 = performance.now();
  for (let i = 0; i < N; i++) {
    const s = new Sleep(handle, d[i]!);
    if (s.poll(cx) !== Pending) readyAtOnce += i & 1;
    sleeps[i] = s;
  }
  let t1 = performance.now();
  const register = perTimer(t1 - t0, N);

  t0 = performance.now();
  for (let i = 0; i < N; i += 2) sleeps[i]![Symbol.dispose]();
  t1 = performance.now();
  const cancel = perTimer(t1 - t0, N / 2);

  t0 = performance.now();
  for (let ms = 0; ms <= MAX_DELAY_MS; ms++) {
    if (ms > 0) clock.advance(1);
    driver.turn();
  }
  t1 = performance.now();
  // Sleeps of 0 ms were ready at their first poll; the others are woken by the driver.
  const expected = N - Math.ceil(N / 2) - readyAtOnce;
  if (fired() !== expected) throw new Error(`wheel fired ${fired()} timers, expected ${expected}`);
  driver.shutdown();
  return { register, cancel, fire: perTimer(t1 - t0, expected) };
}

function rawWheelRound(d: Int32Array): Costs {
  const wheel = new Wheel();
  const entries = new Array<TimerShared>(N);
  let t0 = performance.now();
  for (let i = 0; i < N; i++) {
    const e = new TimerShared();
    e.setExpiration(d[i]!);
    if (wheel.insert(e)) entries[i] = e;
    else {
      e.fire();
      entries[i] = e;
    }
  }
  let t1 = performance.now();
  const register = perTimer(t1 - t0, N);

  t0 = performance.now();
  for (let i = 0; i < N; i += 2) {
    const e = entries[i]!;
    if (e.mightBeRegistered()) wheel.remove(e);
    e.fire();
  }
  t1 = performance.now();
  const cancel = perTimer(t1 - t0, N / 2);

  let fired = 0;
  t0 = performance.now();
  for (let ms = 0; ms <= MAX_DELAY_MS; ms++) {
    for (let e = wheel.poll(ms); e !== null; e = wheel.poll(ms)) {
      e.fire();
      fired++;
    }
  }
  t1 = performance.now();
  // Timers with delay 0 were already due when inserted: they "fired" at registration.
  for (let i = 1; i < N; i += 2) if (d[i] === 0) fired++;
  const expected = N - Math.ceil(N / 2);
  if (fired !== expected) throw new Error(`raw wheel fired ${fired} timers, expected ${expected}`);
  return { register, cancel, fire: perTimer(t1 - t0, expected) };
}

async function nodeRound(d: Int32Array): Promise<Costs> {
  const expected = N - Math.ceil(N / 2);
  let fired = 0;
  let done!: () => void;
  const allFired = new Promise<void>((resolve) => (done = resolve));
  const cb = (): void => {
    if (++fired === expected) done();
  };
  const timers = new Array<ReturnType<typeof setTimeout>>(N);

  let t0 = performance.now();
  for (let i = 0; i < N; i++) timers[i] = setTimeout(cb, d[i]!);
  let t1 = performance.now();
  const register = perTimer(t1 - t0, N);

  t0 = performance.now();
  for (let i = 0; i < N; i += 2) clearTimeout(timers[i]);
  t1 = performance.now();
  const cancel = perTimer(t1 - t0, N / 2);

  t0 = performance.now();
  await allFired;
  t1 = performance.now();
  return { register, cancel, fire: perTimer(t1 - t0, expected) };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const gc = (globalThis as { gc?: () => void }).gc;

async function main(): Promise<void> {
  const runs: Record<"wheel" | "raw" | "node", Costs[]> = { wheel: [], raw: [], node: [] };
  for (let r = 0; r < ROUNDS; r++) {
    const d = delays(0x5eed + r);
    // Interleave the contenders so that machine noise falls on all of them alike.
    for (const name of r % 2 === 0 ? (["wheel", "raw", "node"] as const) : (["node", "raw", "wheel"] as const)) {
      gc?.();
      runs[name].push(name === "node" ? await nodeRound(d) : name === "raw" ? rawWheelRound(d) : wheelRound(d));
    }
  }
  const med = (name: keyof typeof runs): Costs => ({
    register: median(runs[name].map((c) => c.register)),
    cancel: median(runs[name].map((c) => c.cancel)),
    fire: median(runs[name].map((c) => c.fire)),
  });
  const rows = { wheel: med("wheel"), raw: med("raw"), node: med("node") };
  const fmt = (x: number): string => x.toFixed(0).padStart(7);
  const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}x`.padStart(7);
  console.log(`${N.toLocaleString("en")} timers, delays 0-${MAX_DELAY_MS} ms, half cancelled; median of ${ROUNDS} rounds, ns per timer${gc ? "" : " (no --expose-gc)"}`);
  console.log(`                         register  cancel    fire`);
  console.log(`node setTimeout          ${fmt(rows.node.register)} ${fmt(rows.node.cancel)} ${fmt(rows.node.fire)}`);
  console.log(`wheel (Sleep+TimeDriver) ${fmt(rows.wheel.register)} ${fmt(rows.wheel.cancel)} ${fmt(rows.wheel.fire)}`);
  console.log(`raw Wheel                ${fmt(rows.raw.register)} ${fmt(rows.raw.cancel)} ${fmt(rows.raw.fire)}`);
  console.log(`ratio node/wheel         ${ratio(rows.node.register, rows.wheel.register)} ${ratio(rows.node.cancel, rows.wheel.cancel)} ${ratio(rows.node.fire, rows.wheel.fire)}`);
  console.log(`ratio node/raw wheel     ${ratio(rows.node.register, rows.raw.register)} ${ratio(rows.node.cancel, rows.raw.cancel)} ${ratio(rows.node.fire, rows.raw.fire)}`);
  const total = (c: Costs): number => c.register + c.cancel / 2 + c.fire / 2;
  console.log(`ratio node/wheel, whole lifecycle (register + cancel/2 + fire/2 per timer): ${ratio(total(rows.node), total(rows.wheel)).trim()}`);
}

await main();
