/**
 * `Ready` (Tokio's `io/ready.rs`) and `Direction` (Tokio's `runtime/io/driver.rs`): readiness as a plain number.
 *
 * Tokio's `Ready` is a bit set over a `usize`; ours is a number with the same bits, so storing, combining and
 * returning readiness allocates nothing. `PRIORITY` (16) is Linux-only and has no source here, so it is left out.
 *
 * A direction asks for more than one bit: reading is possible when the socket is readable **or** its reading half
 * is closed (a read then returns the end of the stream at once), and likewise for writing.
 */
import type { Event } from "#kata/10-mio";

export type Ready = number;

export const Ready = {
  EMPTY: 0,
  READABLE: 0b0_0001,
  WRITABLE: 0b0_0010,
  READ_CLOSED: 0b0_0100,
  WRITE_CLOSED: 0b0_1000,
  ERROR: 0b10_0000,
  ALL: 0b10_1111,

  /** The readiness an event reports (Tokio's `Ready::from_mio`). */
  fromMio(event: Event): Ready {
    let ready = 0;
    if (event.isReadable()) ready |= Ready.READABLE;
    if (event.isWritable()) ready |= Ready.WRITABLE;
    if (event.isReadClosed()) ready |= Ready.READ_CLOSED;
    if (event.isWriteClosed()) ready |= Ready.WRITE_CLOSED;
    if (event.isError()) ready |= Ready.ERROR;
    return ready;
  },

  isReadable(ready: Ready): boolean {
    return (ready & (Ready.READABLE | Ready.READ_CLOSED)) !== 0;
  },

  isWritable(ready: Ready): boolean {
    return (ready & (Ready.WRITABLE | Ready.WRITE_CLOSED)) !== 0;
  },

  isReadClosed(ready: Ready): boolean {
    return (ready & Ready.READ_CLOSED) !== 0;
  },

  isWriteClosed(ready: Ready): boolean {
    return (ready & Ready.WRITE_CLOSED) !== 0;
  },

  isError(ready: Ready): boolean {
    return (ready & Ready.ERROR) !== 0;
  },
} as const;

export type Direction = typeof READ | typeof WRITE;
export const READ = 0;
export const WRITE = 1;

/** The readiness bits that let an operation in `direction` proceed (Tokio's `Direction::mask`). */
export function directionMask(direction: Direction): Ready {
  return direction === READ ? Ready.READABLE | Ready.READ_CLOSED : Ready.WRITABLE | Ready.WRITE_CLOSED;
}
