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
import type { CancellationToken } from "#kata/18-select-cancel";
import { todo } from "#kit/todo";
import type { Db } from "./db.ts";

export const handleConnection = asyncFn(function* (stream: TcpStream, db: Db, shutdown: CancellationToken): AsyncGen<void> {
  return todo("19-capstone", "handleConnection");
});
