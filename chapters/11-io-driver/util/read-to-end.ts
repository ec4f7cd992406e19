/**
 * `readToEnd(reader)` (Tokio's `io/util/read_to_end.rs`): reads until the end of the stream.
 *
 * Resolves to every byte read, in one `Uint8Array`. Tokio appends to a `Vec<u8>` the caller owns (so a dropped
 * future loses nothing); JavaScript has no growable byte vector, so the bytes are kept in the future and handed
 * over at the end. Read into a buffer that starts at 32 bytes and doubles when a read fills it, so a small
 * stream costs little and a large one takes few reads.
 */
import type { Future } from "#kata/01-poll";
import { todo } from "#kit/todo";
import type { AsyncRead } from "./async-io.ts";

export function readToEnd(reader: AsyncRead): Future<Uint8Array> {
  return todo("11-io-driver", "readToEnd");
}
