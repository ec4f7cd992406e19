/**
 * Public examples for chapter 14: the budget forcing a yield, yieldNow between two tasks, and spawnBlocking on a
 * real worker thread.
 */
import { describe, expect, it } from "vitest";
import { FutureBase, Pending, type Poll } from "#kata/01-poll";
import { asyncBlock } from "#kata/02-state-machines";
import { Context, Waker } from "#kata/03-waker";
import { Builder, spawn } from "#kata/07-current-thread";
import { budget, budgetRemaining, pollProceed, spawnBlocking, yieldNow } from "#kata/14-blocking";

/** A resource that always has data: each read spends one unit of the budget. */
class Firehose extends FutureBase<number> {
  reads = 0;
  poll(cx: Context): Poll<number> {
    if (pollProceed(cx) === Pending) return Pending;
    return ++this.reads;
  }
}

describe("chapter 14 examples", () => {
  it("within one poll, a resource that is always ready is refused after 128 reads", () => {
    const cx = new Context(Waker.noop());
    const hose = new Firehose();
    budget(() => {
      while (hose.poll(cx) !== Pending) {}
      expect(budgetRemaining()).toBe(0);
    });
    expect(hose.reads).toBe(128);
  });

  it("yieldNow lets the other task run", async () => {
    using rt = Builder.newCurrentThread().build();
    const log: string[] = [];
    await rt.blockOn(
      asyncBlock(function* () {
        const a = spawn(
          asyncBlock(function* () {
            log.push("a: before");
            yield* yieldNow();
            log.push("a: after");
          }),
        );
        const b = spawn(
          asyncBlock(function* () {
            log.push("b");
          }),
        );
        yield* a;
        yield* b;
      }),
    );
    expect(log).toEqual(["a: before", "b", "a: after"]);
  });

  it("spawnBlocking runs a self-contained function on a worker thread", { timeout: 20_000 }, async () => {
    const rt = Builder.newCurrentThread().build();
    const primes = await rt.blockOn(
      asyncBlock(function* () {
        return yield* spawnBlocking((limit: number) => {
          const sieve = new Uint8Array(limit + 1);
          let count = 0;
          for (let i = 2; i <= limit; i++) {
            if (sieve[i] === 0) {
              count++;
              for (let j = i * i; j <= limit; j += i) sieve[j] = 1;
            }
          }
          return count;
        }, 100_000);
      }),
    );
    expect(primes).toBe(9592);
    await rt.shutdownTimeout(10_000);
    expect(rt.handle().blockingPool.numThreads).toBe(0);
  });
});
