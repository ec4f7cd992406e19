/**
 * I/O errors (Rust's `std::io::Error` and `ErrorKind`) and the `WouldBlock` outcome. Given code: the contract
 * every backend and chapter 11 share.
 *
 * `WouldBlock` is not thrown: a non-blocking `read`, `write` or `accept` *returns* it, because it is the normal
 * outcome of an operation on a source that is not ready, and it happens on every drained read. Every other
 * failure is thrown as an `IoError` whose `kind` names Rust's `ErrorKind` and whose `code` is the errno name,
 * with the operating system's wording (`Connection reset by peer (os error 104)`), whichever backend raised it.
 */
export const WouldBlock: unique symbol = Symbol("WouldBlock");
export type WouldBlock = typeof WouldBlock;

export type ErrorKind =
  | "ConnectionRefused"
  | "ConnectionReset"
  | "ConnectionAborted"
  | "BrokenPipe"
  | "NotConnected"
  | "AddrInUse"
  | "AddrNotAvailable"
  | "AlreadyExists"
  | "NotFound"
  | "InvalidInput"
  | "TimedOut"
  | "UnexpectedEof"
  | "WriteZero"
  | "WouldBlock"
  | "Other";

/** errno name, kind, Linux errno number and strerror text. */
const ERRNO: Record<string, [ErrorKind, number, string]> = {
  ECONNREFUSED: ["ConnectionRefused", 111, "Connection refused"],
  ECONNRESET: ["ConnectionReset", 104, "Connection reset by peer"],
  ECONNABORTED: ["ConnectionAborted", 103, "Software caused connection abort"],
  EPIPE: ["BrokenPipe", 32, "Broken pipe"],
  ENOTCONN: ["NotConnected", 107, "Transport endpoint is not connected"],
  EADDRINUSE: ["AddrInUse", 98, "Address already in use"],
  EADDRNOTAVAIL: ["AddrNotAvailable", 99, "Cannot assign requested address"],
  EEXIST: ["AlreadyExists", 17, "File exists"],
  ENOENT: ["NotFound", 2, "No such file or directory"],
  EINVAL: ["InvalidInput", 22, "Invalid argument"],
  ETIMEDOUT: ["TimedOut", 110, "Connection timed out"],
  EAGAIN: ["WouldBlock", 11, "Resource temporarily unavailable"],
};

export class IoError extends Error {
  override readonly name = "IoError";

  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }

  /** The error an operating system call fails with, by errno name: `IoError.os("ECONNRESET")`. */
  static os(code: string): IoError {
    const known = ERRNO[code];
    if (known === undefined) return new IoError("Other", `${code}`, code);
    const [kind, errno, text] = known;
    return new IoError(kind, `${text} (os error ${errno})`, code);
  }

  /** Converts an error Node reported for a socket (it carries the errno name in `code`). */
  static fromNode(e: Error & { code?: string }): IoError {
    if (e instanceof IoError) return e;
    return e.code !== undefined && ERRNO[e.code] !== undefined
      ? IoError.os(e.code)
      : new IoError("Other", e.message, e.code);
  }
}
