/**
 * The selector at work over the simulated network: register, poll, read until WouldBlock.
 */
import { expect, it } from "vitest";
import { Events, Interest, Poll, SimNetwork, Token, WouldBlock } from "#kata/10-mio";

it("an event says a socket became readable; read until WouldBlock before polling again", async () => {
  const net = new SimNetwork();
  const poll = new Poll();
  const events = Events.withCapacity(16);
  const LISTENER = Token(1);
  const SERVER = Token(2);

  const listener = net.bind("10.0.0.1:80");
  poll.registry().register(listener, LISTENER, Interest.READABLE);
  const client = net.connect("10.0.0.1:80");

  await poll.poll(events, 0); // collect what is ready now, without waiting
  expect([...events].map((e) => e.token())).toEqual([LISTENER]);
  const accepted = listener.accept();
  if (accepted === WouldBlock) throw new Error("the connection should be queued");
  const [server] = accepted;
  poll.registry().register(server, SERVER, Interest.READABLE);

  client.write(new TextEncoder().encode("hello, "));
  client.write(new TextEncoder().encode("world"));
  await poll.poll(events, 0);
  expect([...events].map((e) => [e.token(), e.isReadable()])).toEqual([[SERVER, true]]);

  // Drain: read until WouldBlock. Stopping earlier would leave bytes nobody tells us about.
  const buf = new Uint8Array(4);
  let text = "";
  for (let n = server.read(buf); n !== WouldBlock; n = server.read(buf)) text += new TextDecoder().decode(buf.subarray(0, n));
  expect(text).toBe("hello, world");

  await poll.poll(events, 0);
  expect(events.isEmpty(), "no new edge, no event").toBe(true);
  poll.close(); // closes every registered socket
});
