/**
 * The seed's first channel (11.1): a bounded mpsc channel between a producer task and the main task.
 */
import { expect, it } from "vitest";
import { asyncBlock } from "#kata/02-state-machines";
import { Builder, spawn } from "#kata/07-current-thread";
import { mpsc } from "#kata/16-channels";

it("a producer sends ten messages through a channel of 4 slots; recv ends when the producer is gone", async () => {
  using rt = Builder.newCurrentThread().build();
  const received = await rt.blockOn(
    asyncBlock(function* () {
      const [tx, rx] = mpsc.channel<string>(4);
      spawn(
        asyncBlock(function* () {
          using sender = tx; // dropped when the task ends: that is what ends the loop below
          for (let i = 0; i < 10; i++) yield* sender.send(`msg ${i}`); // waits while 4 are queued
        }),
      );
      const received: string[] = [];
      for (let msg = yield* rx.recv(); msg !== undefined; msg = yield* rx.recv()) received.push(msg);
      return received;
    }),
  );
  expect(received).toEqual(Array.from({ length: 10 }, (_, i) => `msg ${i}`));
});

it("trySend reports a full channel instead of waiting, and hands the message back", () => {
  const [tx] = mpsc.channel<number>(1);
  tx.trySend(1);
  try {
    tx.trySend(2);
    expect.unreachable();
  } catch (e) {
    expect(e).toBeInstanceOf(mpsc.TrySendError);
    expect((e as mpsc.TrySendError<number>).kind).toBe("full");
    expect((e as mpsc.TrySendError<number>).value).toBe(2);
  }
});
