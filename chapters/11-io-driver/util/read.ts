/**
 * `read`, `write`, `flush` and `shutdown` as futures (Tokio's `io/util/read.rs`, `write.rs`, `flush.rs`,
 * `shutdown.rs`): one call of the poll function, made awaitable with `yield*`.
 * `read` resolves to the bytes read (0 at the end of the stream); `write` to the bytes accepted.
 *
 * Each is a small class extending `FutureBase` whose `poll(cx)` calls the reader's or writer's poll function.
 */
import type { Future } from "#kata/01-poll";
import { todo } from "#kit/todo";
import type { AsyncRead, AsyncWrite } from "./async-io.ts";

export function read(reader: AsyncRead, buf: Uint8Array): Future<number> {
  return todo("11-io-driver", "read");
}

export function write(writer: AsyncWrite, buf: Uint8Array): Future<number> {
  return todo("11-io-driver", "write");
}

export function flush(writer: AsyncWrite): Future<void> {
  return todo("11-io-driver", "flush");
}

export function shutdown(writer: AsyncWrite): Future<void> {
  return todo("11-io-driver", "shutdown");
}
