/**
 * `mini-redis`: chapter 19's server (its `runServer`: RESP2, the store with expiry, pub/sub, a connection limit,
 * a graceful shutdown), on the assembled runtime. In integrated mode it is the learner's chapter 19; with
 * `--reference`, the reference one.
 */
import type { Future } from "../runtime/index.ts";
import type { net, sync } from "../runtime/index.ts";
import { runServer, type ServerReport } from "#kata/19-capstone";

export function serveMiniRedis(listener: net.TcpListener, shutdown: sync.CancellationToken): Future<ServerReport> {
  return runServer(listener, { shutdown });
}
