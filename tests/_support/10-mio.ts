/**
 * Test helpers for chapter 10 (and 11): events as plain records, byte strings, connected pairs, and a source
 * whose readiness the test sets by hand.
 */
import { SysSource, WouldBlock, type Events, type Network, type Poll, type Source, type TcpStream } from "#kata/10-mio";

export interface Seen {
  token: number;
  readable: boolean;
  writable: boolean;
  readClosed: boolean;
  writeClosed: boolean;
  error: boolean;
}

/** The events of the last poll, copied out (an `Event` is only valid until the next poll). */
export function seen(events: Events): Seen[] {
  const out: Seen[] = [];
  for (const e of events) {
    out.push({
      token: e.token(),
      readable: e.isReadable(),
      writable: e.isWritable(),
      readClosed: e.isReadClosed(),
      writeClosed: e.isWriteClosed(),
      error: e.isError(),
    });
  }
  return out;
}

/** Collects what is ready now (`poll` with timeout 0) and returns it copied out. */
export function ready(poll: Poll, events: Events): Seen[] {
  void poll.poll(events, 0);
  return seen(events);
}

/** Polls (waiting) until an event for `token` satisfies `pred`; returns it. */
export async function until(poll: Poll, events: Events, token: number, pred: (e: Seen) => boolean = () => true): Promise<Seen> {
  for (;;) {
    await poll.poll(events);
    const hit = seen(events).find((e) => e.token === token && pred(e));
    if (hit !== undefined) return hit;
  }
}

export const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
export const text = (b: Uint8Array, n = b.length): string => new TextDecoder().decode(b.subarray(0, n));

/** Reads once into a buffer of `size`; the text read, "" at the end of the stream, or WouldBlock. */
export function readText(s: TcpStream, size = 64): string | WouldBlock {
  const buf = new Uint8Array(size);
  const n = s.read(buf);
  return n === WouldBlock ? WouldBlock : text(buf, n);
}

/** A listener on `addr`, a client connected to it, and the accepted server side (delay-free networks only). */
export function connectedPair(net: Network, addr = "10.0.0.1:80"): { client: TcpStream; server: TcpStream; close(): void } {
  const listener = net.bind(addr);
  const client = net.connect(listener.localAddr());
  const accepted = listener.accept();
  if (accepted === WouldBlock) throw new Error("the connection was not queued at once on a delay-free network");
  const server = accepted[0];
  return {
    client,
    server,
    close() {
      client.close();
      server.close();
      listener.close();
    },
  };
}

/** A source whose epoll bits the test sets with `set(bits)`. */
export class ManualSource extends SysSource {
  readonly needsEventLoop: boolean;
  level = 0;
  closed = 0;

  constructor(needsEventLoop = false) {
    super();
    this.needsEventLoop = needsEventLoop;
  }

  readiness(): number {
    return this.level;
  }

  set(bits: number): void {
    this.level = bits;
    this.wakeup();
  }

  close(): void {
    this.closed++;
    this.detach();
  }
}

/** What `f` throws (undefined if it returns). */
export function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

/** Whether a source is registered with a selector now. */
export function isRegistered(s: Source): boolean {
  if (!(s instanceof SysSource)) throw new Error("not a SysSource");
  return s.epitem !== null;
}

/** Resolves after the microtasks queued so far have run (to check that a promise is still pending). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
