/**
 * `readExact(reader, buf)` (Tokio's `io/util/read_exact.rs`): reads until `buf` is full.
 *
 * Resolves to `buf.length`. If the stream ends first it throws `IoError` of kind `UnexpectedEof` ("early eof").
 * Not cancel-safe: the bytes already read are in `buf`, but if the future is dropped, how many is lost.
 */
import type { Future } from "#kata/01-poll";
import { todo } from "#kit/todo";
import type { AsyncRead } from "./async-io.ts";

export function readExact(reader: AsyncRead, buf: Uint8Array): Future<number> {
  return todo("11-io-driver", "readExact");
}
