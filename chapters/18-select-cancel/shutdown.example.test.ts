/**
 * A line server on the simulated network: each connection echoes lines in upper case until the server shuts down,
 * then says "bye". The server stops accepting, waits for its connections, and reports.
 */
import { expect, it } from "vitest";
import { asyncBlock, asyncFn } from "#kata/02-state-machines";
import { Builder, spawn } from "#kata/07-current-thread";
import { SimNetwork, type SocketAddr } from "#kata/10-mio";
import { TcpListener, TcpStream, writeAll } from "#kata/11-io-driver";
import { CancellationToken, FramedRead, LinesCodec, branch, select, serve } from "#kata/18-select-cancel";

const encode = (s: string) => new TextEncoder().encode(s);

/** Upper-cases every line until the server shuts down; then says "bye". */
const shout = asyncFn(function* (stream: TcpStream, _peer: SocketAddr, shutdown: CancellationToken) {
  const lines = new FramedRead(stream, new LinesCodec());
  for (;;) {
    const line = yield* select<string | null | undefined>(
      [branch(shutdown.cancelled(), () => null), branch(lines.next(), (l) => l)],
      { biased: true },
    );
    if (line === undefined) return;
    yield* writeAll(stream, encode(line === null ? "bye\n" : `${line.toUpperCase()}\n`));
    if (line === null) return;
  }
});

it("serve: echo until shutdown, then drain and report", async () => {
  const rt = Builder.newCurrentThread().enableAll().network(new SimNetwork()).build();
  try {
    const out = await rt.blockOn(
      asyncBlock(function* () {
        const listener = yield* TcpListener.bind("127.0.0.1:7000");
        const shutdown = new CancellationToken();
        const server = spawn(serve(listener, shout, { shutdown, graceMs: 1_000 }));

        using conn = yield* TcpStream.connect("127.0.0.1:7000");
        const replies = new FramedRead(conn, new LinesCodec());
        yield* writeAll(conn, encode("hello\nworld\n"));
        const heard = [yield* replies.next(), yield* replies.next()];

        shutdown.cancel();
        heard.push(yield* replies.next(), yield* replies.next());
        return { heard, report: yield* server };
      }),
    );
    expect(out.heard).toEqual(["HELLO", "WORLD", "bye", undefined]);
    expect(out.report).toEqual({ accepted: 1, finished: 1, failed: 0, cutOff: [] });
  } finally {
    rt.shutdown();
  }
});
