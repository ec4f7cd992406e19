/**
 * `echo`: every byte a client sends comes back (Tokio's `examples/echo.rs`), on the assembled runtime.
 *
 * Each connection is one task copying its stream into itself (`io.copy`) until the client closes it, or the server
 * shuts down (`select` against the connection's token). The accept loop and the graceful shutdown are chapter 18's
 * `serve`.
 */
import { asyncFn, branch, io, net, select, serve, sync, type AsyncGen, type Future, type ShutdownReport } from "../runtime/index.ts";

/** Echoes one connection; the stream is the caller's to close. */
export const echoConnection = asyncFn(function* (stream: net.TcpStream, _peer: net.SocketAddr, token: sync.CancellationToken): AsyncGen<void> {
  yield* select([branch(io.copy(stream, stream), () => {}), branch(token.cancelled(), () => {})], { biased: true });
});

/** Serves echo on `listener` until `shutdown` is cancelled; connections get `graceMs` to finish. */
export function serveEcho(listener: net.TcpListener, shutdown: sync.CancellationToken, graceMs = 1_000): Future<ShutdownReport> {
  return serve(listener, echoConnection, { shutdown, graceMs });
}
