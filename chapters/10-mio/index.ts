/**
 * Chapter 10: mio, an edge-triggered selector over a simulated network and real sockets.
 */
export { Token } from "./token.ts";
export { Interest } from "./interest.ts";
export { EPOLLERR, EPOLLHUP, EPOLLIN, EPOLLOUT, EPOLLRDHUP, interestMask } from "./epoll.ts";
export { Event, Events } from "./event.ts";
export { IoError, WouldBlock, type ErrorKind } from "./io-error.ts";
export { SocketAddr } from "./addr.ts";
export { SysSource, type Source } from "./source.ts";
export { EpItem, Selector, type Device } from "./selector.ts";
export { Poll, Registry } from "./poll.ts";
export { Waker } from "./waker.ts";
export type { Network, Shutdown, TcpListener, TcpStream } from "./net.ts";
export { DEFAULT_BACKLOG, DEFAULT_BUFFER_SIZE, SimNetwork, type SimNetworkOptions } from "./sim/network.ts";
export { SimTcpListener } from "./sim/listener.ts";
export { SimTcpStream } from "./sim/stream.ts";
export { NodeNetwork, type NodeNetworkOptions } from "./node/network.ts";
export { NodeTcpListener } from "./node/listener.ts";
export { NodeTcpStream, RX_HIGH_WATER, TX_HIGH_WATER } from "./node/stream.ts";
