/**
 * `writeAll(writer, buf)` (Tokio's `io/util/write_all.rs`): writes until all of `buf` is accepted.
 *
 * A write that accepts 0 bytes of a non-empty buffer means the writer will take no more: `IoError` of kind
 * `WriteZero` ("failed to write whole buffer"). Not cancel-safe: how much was written is lost with the future.
 */
import type { Future } from "#kata/01-poll";
import { todo } from "#kit/todo";
import type { AsyncWrite } from "./async-io.ts";

export function writeAll(writer: AsyncWrite, buf: Uint8Array): Future<void> {
  return todo("11-io-driver", "writeAll");
}
