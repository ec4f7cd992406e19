/**
 * `read`, `write`, `flush` and `shutdown` as futures (Tokio's `io/util/read.rs`, `write.rs`, `flush.rs`,
 * `shutdown.rs`): one call of the poll function, made awaitable with `yield*`.
 * `read` resolves to the bytes read (0 at the end of the stream); `write` to the bytes accepted.
 */
import { FutureBase, type Future, type Poll } from "#kata/01-poll";
import type { Context } from "#kata/03-waker";
import type { AsyncRead, AsyncWrite } from "./async-io.ts";

class Read extends FutureBase<number> {
  constructor(
    readonly reader: AsyncRead,
    readonly buf: Uint8Array,
  ) {
    super();
  }

  poll(cx: Context): Poll<number> {
    return this.reader.pollRead(cx, this.buf);
  }
}

class Write extends FutureBase<number> {
  constructor(
    readonly writer: AsyncWrite,
    readonly buf: Uint8Array,
  ) {
    super();
  }

  poll(cx: Context): Poll<number> {
    return this.writer.pollWrite(cx, this.buf);
  }
}

class Flush extends FutureBase<void> {
  constructor(readonly writer: AsyncWrite) {
    super();
  }

  poll(cx: Context): Poll<void> {
    return this.writer.pollFlush(cx);
  }
}

class Shutdown extends FutureBase<void> {
  constructor(readonly writer: AsyncWrite) {
    super();
  }

  poll(cx: Context): Poll<void> {
    return this.writer.pollShutdown(cx);
  }
}

export function read(reader: AsyncRead, buf: Uint8Array): Future<number> {
  return new Read(reader, buf);
}

export function write(writer: AsyncWrite, buf: Uint8Array): Future<number> {
  return new Write(writer, buf);
}

export function flush(writer: AsyncWrite): Future<void> {
  return new Flush(writer);
}

export function shutdown(writer: AsyncWrite): Future<void> {
  return new Shutdown(writer);
}
