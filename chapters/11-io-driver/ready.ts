/**
 * `Ready` (Tokio's `io/ready.rs`) and `Direction` (Tokio's `runtime/io/driver.rs`): readiness as a plain number.
 *
 * Tokio's `Ready` is a bit set over a `usize`; ours is a number with the same bits, so storing, combining and
 * returning readiness allocates nothing. `PRIORITY` (16) is Linux-only and has no source here, so it is left out.
 *
 * A direction asks for more than one bit: reading is possible when the socket is readable **or** its reading half
 * is closed (a read then returns the end of the stream at once), and likewise for writing.
 *
 * Given: the constants. You write the functions (Task 1).
 */
import type { Event } from "#kata/10-mio";
import { todo } from "#kit/todo";

export type Ready = number;

export const Ready = {
  EMPTY: 0,
  READABLE: 0b0_0001,
  WRITABLE: 0b0_0010,
  READ_CLOSED: 0b0_0100,
  WRITE_CLOSED: 0b0_1000,
  ERROR: 0b10_0000,
  ALL: 0b10_1111,

  /** The readiness an event reports (Tokio's `Ready::from_mio`): one bit per flag of the event. */
  fromMio(event: Event): Ready {
    return todo("11-io-driver", "Ready.fromMio");
  },

  /** READABLE or READ_CLOSED. */
  isReadable(ready: Ready): boolean {
    return todo("11-io-driver", "Ready.isReadable");
  },

  /** WRITABLE or WRITE_CLOSED. */
  isWritable(ready: Ready): boolean {
    return todo("11-io-driver", "Ready.isWritable");
  },

  isReadClosed(ready: Ready): boolean {
    return todo("11-io-driver", "Ready.isReadClosed");
  },

  isWriteClosed(ready: Ready): boolean {
    return todo("11-io-driver", "Ready.isWriteClosed");
  },

  isError(ready: Ready): boolean {
    return todo("11-io-driver", "Ready.isError");
  },
} as const;

export type Direction = typeof READ | typeof WRITE;
export const READ = 0;
export const WRITE = 1;

/** The readiness bits that let an operation in `direction` proceed (Tokio's `Direction::mask`). */
export function directionMask(direction: Direction): Ready {
  return todo("11-io-driver", "directionMask");
}
