/**
 * `tokio::runtime`: the builder of both flavours (chapters 07 and 09), and `build(flavor)` for the apps and the
 * integration suite: a runtime with I/O and time enabled.
 */
import { Builder, type Runtime, type RuntimeFlavor } from "#kata/09-work-stealing";
import type { Network } from "#kata/10-mio";

export { Builder, Handle, Runtime, type RuntimeFlavor, type RuntimeMetrics } from "#kata/09-work-stealing";

export interface BuildOptions {
  /** Logical workers of the multi-thread flavour (default: the number of CPUs, as Tokio). */
  workerThreads?: number;
  /** The simulated network instead of real sockets. */
  network?: Network;
  /** Start with the clock paused (tests). */
  startPaused?: boolean;
  /** Seed of the runtime's random choices (the multi-thread interleaving, `select`). */
  rngSeed?: number;
}

/** A runtime of `flavor` with I/O and time enabled (`#[tokio::main(flavor = ...)]`'s builder). */
export function build(flavor: RuntimeFlavor, options: BuildOptions = {}): Runtime {
  const builder = flavor === "multi_thread" ? Builder.newMultiThread() : Builder.newCurrentThread();
  if (flavor === "multi_thread" && options.workerThreads !== undefined) builder.workerThreads(options.workerThreads);
  if (options.network !== undefined) builder.network(options.network);
  if (options.startPaused === true) builder.startPaused(true);
  if (options.rngSeed !== undefined) builder.rngSeed(options.rngSeed);
  return builder.enableAll().build();
}
