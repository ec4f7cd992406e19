/**
 * An echo server and a client on a runtime, over a simulated network whose 5-byte buffers make every read and
 * write partial. Swap `new SimNetwork(...)` for `new NodeNetwork()` and it runs over real loopback sockets.
 */
import { expect, it } from "vitest";
import { asyncBlock } from "#kata/02-state-machines";
import { Builder, spawn } from "#kata/07-current-thread";
import { SimNetwork } from "#kata/10-mio";
import { TcpListener, TcpStream, copy, readToEnd, writeAll } from "#kata/11-io-driver";

it("echo: what the client sends comes back, however small the buffers", async () => {
  const rt = Builder.newCurrentThread().enableIo().network(new SimNetwork({ bufferSize: 5 })).build();
  const reply = await rt.blockOn(
    asyncBlock(function* () {
      const listener = yield* TcpListener.bind("10.0.0.1:7");
      spawn(
        asyncBlock(function* () {
          const [socket] = yield* listener.accept();
          yield* copy(socket, socket); // until the client shuts its writing half
          yield* socket.shutdown();
          socket.close();
        }),
      );

      using client = yield* TcpStream.connect("10.0.0.1:7");
      const writer = spawn(
        asyncBlock(function* () {
          yield* writeAll(client, new TextEncoder().encode("Hello from a non-blocking socket!"));
          yield* client.shutdown();
        }),
      );
      const back = yield* readToEnd(client);
      yield* writer;
      listener.close();
      return new TextDecoder().decode(back);
    }),
  );
  rt.shutdown();
  expect(reply).toBe("Hello from a non-blocking socket!");
});
