/**
 * Chapter 11: the I/O driver. Readiness with the tick guard, registrations, `PollEvented`, TCP, I/O utilities.
 */
export { Ready, READ, WRITE, directionMask, type Direction } from "./ready.ts";
export { ReadyEvent, ScheduledIo, READINESS_MASK, SHUTDOWN, TICK_MASK, TICK_SHIFT } from "./scheduled-io.ts";
export { NOTIFY_AFTER, RegistrationSet } from "./registration-set.ts";
export { Registration } from "./registration.ts";
export { DEFAULT_NEVENTS, IoDriver, IoHandle, TOKEN_WAKEUP, type IoDriverMetrics, type IoDriverOptions } from "./driver.ts";
export { CONTEXT_MISSING_ERROR, IO_DISABLED_ERROR, RUNTIME_SHUTTING_DOWN_ERROR, currentIoHandle } from "./errors.ts";
export { PollEvented, type IoSource, type SourceRead, type SourceWrite } from "./poll-evented.ts";
export { TcpListener } from "./tcp/listener.ts";
export { TcpStream } from "./tcp/stream.ts";
export type { AsyncRead, AsyncWrite } from "./util/async-io.ts";
export { flush, read, shutdown, write } from "./util/read.ts";
export { readExact } from "./util/read-exact.ts";
export { readToEnd } from "./util/read-to-end.ts";
export { writeAll } from "./util/write-all.ts";
export { DEFAULT_BUF_SIZE, copy } from "./util/copy.ts";
