/** `tokio::net`: TCP on the runtime's I/O driver, over real sockets or the simulated network of chapter 10. */
export { IoError, NodeNetwork, SimNetwork, SocketAddr, type Network, type SimNetworkOptions } from "#kata/10-mio";
export { TcpListener, TcpStream } from "#kata/11-io-driver";
