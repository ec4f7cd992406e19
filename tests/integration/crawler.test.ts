/**
 * Integration: a fan-out crawler (grader/apps/crawler.ts) over the simulated network, with a concurrency limit,
 * timeouts and cancellation, on the assembled runtime in both flavours. The clock is paused, so slow and silent
 * sites, and the time a crawl takes, are exact.
 *
 * A metronome task ticks every millisecond. Auto-advance, as in Tokio, looks only at timers and explicit unparks,
 * not at sockets that have data in flight: with a timeout pending, each time the runtime parks the paused clock
 * would jump to that timeout, over requests still in flight. With the metronome the next timer is never more than
 * 1 ms away, so the clock moves in 1 ms steps and every packet is delivered at the turn that follows its step.
 */
import { describe, expect, it } from "vitest";
import { crawl, serveWeb, type CrawlOptions, type Web } from "../../grader/apps/crawler.ts";
import { asyncBlock, net, runtime, spawn, sync, time, type AsyncGen, type Future, type RuntimeFlavor } from "../../grader/runtime/index.ts";
import { FLAVORS } from "../_support/integration.ts";

/** Serves `web` and runs `body` on a paused runtime of `flavor` over a fresh simulated network. */
async function onWeb<T>(flavor: RuntimeFlavor, web: Web, body: () => AsyncGen<T> | Future<T>): Promise<T> {
  const rt = runtime.build(flavor, { network: new net.SimNetwork(), startPaused: true, workerThreads: 2, rngSeed: 3 });
  try {
    return await rt.blockOn(
      asyncBlock(function* () {
        const shutdown = new sync.CancellationToken();
        const metronome = spawn(
          asyncBlock(function* () {
            const tick = time.interval(1);
            for (;;) yield* tick.tick();
          }),
        );
        yield* serveWeb(web, shutdown);
        try {
          return yield* body();
        } finally {
          shutdown.cancel();
          metronome.abort();
        }
      }),
    );
  } finally {
    rt.shutdown();
  }
}

const OPTIONS: CrawlOptions = { concurrency: 4, timeoutMs: 500 };

/** A site with a cycle and a page linked twice. */
const SMALL: Web = {
  "10.0.0.1:80/": { links: ["10.0.0.1:80/a", "10.0.0.2:80/", "10.0.0.1:80/b"] },
  "10.0.0.1:80/a": { links: ["10.0.0.1:80/", "10.0.0.2:80/x"], delayMs: 20 },
  "10.0.0.1:80/b": { links: ["10.0.0.2:80/x"] },
  "10.0.0.2:80/": { links: [] },
  "10.0.0.2:80/x": { links: ["10.0.0.1:80/a"], delayMs: 5 },
};

/** A root page linking to eight leaves that each take 100 ms. */
const FAN: Web = {
  "10.0.0.9:80/": { links: Array.from({ length: 8 }, (_, i) => `10.0.0.9:80/leaf${i}`) },
  ...Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`10.0.0.9:80/leaf${i}`, { links: [], delayMs: 100 }])),
};

describe("fan-out crawler on the simulated network", { timeout: 20_000 }, () => {
  for (const flavor of FLAVORS) {
    describe(flavor, () => {
      it("fetches every reachable page exactly once", async () => {
        const report = await onWeb(flavor, SMALL, () => crawl(["10.0.0.1:80/"], OPTIONS));
        expect(report).toEqual({
          fetched: ["10.0.0.1:80/", "10.0.0.1:80/a", "10.0.0.1:80/b", "10.0.0.2:80/", "10.0.0.2:80/x"],
          timedOut: [],
          failed: [],
          cancelled: false,
        });
      });

      it("a slow page and a silent one time out, a missing site fails, the rest is crawled", async () => {
        const web: Web = {
          "10.0.1.1:80/": { links: ["10.0.1.1:80/slow", "10.0.1.1:80/silent", "10.0.1.9:80/", "10.0.1.1:80/ok"] },
          "10.0.1.1:80/slow": { links: ["10.0.1.1:80/never-seen"], delayMs: 600 },
          "10.0.1.1:80/silent": { links: [], hang: true },
          "10.0.1.1:80/ok": { links: [], delayMs: 400 },
        };
        const report = await onWeb(flavor, web, () => crawl(["10.0.1.1:80/"], OPTIONS));
        expect(report).toEqual({
          fetched: ["10.0.1.1:80/", "10.0.1.1:80/ok"],
          timedOut: ["10.0.1.1:80/silent", "10.0.1.1:80/slow"],
          failed: ["10.0.1.9:80/"],
          cancelled: false,
        });
      });

      it("the concurrency limit: eight 100 ms pages take four rounds two at a time, one round eight at a time", async () => {
        const elapsed = (concurrency: number) =>
          onWeb(flavor, FAN, function* () {
            const start = time.now();
            const report = yield* crawl(["10.0.0.9:80/"], { concurrency, timeoutMs: 1_000 });
            expect(report.fetched).toHaveLength(9);
            return time.now() - start;
          });
        // The pages' delays, plus a few 1 ms steps per request for the packets (see the note at the top).
        const two = await elapsed(2);
        const eight = await elapsed(8);
        expect(two, "four rounds of two 100 ms pages").toBeGreaterThanOrEqual(400);
        expect(two).toBeLessThan(430);
        expect(eight, "one round of eight").toBeGreaterThanOrEqual(100);
        expect(eight).toBeLessThan(115);
      });

      it("cancellation stops the crawl and drops the fetches in flight; maxPages stops it too", async () => {
        const cancelled = await onWeb(flavor, FAN, function* () {
          const cancel = new sync.CancellationToken();
          spawn(
            asyncBlock(function* () {
              yield* time.sleep(150);
              cancel.cancel();
            }),
          );
          const report = yield* crawl(["10.0.0.9:80/"], { concurrency: 2, timeoutMs: 1_000, cancel });
          return { report, at: time.now() };
        });
        expect(cancelled.at, "the crawl returned when it was cancelled").toBe(150);
        expect(cancelled.report.cancelled, "cancelled.report.cancelled").toBe(true);
        expect(cancelled.report.fetched, "the root and the first two leaves").toHaveLength(3);
        const limited = await onWeb(flavor, SMALL, () => crawl(["10.0.0.1:80/"], { ...OPTIONS, concurrency: 1, maxPages: 2 }));
        expect([limited.fetched.length, limited.cancelled]).toEqual([2, false]);
      });
    });
  }
});
