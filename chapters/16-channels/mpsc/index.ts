/**
 * `mpsc`: multi-producer, single-consumer channels, bounded and unbounded (Tokio's `sync/mpsc/`).
 */
export { SendError, TryRecvError, TrySendError, type TryRecvErrorKind, type TrySendErrorKind } from "./error.ts";
export { Permit, Receiver, Sender, channel } from "./bounded.ts";
export { UnboundedReceiver, UnboundedSender, unboundedChannel } from "./unbounded.ts";
