/**
 * `chat`: a line-based chat room (Tokio's `examples/chat.rs`), on a broadcast channel.
 *
 *     server: "welcome, you are guest-1"
 *     client: "hello"                          everyone else: "[guest-1] hello"
 *     (a client joins / leaves)                everyone else: "* guest-2 joined" / "* guest-2 left"
 *
 * Every connection is a task with a `FramedRead` of lines from its stream and a receiver of the room's broadcast
 * channel (chapter 17): it `select`s between its own next line (to publish), the next message of the room (to
 * write, unless it sent it itself), and its shutdown token. A slow reader that falls more than `ROOM_CAPACITY`
 * messages behind is told how many it missed (the channel's lag) and goes on. Lines are UTF-8 and end with `\n`.
 */
import { asyncBlock, branch, io, net, select, serve, sync, type ConnectionHandler, type Future, type ShutdownReport } from "../runtime/index.ts";

/** Messages the room holds for slow readers. */
export const ROOM_CAPACITY = 256;

interface Message {
  from: number;
  text: string;
}

type Event = { kind: "stop" } | { kind: "line"; line: string | undefined } | { kind: "message"; message: Message };

const encoder = new TextEncoder();

/** A new room: the handler of its members' connections (each stream is the caller's to close). */
export function chatRoom(): ConnectionHandler {
  const room = sync.broadcast.Sender.new<Message>(ROOM_CAPACITY);
  let guests = 0;
  return (stream: net.TcpStream, _peer: net.SocketAddr, token: sync.CancellationToken) =>
    asyncBlock(function* () {
      const id = ++guests;
      const name = `guest-${id}`;
      using rx = room.subscribe();
      const lines = new io.FramedRead(stream, new io.LinesCodec());
      const say = (text: string) => io.writeAll(stream, encoder.encode(`${text}\n`));
      yield* say(`welcome, you are ${name}`);
      room.send({ from: id, text: `* ${name} joined` });
      try {
        for (;;) {
          let event: Event;
          try {
            event = yield* select<Event>(
              [
                branch(token.cancelled(), () => ({ kind: "stop" })),
                branch(lines.next(), (line) => ({ kind: "line", line })),
                branch(rx.recv(), (message) => ({ kind: "message", message })),
              ],
              { biased: true },
            );
          } catch (e) {
            if (!(e instanceof sync.broadcast.RecvError && e.kind === "lagged")) throw e;
            yield* say(`* you missed ${e.missed} messages`);
            continue;
          }
          if (event.kind === "stop" || (event.kind === "line" && event.line === undefined)) return;
          if (event.kind === "line") room.send({ from: id, text: `[${name}] ${event.line}` });
          else if (event.message.from !== id) yield* say(event.message.text);
        }
      } finally {
        room.send({ from: id, text: `* ${name} left` });
      }
    });
}

/** Serves a chat room on `listener` until `shutdown` is cancelled; members get `graceMs` to leave. */
export function serveChat(listener: net.TcpListener, shutdown: sync.CancellationToken, graceMs = 1_000): Future<ShutdownReport> {
  return serve(listener, chatRoom(), { shutdown, graceMs });
}
