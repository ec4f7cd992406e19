/**
 * Parking: a token that is never lost, and never counted twice.
 */
import { expect, it } from "vitest";
import { Parker } from "#kata/04-block-on";

it("an unpark before the park is kept as a token", async () => {
  const parker = new Parker();
  parker.unpark();
  parker.unpark(); // still one token
  await parker.park(); // returns at once: the token was there
  let second = false;
  const p = parker.park().then(() => (second = true));
  await new Promise((r) => setImmediate(r));
  expect(second).toBe(false); // no second token: this park waits...
  parker.unpark(); // ...until the next unpark
  await p;
  expect(second).toBe(true);
});
