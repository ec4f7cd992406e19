/**
 * Hidden suite of chapter 15, task 5: an async interface (`KvStore`), implementations whose futures differ, and code
 * that uses any of them through the interface (Rust's `dyn` trait object).
 */
import { describe, expect, it } from "vitest";
import { Pending } from "#kata/01-poll";
import { asyncBlock, join, type AsyncGen } from "#kata/02-state-machines";
import { Handle } from "#kata/07-current-thread";
import { now } from "#kata/13-time";
import { CachedStore, MemoryStore, SlowStore, type KvStore } from "#kata/15-coloring";
import { probe } from "../_support/poll.ts";
import { paused } from "../_support/13-time.ts";

/** Counts the calls that reach a store. */
class Counting implements KvStore {
  gets = 0;
  sets = 0;
  constructor(readonly inner: KvStore) {}
  get(key: string) {
    this.gets++;
    return this.inner.get(key);
  }
  set(key: string, value: string) {
    this.sets++;
    return this.inner.set(key, value);
  }
}

/** Code written against the interface only. */
function* copy(from: KvStore, to: KvStore, keys: string[]): AsyncGen<number> {
  let copied = 0;
  for (const key of keys) {
    const value = yield* from.get(key);
    if (value === undefined) continue;
    yield* to.set(key, value);
    copied++;
  }
  return copied;
}

describe("Task 5: Async interfaces", () => {
  it("MemoryStore keeps what is set; its methods, like an async fn's body, do nothing until polled", () => {
    const store = new MemoryStore();
    const p = probe();
    const dropped = store.set("a", "never");
    expect(p.poll(store.get("a")), "a set future that was never polled set nothing").toBeUndefined();
    dropped[Symbol.dispose]?.();
    expect(p.poll(store.set("a", "1"))).toBeUndefined();
    expect(p.poll(store.get("a"))).toBe("1");
    expect(p.poll(store.get("b"))).toBeUndefined();
  });

  it("SlowStore spends its latency on the runtime's clock, per call", async () => {
    const out = await paused(function* () {
      const store = new SlowStore(new MemoryStore(), 25);
      yield* store.set("k", "v");
      const afterSet = now();
      const value = yield* store.get("k");
      return { afterSet, value, afterGet: now() };
    });
    expect(out).toEqual({ afterSet: 25, value: "v", afterGet: 50 });
  });

  it("CachedStore asks its inner store once per key it has seen, and not for a key it never found", async () => {
    const out = await paused(function* () {
      const inner = new Counting(new SlowStore(new MemoryStore(), 10));
      const cached = new CachedStore(inner);
      yield* inner.set("k", "v");
      const t0 = now();
      const first = yield* cached.get("k");
      const t1 = now();
      const second = yield* cached.get("k");
      const t2 = now();
      yield* cached.get("missing");
      yield* cached.get("missing");
      return { first, second, firstTook: t1 - t0, secondTook: t2 - t1, innerGets: inner.gets };
    });
    expect(out).toEqual({ first: "v", second: "v", firstTook: 10, secondTook: 0, innerGets: 3 });
  });

  it("CachedStore.set writes through to the inner store, then serves the new value itself", async () => {
    const out = await paused(function* () {
      const memory = new MemoryStore();
      const inner = new Counting(memory);
      const cached = new CachedStore(inner);
      yield* cached.set("k", "1");
      yield* cached.set("k", "2");
      const seen = yield* cached.get("k");
      return { seen, inMemory: yield* memory.get("k"), innerSets: inner.sets, innerGets: inner.gets };
    });
    expect(out).toEqual({ seen: "2", inMemory: "2", innerSets: 2, innerGets: 0 });
  });

  it("code written against the interface runs over any store, its futures of different kinds included", async () => {
    const out = await paused(function* () {
      const stores: KvStore[] = [new MemoryStore(), new SlowStore(new MemoryStore(), 5), new CachedStore(new SlowStore(new MemoryStore(), 7))];
      const source = new MemoryStore();
      yield* source.set("x", "1");
      yield* source.set("y", "2");
      const copied = yield* join(...stores.map((s) => asyncBlock(() => copy(source, s, ["x", "y", "z"]))));
      const read = yield* join(...stores.map((s) => s.get("y")));
      return { copied, read, at: now() };
    });
    expect(out, "the copies run together (the slowest: 2 sets of 7 ms), then the reads (5 ms; the cache answers at once)").toEqual({
      copied: [2, 2, 2],
      read: ["2", "2", "2"],
      at: 19,
    });
  });

  it("a pending SlowStore call, dropped, leaves no timer behind", async () => {
    const out = await paused(function* () {
      const store = new SlowStore(new MemoryStore(), 100);
      const p = probe();
      const f = store.get("k");
      expect(p.poll(f), "p.poll(f)").toBe(Pending);
      const armed = Handle.current().driver.time!.computeNextWake();
      f[Symbol.dispose]?.();
      return { armed: typeof armed, after: Handle.current().driver.time!.computeNextWake(), refs: p.stats.refs };
    });
    expect(out, "a timer was armed (the wheel wakes at its slot), and is gone").toEqual({ armed: "number", after: undefined, refs: 1 });
  });
});
