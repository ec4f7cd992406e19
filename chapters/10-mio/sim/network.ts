/**
 * `SimNetwork`: a deterministic in-memory TCP network (the simulated backend of chapter 10).
 *
 *     client ──write──► [ pipe: at most `capacity` bytes in flight or unread ] ──read──► server
 *            ◄──read─── [ pipe in the other direction                      ] ◄─write──
 *
 * What it models, with no real time and no randomness beyond its seed:
 * - listeners with an accept queue (`backlog`), ephemeral ports from 49152;
 * - connections with a bounded buffer per direction (`bufferSize`, or a `[min, max]` range drawn per connection
 *   from the seeded generator): a write accepts what fits, so writes and reads come out partial;
 * - non-blocking connect: in progress until the SYN is delivered, then connected or refused (no listener, or a
 *   full backlog); the outcome is announced by writable readiness and read with `takeError()`;
 * - graceful close (FIN: the peer reads what was sent, then the end of the stream), half close (`shutdown`),
 *   and reset (RST: closing with unread data or zero linger, or writing to a closed peer);
 * - delays: every packet (SYN, data, FIN, RST) is delivered `delay` ms after it was sent, measured on the clock
 *   `now()` you pass. Nothing happens on its own: due packets are delivered when the network is next used (any
 *   socket operation, or a `select` on a `Poll` holding one of its sockets). `nextDeadline()` says when the next
 *   one is due. With `delay` 0 (the default) delivery is immediate, like loopback.
 *
 * Invariants: packets are delivered in the order they were sent; a read shorter than its buffer leaves nothing
 * visible to read; a write shorter than its buffer leaves the pipe full (the kernel contract Tokio relies on).
 *
 * Given: the options, the defaults, the seeded generator. You write the network (Tasks 4 and 5).
 */
import { mulberry32 } from "#kit/rng";
import { todo } from "#kit/todo";
import type { SocketAddr } from "../addr.ts";
import type { Network } from "../net.ts";
import type { Device } from "../selector.ts";
import type { SimTcpListener } from "./listener.ts";
import type { PacketKind } from "./packet.ts";
import type { SimTcpStream } from "./stream.ts";

export interface SimNetworkOptions {
  /** Bytes a direction of a connection holds (in flight plus unread): a number, or `[min, max]` per connection. */
  bufferSize?: number | readonly [number, number];
  /** Delivery delay of every packet, in ms of `now()`. Needs `now`. Default 0. */
  delay?: number;
  /** The clock delays are measured on (chapter 13's `Clock.now`, or a test's counter). */
  now?: () => number;
  /** Seed of the generator that draws buffer sizes from a range. Default 1. */
  seed?: number;
  /** Connections a listener queues before refusing more. Default 1024 (mio's). */
  backlog?: number;
}

export const DEFAULT_BUFFER_SIZE = 64 * 1024;
export const DEFAULT_BACKLOG = 1024;

export class SimNetwork implements Network, Device {
  readonly kind = "simulated";
  /** The delivery delay (ms), from the options. */
  declare readonly delay: number;
  /** The backlog of every listener, from the options. */
  declare readonly backlog: number;
  // Sketch: the clock, the buffer-size range, the generator (`mulberry32(seed)` from `#kit/rng`, imported above),
  // the listeners by address text, the packets in flight (a VecDeque of { at, kind, to, data }), the next ephemeral
  // port (49152).

  /**
   * Checks the options: a negative delay is a `RangeError`; a delay without `now` throws
   * "a simulated network with delays needs a clock: pass `now`"; a buffer size below 1 is a `RangeError`.
   */
  constructor(options: SimNetworkOptions = {}) {
    todo("10-mio", "SimNetwork.constructor");
  }

  /** A listener on `addr` (port 0: the next free ephemeral port); an address in use is `IoError.os("EADDRINUSE")`. */
  bind(addr: string | SocketAddr): SimTcpListener {
    return todo("10-mio", "SimNetwork.bind");
  }

  /** A client socket (local address: the remote's ip, an ephemeral port) whose SYN is sent now. */
  connect(addr: string | SocketAddr): SimTcpStream {
    return todo("10-mio", "SimNetwork.connect");
  }

  /** When the first packet in flight is due, or `undefined`. */
  nextDeadline(): number | undefined {
    return todo("10-mio", "SimNetwork.nextDeadline");
  }

  /** Delivers every packet whose time has come, in order. */
  catchUp(): void {
    todo("10-mio", "SimNetwork.catchUp");
  }

  /**
   * Sends a packet to `to`: delivered at once when `delay` is 0, else queued for `now() + delay`. Delivering:
   * SYN finds the listener at `to.remote` (none, or a full backlog: `to.refused()`; otherwise a server-side socket
   * is made, both ends `established(peer)`, and the listener `enqueue`s it); DATA is `to.receive(data)`; FIN
   * `to.receiveFin()`; RST `to.receiveRst()`.
   */
  send(kind: PacketKind, to: SimTcpStream, data: Uint8Array | null): void {
    todo("10-mio", "SimNetwork.send");
  }

  /** Forgets a closed listener's address. */
  unbind(listener: SimTcpListener): void {
    todo("10-mio", "SimNetwork.unbind");
  }
}
