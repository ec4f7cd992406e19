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
 */
import { mulberry32 } from "#kit/rng";
import { VecDeque } from "#kit/vec-deque";
import { SocketAddr } from "../addr.ts";
import { IoError } from "../io-error.ts";
import type { Network } from "../net.ts";
import type { Device } from "../selector.ts";
import { SimTcpListener } from "./listener.ts";
import { DATA, FIN, RST, SYN, type PacketKind } from "./packet.ts";
import { SimTcpStream } from "./stream.ts";

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
const FIRST_EPHEMERAL_PORT = 49152;

interface Packet {
  at: number;
  kind: PacketKind;
  to: SimTcpStream;
  data: Uint8Array | null;
}

export class SimNetwork implements Network, Device {
  readonly kind = "simulated";
  readonly delay: number;
  readonly backlog: number;
  readonly #now: () => number;
  readonly #bufferSize: readonly [number, number];
  readonly #random: () => number;
  readonly #listeners = new Map<string, SimTcpListener>();
  readonly #inFlight = new VecDeque<Packet>();
  #nextPort = FIRST_EPHEMERAL_PORT;

  constructor(options: SimNetworkOptions = {}) {
    this.delay = options.delay ?? 0;
    if (!(this.delay >= 0)) throw new RangeError(`delay must be >= 0 ms, got ${this.delay}`);
    if (this.delay > 0 && options.now === undefined) {
      throw new Error("a simulated network with delays needs a clock: pass `now`");
    }
    this.#now = options.now ?? (() => 0);
    const size = options.bufferSize ?? DEFAULT_BUFFER_SIZE;
    this.#bufferSize = typeof size === "number" ? [size, size] : size;
    if (!(this.#bufferSize[0] >= 1 && this.#bufferSize[1] >= this.#bufferSize[0])) {
      throw new RangeError(`bufferSize must be at least 1 byte, got ${String(size)}`);
    }
    this.backlog = options.backlog ?? DEFAULT_BACKLOG;
    this.#random = mulberry32(options.seed ?? 1);
  }

  bind(addr: string | SocketAddr): SimTcpListener {
    this.catchUp();
    let local = SocketAddr.parse(addr);
    if (local.port === 0) local = new SocketAddr(local.ip, this.#ephemeralPort(local.ip));
    const key = local.toString();
    if (this.#listeners.has(key)) throw IoError.os("EADDRINUSE");
    const listener = new SimTcpListener(this, local);
    this.#listeners.set(key, listener);
    return listener;
  }

  connect(addr: string | SocketAddr): SimTcpStream {
    this.catchUp();
    const remote = SocketAddr.parse(addr);
    const local = new SocketAddr(remote.ip, this.#ephemeralPort(remote.ip));
    const client = new SimTcpStream(this, local, remote, this.#drawCapacity());
    this.send(SYN, client, null);
    return client;
  }

  nextDeadline(): number | undefined {
    return this.#inFlight.peekFront()?.at;
  }

  /** Delivers every packet whose time has come. */
  catchUp(): void {
    const q = this.#inFlight;
    if (q.isEmpty()) return;
    const now = this.#now();
    for (let p = q.peekFront(); p !== undefined && p.at <= now; p = q.peekFront()) {
      q.popFront();
      this.#deliver(p.kind, p.to, p.data);
    }
  }

  /** Sends a packet to `to`: delivered now, or after the delay. */
  send(kind: PacketKind, to: SimTcpStream, data: Uint8Array | null): void {
    if (this.delay === 0) this.#deliver(kind, to, data);
    else this.#inFlight.pushBack({ at: this.#now() + this.delay, kind, to, data });
  }

  /** Forgets a closed listener's address. */
  unbind(listener: SimTcpListener): void {
    const key = listener.localAddr().toString();
    if (this.#listeners.get(key) === listener) this.#listeners.delete(key);
  }

  #deliver(kind: PacketKind, to: SimTcpStream, data: Uint8Array | null): void {
    switch (kind) {
      case SYN:
        return this.#accept(to);
      case DATA:
        return to.receive(data!);
      case FIN:
        return to.receiveFin();
      case RST:
        return to.receiveRst();
    }
  }

  /** The SYN reached the remote address: queue a server-side socket, or refuse. */
  #accept(client: SimTcpStream): void {
    if (client.isClosed()) return;
    const listener = this.#listeners.get(client.remote.toString());
    if (listener === undefined || listener.queueLength() >= this.backlog) {
      client.refused();
      return;
    }
    const server = new SimTcpStream(this, client.remote, client.local, client.capacity);
    server.established(client);
    client.established(server);
    listener.enqueue(server);
  }

  #drawCapacity(): number {
    const [min, max] = this.#bufferSize;
    return min + Math.floor(this.#random() * (max - min + 1));
  }

  #ephemeralPort(ip: string): number {
    for (;;) {
      const port = this.#nextPort++;
      if (!this.#listeners.has(new SocketAddr(ip, port).toString())) return port;
    }
  }
}
