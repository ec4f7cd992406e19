/**
 * Seed 11.4: the latest value only. A configuration that tasks re-read when it changes.
 */
import { expect, it } from "vitest";
import { asyncBlock } from "#kata/02-state-machines";
import { Builder, spawn } from "#kata/07-current-thread";
import { watch } from "#kata/17-broadcast-watch";

it("a task wakes up on each configuration change and sees the latest value", async () => {
  using rt = Builder.newCurrentThread().build();
  const seen = await rt.blockOn(
    asyncBlock(function* () {
      const [tx, rx] = watch.channel({ level: "info" });
      const reader = spawn(
        asyncBlock(function* () {
          const seen: string[] = [];
          try {
            for (;;) {
              yield* rx.changed(); // throws once the sender is gone and nothing is unseen
              seen.push(rx.borrowAndUpdate().value.level);
            }
          } catch (e) {
            if (!(e instanceof watch.RecvError)) throw e;
          }
          return seen;
        }),
      );
      tx.send({ level: "debug" });
      tx.send({ level: "trace" }); // sent before the reader ran: only the latest is seen
      tx[Symbol.dispose](); // the last sender gone: the reader's next changed() throws
      return yield* reader;
    }),
  );
  expect(seen).toEqual(["trace"]);
});

