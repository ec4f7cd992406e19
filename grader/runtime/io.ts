/** `tokio::io` and `tokio_util::codec`: reading and writing streams, and frames out of them. */
export { IoError, type ErrorKind } from "#kata/10-mio";
export { copy, flush, read, readExact, readToEnd, shutdown, write, writeAll, type AsyncRead, type AsyncWrite } from "#kata/11-io-driver";
export { FramedRead, LinesCodec, type Decoder } from "#kata/18-select-cancel";
