/**
 * The readiness flags a source reports and an event carries: Linux epoll's own bits, because our selector plays
 * the part of epoll (mio's `sys/unix/selector/epoll.rs`). The constants are given: they are part of the contract
 * between sources, the selector and `Event`.
 *
 * - `EPOLLIN`: there is something to read (data, the end of the stream, or an error to collect);
 * - `EPOLLOUT`: a write would make progress (or report an error at once);
 * - `EPOLLERR`: an error is pending (`takeError()` collects it);
 * - `EPOLLHUP`: both directions are closed (or the connection failed or was reset);
 * - `EPOLLRDHUP`: the peer closed its writing half, so reads will reach the end of the stream.
 *
 * `interestMask` is what a registration asks for (mio's `interests_to_epoll`); epoll always reports `EPOLLERR`
 * and `EPOLLHUP`, whatever the interest.
 */
import { todo } from "#kit/todo";
import type { Interest } from "./interest.ts";

export const EPOLLIN = 0x001;
export const EPOLLOUT = 0x004;
export const EPOLLERR = 0x008;
export const EPOLLHUP = 0x010;
export const EPOLLRDHUP = 0x2000;

/** READABLE asks for IN and RDHUP, WRITABLE for OUT; ERR and HUP always. */
export function interestMask(interest: Interest): number {
  return todo("10-mio", "interestMask");
}
