/**
 * Hidden suite of chapter 15, task 4: a synchronous facade over an async service, on a real worker thread whose
 * runtime serves the calls while the caller blocks in `Atomics.wait`. Real threads and, for seed 10.5, real
 * loopback sockets: the only tests of the chapter that take real time (a worker starts in about a second).
 */
import { threadId } from "node:worker_threads";
import { afterAll, describe, expect, it } from "vitest";
import { asyncBlock } from "#kata/02-state-machines";
import { Builder, spawn } from "#kata/09-work-stealing";
import { TcpListener, readToEnd, writeAll } from "#kata/11-io-driver";
import {
  BLOCKING_IN_RUNTIME_ERROR,
  BlockingClient,
  CLOSED_ERROR,
  NO_ANSWER_ERROR,
  blockInPlace,
} from "#kata/15-coloring";
import { open, type Service } from "../_support/15-coloring-service.ts";
import { multiThread, runOn } from "../_support/15-coloring.ts";

const SERVICE = new URL("../_support/15-coloring-service.ts", import.meta.url);

const errorOf = (f: () => unknown): string => {
  try {
    f();
    return "no error";
  } catch (e) {
    return (e as Error).message;
  }
};

describe("Task 4: A blocking facade", () => {
  /** One client for the tests that do not close it, started by the first that needs it (a start takes a second). */
  let shared: BlockingClient<Service> | null = null;
  const client = (): BlockingClient<Service> => (shared ??= BlockingClient.start<Service>(SERVICE, "open", ["p:"]));

  afterAll(() => shared?.close());

  it("calls are plain synchronous calls: the answer is there before Node runs anything else", async () => {
    const c = client();
    let microtask = false;
    let macrotask = false;
    queueMicrotask(() => (microtask = true));
    setImmediate(() => (macrotask = true));
    c.api.set("a", "1");
    const got = [c.api.get("a"), c.api.get("missing")];
    expect({ got, microtask, macrotask }).toEqual({ got: ["1", undefined], microtask: false, macrotask: false });
    await new Promise((resolve) => setImmediate(resolve));
  }, 20_000);

  it("the service runs in a runtime of its own, on another thread, built by the factory with the given arguments", () => {
    const where = client().api.where();
    expect({ ...where, threadId: typeof where.threadId }).toEqual({ threadId: "number", flavor: "current_thread", entered: true, prefix: "p:" });
    expect(where.threadId, "not this thread").not.toBe(threadId);
  }, 20_000);

  it("an error thrown by the async method is thrown by the call, and the client keeps working", () => {
    let caught: unknown;
    try {
      client().api.fail("boom");
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(Error);
    expect((caught as Error).message, "caught.message").toBe("boom");
    client().api.set("b", "2");
    expect(client().api.get("b")).toBe("2");
  }, 20_000);

  it("inside a task a blocking call is refused with Tokio's message; inside blockInPlace it works", async () => {
    const c = client();
    c.api.set("a", "1");
    const out = await runOn(multiThread(2, 2), function* () {
      return yield* spawn(
        asyncBlock(function* () {
          return {
            bare: errorOf(() => c.api.get("a")),
            wrapped: blockInPlace(() => c.api.get("a")),
            start: errorOf(() => BlockingClient.start<Service>(SERVICE, "open")),
          };
        }),
      );
    });
    expect(out).toEqual({ bare: BLOCKING_IN_RUNTIME_ERROR, wrapped: "1", start: BLOCKING_IN_RUNTIME_ERROR });
  }, 20_000);

  it("a factory that throws makes start throw its error", () => {
    expect(errorOf(() => BlockingClient.start(SERVICE, "broken"))).toBe("cannot open");
  }, 20_000);

  it("close stops the worker: later calls throw, a second close does nothing", () => {
    const c = BlockingClient.start<Service>(SERVICE, "open");
    c.api.set("k", "v");
    expect(c.api.get("k")).toBe("v");
    c.close();
    expect(errorOf(() => c.api.get("k"))).toBe(CLOSED_ERROR);
    c.close();
    let scoped: BlockingClient<Service> | undefined;
    {
      using d = BlockingClient.start<Service>(SERVICE, "open");
      scoped = d;
    }
    expect(errorOf(() => scoped.api.get("k")), "a client disposed at the end of its scope is closed").toBe(CLOSED_ERROR);
  }, 20_000);

  it("seed 10.5: a blocking call whose answer needs the caller's own runtime gets none; the async call does", async () => {
    const c = BlockingClient.start<Service>(SERVICE, "open", [], { timeoutMs: 300 });
    const rt = Builder.newMultiThread().workerThreads(2).rngSeed(4).enableAll().build();
    const out = await runOn(rt, function* () {
      const listener = yield* TcpListener.bind("127.0.0.1:0");
      const addr = listener.localAddr().toString();
      spawn(
        asyncBlock(function* () {
          for (;;) {
            const [s] = yield* listener.accept();
            try {
              const question = new TextDecoder().decode(yield* readToEnd(s));
              yield* writeAll(s, new TextEncoder().encode(`${question} -> pong`));
            } catch {
              // the blocked caller's peer may be gone by now
            } finally {
              s.close();
            }
          }
        }),
      );
      const blocked = yield* spawn(
        asyncBlock(function* () {
          return errorOf(() => blockInPlace(() => c.api.ask(addr, "ping")));
        }),
      );
      const awaited = yield* open().ask(addr, "ping");
      return { blocked, awaited };
    });
    expect(out, "blocked: this thread could not serve; awaited: the same async method, not blocking").toEqual({
      blocked: NO_ANSWER_ERROR,
      awaited: "ping -> pong",
    });
    expect(errorOf(() => c.api.where()), "a call that timed out closed the client").toBe(CLOSED_ERROR);
  }, 20_000);
});
