/**
 * The LIFO slot keeps a message-passing pair on one worker: compare the counters with the slot and without it.
 */
import { expect, it } from "vitest";
import { FutureBase, Pending, type Poll } from "#kata/01-poll";
import { asyncBlock } from "#kata/02-state-machines";
import type { Context, Waker } from "#kata/03-waker";
import { Builder, spawn, type TraceEvent } from "#kata/09-work-stealing";

/** A one-slot mailbox: `send` stores a value and wakes the task waiting in `recv`. */
class Mailbox extends FutureBase<number> {
  #value: number | null = null;
  #waker: Waker | null = null;
  send(value: number): void {
    this.#value = value;
    const w = this.#waker;
    this.#waker = null;
    w?.wake();
  }
  poll(cx: Context): Poll<number> {
    if (this.#value === null) {
      this.#waker = cx.waker.clone();
      return Pending;
    }
    const v = this.#value;
    this.#value = null;
    return v;
  }
}

async function pingPong(lifo: boolean) {
  const events: TraceEvent[] = [];
  let builder = Builder.newMultiThread().workerThreads(4).rngSeed(1).traceSink((e) => events.push(e));
  if (!lifo) builder = builder.disableLifoSlot();
  const rt = builder.build();
  try {
    const pair = await rt.blockOn(
      asyncBlock(function* () {
        const toA = new Mailbox();
        const toB = new Mailbox();
        const a = spawn(asyncBlock(function* () { for (let i = 0; i < 1000; i++) { toB.send(i); yield* toA; } }));
        const b = spawn(asyncBlock(function* () { for (let i = 0; i < 1000; i++) toA.send(yield* toB); }));
        yield* a;
        yield* b;
        return new Set([a.id, b.id]);
      }),
    );
    const polls = events.filter((e) => e.kind === "poll" && pair.has(e.task));
    let moves = 0;
    for (let i = 1; i < polls.length; i++) if (polls[i]!.worker !== polls[i - 1]!.worker) moves++;
    return {
      fromLifo: polls.filter((e) => e.kind === "poll" && e.source === "lifo").length,
      stolen: polls.filter((e) => e.kind === "poll" && e.source === "steal").length,
      moves,
    };
  } finally {
    rt.shutdown();
  }
}

it("with the LIFO slot the pair mostly stays on one worker; without it, it migrates", async () => {
  const withSlot = await pingPong(true);
  const without = await pingPong(false);
  console.log({ withSlot, without });
  expect(withSlot.fromLifo).toBeGreaterThan(1000);
  expect(without.fromLifo).toBe(0);
  expect(withSlot.moves).toBeLessThan(without.moves);
});
