/**
 * The connection loop (mini-redis's `server.rs` `Handler::run`): read a frame, carry the command out, write the
 * reply, until the client leaves or the server shuts down.
 *
 *     loop
 *       select, biased:  shutdown cancelled      -> return (the command in progress was finished)
 *                        a frame (or the end)    -> the end: return
 *       ProtocolError                            -> reply "ERR Protocol error: ...", read on
 *       parseCommand: CommandError               -> reply its message, read on
 *                     null (empty array)         -> nothing to do
 *       SUBSCRIBE                                -> subscriber mode (Task 9); "closed": return; else read on
 *       UNSUBSCRIBE                              -> the replies of an empty subscription set (count 0)
 *       anything else                            -> reply apply(cmd, db); a CommandError from the store: its message
 *
 * The stream is borrowed: closing it is the caller's business (the server's connection task). Errors of the
 * stream itself (a reset, a peer gone mid-frame) end the loop by propagating.
 */
import { asyncFn, type AsyncGen } from "#kata/02-state-machines";
import type { TcpStream } from "#kata/11-io-driver";
import { branch, select, type CancellationToken } from "#kata/18-select-cancel";
import { apply, parseCommand, type Command } from "./cmd.ts";
import { Connection } from "./connection.ts";
import { CommandError, type Db } from "./db.ts";
import { ProtocolError, error, type Frame } from "./frame.ts";
import { Subscriptions, subscriberMode } from "./subscribe.ts";

export const handleConnection = asyncFn(function* (stream: TcpStream, db: Db, shutdown: CancellationToken): AsyncGen<void> {
  const conn = new Connection(stream);
  for (;;) {
    // `undefined`: the client has left, or the server shuts down; either way the handler is done.
    let frame: Frame | undefined;
    try {
      frame = yield* select<Frame | undefined>(
        [branch(shutdown.cancelled(), () => undefined), branch(conn.readFrame(), (f) => f)],
        { biased: true },
      );
    } catch (e) {
      if (!(e instanceof ProtocolError)) throw e;
      yield* conn.writeFrame(error(`ERR ${e.message}`));
      continue;
    }
    if (frame === undefined) return;
    let cmd: Command | null;
    try {
      cmd = parseCommand(frame);
    } catch (e) {
      if (!(e instanceof CommandError)) throw e;
      yield* conn.writeFrame(error(e.message));
      continue;
    }
    if (cmd === null) continue;
    if (cmd.name === "subscribe") {
      if ((yield* subscriberMode(conn, db, cmd.channels, shutdown)) === "closed") return;
      continue;
    }
    if (cmd.name === "unsubscribe") {
      using none = new Subscriptions(db);
      for (const reply of none.unsubscribe(cmd.channels)) yield* conn.writeFrame(reply);
      continue;
    }
    let reply: Frame;
    try {
      reply = apply(cmd, db);
    } catch (e) {
      if (!(e instanceof CommandError)) throw e;
      reply = error(e.message);
    }
    yield* conn.writeFrame(reply);
  }
});
