/**
 * An async interface, and what implements and uses it: the TypeScript side of "async fn in traits" (seed 14, 15).
 *
 *     interface KvStore {                              trait KvStore {
 *       get(key: string): Future<string | undefined>;    async fn get(&self, key: &str) -> Option<String>;
 *       set(key: string, value: string): Future<void>;    async fn set(&self, key: &str, value: String);
 *     }                                                 }
 *
 * Each implementation returns a future of its own kind (a `Lazy` here, a generator's `GenFuture` there), and a
 * caller that holds a `KvStore` calls it without knowing which: dynamic dispatch, Rust's `dyn KvStore`. Rust's native
 * `async fn` in traits (1.75) gives each implementation its own anonymous future type, which is why such a trait is
 * not usable as `dyn` without boxing the futures (`#[async_trait]` rewrites every method to return
 * `Pin<Box<dyn Future + Send>>`). In TypeScript every future is already an object behind an interface: always boxed,
 * always `dyn`.
 *
 * - `MemoryStore`: a `Map`; its methods are lazy like an async fn's body: nothing happens until the first poll, so a
 *   `set` future dropped unpolled sets nothing.
 * - `SlowStore(inner, ms)`: every call sleeps `ms` on the runtime's clock, then calls `inner` (latency, for tests).
 * - `CachedStore(inner)`: remembers what `inner.get` found; `set` writes through to `inner`, then updates the cache.
 *   A key that `inner` does not have is not remembered. Works over any `KvStore`.
 * - `openStore()`: a `CachedStore` over a `MemoryStore`, for a `BlockingClient` to serve (chapter's Task 4).
 */
import { lazy, type Future } from "#kata/01-poll";
import { asyncBlock } from "#kata/02-state-machines";
import { sleep } from "#kata/13-time";

export interface KvStore {
  get(key: string): Future<string | undefined>;
  set(key: string, value: string): Future<void>;
}

export class MemoryStore implements KvStore {
  readonly #map = new Map<string, string>();

  get(key: string): Future<string | undefined> {
    return lazy(() => this.#map.get(key));
  }

  set(key: string, value: string): Future<void> {
    return lazy(() => {
      this.#map.set(key, value);
    });
  }
}

export class SlowStore implements KvStore {
  constructor(
    readonly inner: KvStore,
    readonly ms: number,
  ) {}

  get(key: string): Future<string | undefined> {
    const { inner, ms } = this;
    return asyncBlock(function* () {
      yield* sleep(ms);
      return yield* inner.get(key);
    });
  }

  set(key: string, value: string): Future<void> {
    const { inner, ms } = this;
    return asyncBlock(function* () {
      yield* sleep(ms);
      yield* inner.set(key, value);
    });
  }
}

export class CachedStore implements KvStore {
  readonly #cache = new Map<string, string>();

  constructor(readonly inner: KvStore) {}

  get(key: string): Future<string | undefined> {
    const { inner } = this;
    const cache = this.#cache;
    return asyncBlock(function* () {
      const hit = cache.get(key);
      if (hit !== undefined) return hit;
      const value = yield* inner.get(key);
      if (value !== undefined) cache.set(key, value);
      return value;
    });
  }

  set(key: string, value: string): Future<void> {
    const { inner } = this;
    const cache = this.#cache;
    return asyncBlock(function* () {
      yield* inner.set(key, value);
      cache.set(key, value);
    });
  }
}

/**
 * A store for a `BlockingClient` to serve (a factory is what `BlockingClient.start` calls in the worker):
 * `BlockingClient.start<KvStore>("#kata/15-coloring", "openStore")`.
 */
export function openStore(): KvStore {
  return new CachedStore(new MemoryStore());
}
