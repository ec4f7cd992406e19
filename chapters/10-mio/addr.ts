/**
 * `SocketAddr` (Rust's `std::net::SocketAddr`): an IP address and a port. Given code.
 *
 * Anything that takes an address also takes its text form, `"127.0.0.1:8080"` or `"[::1]:8080"`.
 */
export class SocketAddr {
  constructor(
    readonly ip: string,
    readonly port: number,
  ) {
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`invalid port ${port}`);
  }

  static parse(addr: string | SocketAddr): SocketAddr {
    if (addr instanceof SocketAddr) return addr;
    const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(addr);
    if (m === null) throw new RangeError(`invalid socket address syntax: ${JSON.stringify(addr)}`);
    return new SocketAddr(m[1] ?? m[2]!, Number(m[3]));
  }

  toString(): string {
    return this.ip.includes(":") ? `[${this.ip}]:${this.port}` : `${this.ip}:${this.port}`;
  }
}
