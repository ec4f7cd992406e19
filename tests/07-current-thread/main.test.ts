/**
 * Task 6: main(), what #[tokio::main] expands to. Every test hands main() a builder without I/O or time, so the
 * chapter can pass before chapters 11 and 13 are done.
 */
import { describe, expect, it } from "vitest";
import { pending, ready } from "#kata/01-poll";
import { asyncFn } from "#kata/02-state-machines";
import { JoinError } from "#kata/06-task";
import { Builder, Handle, main, spawn, type Runtime } from "#kata/07-current-thread";
import { probe } from "../_support/poll.ts";

/** A builder that remembers the runtime it built. */
class SpyBuilder extends Builder {
  built: Runtime | null = null;
  constructor() {
    super("current_thread");
  }
  override build(): Runtime {
    this.built = super.build();
    return this.built;
  }
}

describe("Task 6: main()", () => {
  it("runs a generator body on a new runtime and settles with its output", async () => {
    const builder = new SpyBuilder();
    const out = await main(function* () {
      const h = spawn(ready(20));
      return (yield* h) + 22;
    }, builder);
    expect(out).toBe(42);
    expect(builder.built, "main built its runtime with the builder it was given").not.toBeNull();
  });

  it("the body runs inside the runtime main built, which is shut down when main settles", async () => {
    const builder = new SpyBuilder();
    let inside: Handle | null = null;
    await main(function* () {
      inside = Handle.current();
    }, builder);
    expect(inside).toBe(builder.built!.handle());
    expect(inside!.runtimeFlavor(), "inside.runtimeFlavor()").toBe("current_thread");
    expect(builder.built!.isShutdown(), "builder.built.isShutdown()").toBe(true);
  });

  it("an async function made with asyncFn is a body too", async () => {
    const body = asyncFn(function* () {
      return (yield* spawn(ready("from asyncFn"))).toUpperCase();
    });
    expect(await main(body, Builder.newCurrentThread())).toBe("FROM ASYNCFN");
  });

  it("tasks still running when the body returns are cancelled by the shutdown", async () => {
    const background = await main(function* () {
      return spawn(pending<number>());
    }, Builder.newCurrentThread());
    expect(background.isFinished(), "background.isFinished()").toBe(true);
    let error: unknown;
    try {
      probe().poll(background);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(JoinError);
    expect((error as JoinError).isCancelled()).toBe(true);
  });

  it("a body that throws rejects main's promise, and the runtime is shut down all the same", async () => {
    const builder = new SpyBuilder();
    await expect(
      main(function* () {
        yield* ready(0);
        throw new Error("main failed");
      }, builder),
    ).rejects.toThrow("main failed");
    expect(builder.built!.isShutdown(), "builder.built.isShutdown()").toBe(true);
    expect(Handle.tryCurrent()).toBeNull();
  });
});
