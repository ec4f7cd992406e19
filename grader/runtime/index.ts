/**
 * The assembled runtime: one facade over the chapters, laid out like the `tokio` crate, so that an application
 * reads like its Rust counterpart:
 *
 *     import { Builder, asyncFn, net, io, select, branch, sync, spawn } from "../runtime/index.ts";
 *
 *     tokio                           here
 *     tokio::runtime::{Builder, ..}   Builder, Runtime, Handle (also `runtime.*`, with `build(flavor)`)
 *     tokio::spawn, #[tokio::main]    spawn, main
 *     tokio::task                     task.* (spawnBlocking, yieldNow, JoinSet, JoinHandle, JoinError, ...)
 *     tokio::time                     time.* (sleep, timeout, interval, pause, advance, ...)
 *     tokio::sync, tokio_util::sync   sync.* (Mutex, Semaphore, Notify, mpsc, oneshot, broadcast, watch,
 *                                     CancellationToken)
 *     tokio::net                      net.* (TcpListener, TcpStream, SocketAddr; the simulated network)
 *     tokio::io, tokio_util::codec    io.* (read, writeAll, copy, ..., FramedRead, LinesCodec)
 *     tokio::select!, join!, try_join!  select/branch, join, tryJoin
 *     mini-redis's server::run        serve (an accept loop with a graceful shutdown, chapter 18)
 *     tokio::signal::ctrl_c           signal.ctrlC()
 *     tokio-metrics, tokio-console,   metrics.* (TaskMonitor, RuntimeMonitor, Console), tracing.*
 *     tracing
 *     async fn, async {}              asyncFn, asyncBlock (chapter 02)
 *
 * It imports only `#kata/NN-slug`, so what it assembles depends on how it is run: the learner's chapters by default
 * (integrated mode: the runtime you built), the reference solutions under the conditions `kata-ref-01` ...
 * `kata-ref-19` (`kata run <app> --reference`, and the reference mode of the integration suite).
 */
export { asyncBlock, asyncFn, type AsyncGen } from "#kata/02-state-machines";
export { Pending, type Future, type Poll } from "#kata/01-poll";
export { Builder, Handle, Runtime, main, spawn, type RuntimeFlavor } from "#kata/09-work-stealing";
export { branch, join, select, serve, tryJoin, type ConnectionHandler, type ShutdownReport } from "#kata/18-select-cancel";
export * as runtime from "./runtime.ts";
export * as task from "./task.ts";
export * as time from "./time.ts";
export * as sync from "./sync.ts";
export * as net from "./net.ts";
export * as io from "./io.ts";
export * as signal from "./signal.ts";
export * as metrics from "./metrics.ts";
export { tracing } from "#kata/19-capstone";
