/**
 * Seed 12.2: `#[tracing::instrument]`. Each call gets a span with its arguments as fields, entered on every poll,
 * so the log lines of two interleaved requests never mix up their context.
 */
import { expect, it } from "vitest";
import { asyncBlock } from "#kata/02-state-machines";
import { Builder, spawn } from "#kata/07-current-thread";
import { sleep } from "#kata/13-time";
import { tracing } from "#kata/19-capstone";

it("two requests interleave across sleeps; every line carries its own request's span", async () => {
  const log = new tracing.Recorder();
  using _subscriber = tracing.setDefaultSubscriber(log);
  const handleRequest = tracing.instrumentFn("handle_request", (id: number) => ({ id }), function* (id: number) {
    tracing.info("start");
    yield* sleep(id * 10);
    tracing.info("done", { rows: id });
  });
  using rt = Builder.newCurrentThread().enableTime().startPaused(true).build();
  await rt.blockOn(
    asyncBlock(function* () {
      const a = spawn(handleRequest(2));
      const b = spawn(handleRequest(1));
      yield* a;
      yield* b;
    }),
  );
  expect(log.lines).toEqual([
    "INFO handle_request{id=2}: start",
    "INFO handle_request{id=1}: start",
    "INFO handle_request{id=1}: done rows=1",
    "INFO handle_request{id=2}: done rows=2",
  ]);
});
