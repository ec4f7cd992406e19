/**
 * Redis servers for the `redis` workload of `grader/bench/run.ts`, each run in a process of its own and measured from
 * outside by `redis-benchmark` (Debian's redis-tools):
 *
 *     node --conditions=kata-ref-01 ... --import tsx grader/bench/redis.ts ours     our mini-redis (chapter 19) on the
 *                                                                            current-thread runtime, real sockets
 *     node --import tsx grader/bench/redis.ts plain                                  the same commands on plain `node:net`
 *
 * Each binds 127.0.0.1 on a free port, prints `PORT <n>` on a line of its own once it accepts connections, and
 * serves until its standard input closes (the harness ends it so) or it gets SIGTERM.
 *
 * The plain server is what a Node programmer would write without a runtime of their own: a `data` handler that
 * appends to a buffer, parses every whole RESP command in it and writes the replies, a `Map` for the store. It
 * knows what `redis-benchmark -t get,set` sends: `GET`, `SET`, `PING`, and `CONFIG GET` (answered with an empty
 * array, as a server without that setting would); anything else is an error reply.
 */
import net from "node:net";

const impl = process.argv[2];

/** Calls `stop` when the harness lets go of us. */
function onStop(stop: () => void): void {
  process.stdin.on("end", stop);
  process.stdin.on("close", stop);
  process.stdin.resume();
  process.on("SIGTERM", stop);
}

// ---------------------------------------------------------------------------------------------------------------
// Plain node:net

const CRLF = 0x0d;

/** Parses one RESP array of bulk strings at `at`; returns the arguments and the offset after it, or null if the
 * command has not arrived in full. Inline commands (no `*`) are split on spaces, as Redis does. */
function parseCommand(buf: Buffer, at: number): [Buffer[], number] | null {
  const lineEnd = (from: number): number => {
    const i = buf.indexOf(CRLF, from);
    return i < 0 || i + 1 >= buf.length ? -1 : i;
  };
  if (buf[at] !== 0x2a /* '*' */) {
    const end = lineEnd(at);
    if (end < 0) return null;
    const words = buf.subarray(at, end).toString().split(" ").filter((w) => w !== "");
    return [words.map((w) => Buffer.from(w)), end + 2];
  }
  let end = lineEnd(at);
  if (end < 0) return null;
  const count = Number(buf.toString("latin1", at + 1, end));
  let pos = end + 2;
  const args: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    if (pos >= buf.length) return null;
    end = lineEnd(pos);
    if (end < 0) return null;
    const len = Number(buf.toString("latin1", pos + 1, end));
    pos = end + 2;
    if (pos + len + 2 > buf.length) return null;
    args.push(buf.subarray(pos, pos + len));
    pos += len + 2;
  }
  return [args, pos];
}

function bulk(value: Buffer | undefined): Buffer {
  if (value === undefined) return Buffer.from("$-1\r\n");
  return Buffer.concat([Buffer.from(`$${value.length}\r\n`), value, Buffer.from("\r\n")]);
}

function servePlain(): void {
  const store = new Map<string, Buffer>();
  const OK = Buffer.from("+OK\r\n");
  const PONG = Buffer.from("+PONG\r\n");
  const EMPTY = Buffer.from("*0\r\n");
  const server = net.createServer({ noDelay: true }, (socket) => {
    let pending: Buffer = Buffer.alloc(0);
    socket.on("data", (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      const replies: Buffer[] = [];
      let at = 0;
      for (let cmd = parseCommand(pending, at); cmd !== null; cmd = parseCommand(pending, at)) {
        const [args, next] = cmd;
        at = next;
        const name = args[0]?.toString().toUpperCase();
        if (name === "GET" && args.length === 2) replies.push(bulk(store.get(args[1]!.toString("latin1"))));
        else if (name === "SET" && args.length >= 3) {
          store.set(args[1]!.toString("latin1"), Buffer.from(args[2]!));
          replies.push(OK);
        } else if (name === "PING") replies.push(PONG);
        else if (name === "CONFIG") replies.push(EMPTY);
        else replies.push(Buffer.from(`-ERR unknown command '${name ?? ""}'\r\n`));
      }
      pending = pending.subarray(at);
      if (replies.length > 0) socket.write(replies.length === 1 ? replies[0]! : Buffer.concat(replies));
    });
    socket.on("error", () => socket.destroy());
  });
  server.listen(0, "127.0.0.1", () => {
    console.log(`PORT ${(server.address() as net.AddressInfo).port}`);
  });
  onStop(() => {
    server.close();
    process.exit(0);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Ours: chapter 19's server on the current-thread runtime

async function serveOurs(): Promise<void> {
  const { asyncFn } = await import("#kata/02-state-machines");
  const { Builder, spawn } = await import("#kata/07-current-thread");
  const { NodeNetwork } = await import("#kata/10-mio");
  const { TcpListener } = await import("#kata/11-io-driver");
  const { CancellationToken } = await import("#kata/18-select-cancel");
  const { runServer } = await import("#kata/19-capstone");
  const shutdown = new CancellationToken();
  const rt = Builder.newCurrentThread().enableAll().network(new NodeNetwork()).build();
  onStop(() => shutdown.cancel());
  await rt.blockOn(
    asyncFn(function* () {
      const listener = yield* TcpListener.bind("127.0.0.1:0");
      console.log(`PORT ${listener.localAddr().port}`);
      yield* spawn(runServer(listener, { shutdown }));
    })(),
  );
  rt.shutdown();
  process.exit(0);
}

if (impl === "plain") servePlain();
else if (impl === "ours") await serveOurs();
else {
  console.error("usage: grader/bench/redis.ts ours|plain");
  process.exit(2);
}
