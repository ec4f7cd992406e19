/**
 * The non-blocking connect of seed 7.2: in progress, announced by writable readiness, the outcome read with
 * takeError() (SO_ERROR). Here on a simulated network with a 10 ms delay, on a clock the test moves by hand.
 */
import { expect, it } from "vitest";
import { Events, Interest, Poll, SimNetwork, Token, WouldBlock } from "#kata/10-mio";

it("connect returns at once; the writable event announces the outcome; takeError() says which", async () => {
  let now = 0;
  const net = new SimNetwork({ delay: 10, now: () => now });
  const poll = new Poll();
  const events = Events.withCapacity(16);
  net.bind("10.0.0.1:80");

  const good = net.connect("10.0.0.1:80"); // someone listens there
  const bad = net.connect("10.0.0.1:81"); // nobody does
  poll.registry().register(good, Token(1), Interest.WRITABLE);
  poll.registry().register(bad, Token(2), Interest.WRITABLE);

  await poll.poll(events, 0);
  expect(events.isEmpty(), "both still in progress").toBe(true);
  expect(good.write(new Uint8Array(1))).toBe(WouldBlock);

  now = 10; // the SYNs arrive
  await poll.poll(events, 0);
  expect([...events].map((e) => [e.token(), e.isWritable(), e.isError()])).toEqual([
    [1, true, false],
    [2, true, true],
  ]);
  expect(good.takeError()).toBeUndefined();
  expect(bad.takeError()?.kind).toBe("ConnectionRefused");
  poll.close();
});
