/**
 * `mpsc`: multi-producer, single-consumer channels, bounded and unbounded (Tokio's `sync/mpsc/`).
 */
export { SendError, TryRecvError, TrySendError, type TryRecvErrorKind, type TrySendErrorKind } from "./error.ts";
export { Chan, Rx, Tx, type ChanSemaphore } from "./chan.ts";
export { BoundedSemaphore, Permit, Receiver, Sender, channel } from "./bounded.ts";
export { UnboundedReceiver, UnboundedSemaphore, UnboundedSender, unboundedChannel } from "./unbounded.ts";
