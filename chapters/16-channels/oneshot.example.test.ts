/**
 * The seed's second channel (11.2): one value, once: request and response.
 */
import { expect, it } from "vitest";
import { asyncBlock } from "#kata/02-state-machines";
import { Builder, spawn } from "#kata/07-current-thread";
import { mpsc, oneshot } from "#kata/16-channels";

interface Request {
  n: number;
  reply: oneshot.Sender<number>;
}

it("each request carries a oneshot sender for its answer", async () => {
  using rt = Builder.newCurrentThread().build();
  const answers = await rt.blockOn(
    asyncBlock(function* () {
      const [tx, rx] = mpsc.channel<Request>(8);
      // A server task: squares numbers.
      spawn(
        asyncBlock(function* () {
          for (let req = yield* rx.recv(); req !== undefined; req = yield* rx.recv()) req.reply.send(req.n * req.n);
        }),
      );
      const answers: number[] = [];
      for (const n of [2, 3, 4]) {
        const [reply, response] = oneshot.channel<number>();
        yield* tx.send({ n, reply });
        answers.push(yield* response); // the receiver is the future of the answer
      }
      tx[Symbol.dispose]();
      return answers;
    }),
  );
  expect(answers).toEqual([4, 9, 16]);
});

it("a sender dropped without sending fails the receiver", () => {
  const [tx, rx] = oneshot.channel<number>();
  tx[Symbol.dispose]();
  expect(() => rx.tryRecv()).toThrow(oneshot.TryRecvError);
});
