/**
 * Seed 12.5: instead of a hand-made list of JoinHandles, a JoinSet: results in completion order, and the tasks
 * are aborted if the set is dropped.
 */
import { expect, it } from "vitest";
import { asyncBlock } from "#kata/02-state-machines";
import { Builder } from "#kata/07-current-thread";
import { sleep } from "#kata/13-time";
import { JoinSet } from "#kata/17-broadcast-watch";

it("results come out as the tasks finish, not in the order they were spawned", async () => {
  using rt = Builder.newCurrentThread().enableTime().startPaused(true).build();
  const order = await rt.blockOn(
    asyncBlock(function* () {
      const set = new JoinSet<string>();
      for (const [name, ms] of [["slow", 300], ["quick", 100], ["medium", 200]] as const) {
        set.spawn(
          asyncBlock(function* () {
            yield* sleep(ms);
            return name;
          }),
        );
      }
      const order: string[] = [];
      while (!set.isEmpty()) order.push((yield* set.joinNext())!);
      return order;
    }),
  );
  expect(order).toEqual(["quick", "medium", "slow"]);
});
