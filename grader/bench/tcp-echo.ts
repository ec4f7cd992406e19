/**
 * TCP echo benchmark: our runtime (chapters 07, 10, 11 over real loopback sockets) against plain `node:net`,
 * measured side by side in the same process, rounds alternating.
 *
 *     npx tsx --conditions=kata-ref-01 ... --conditions=kata-ref-19 grader/bench/tcp-echo.ts [rounds] [clients] [trips]
 *
 * (all nineteen `kata-ref-NN` conditions run the reference solutions; with none it runs the learner's chapters).
 * Two workloads, as in ../shared/reference/node-baselines.md ("TCP echo"):
 * - round trips: `clients` (64) connections, each writes 64 B and waits for the 64 B echo, `trips` (2,000) times;
 *   figure: round trips per second;
 * - bulk: one connection pushes 256 MiB through the echo in 64 KiB writes while reading the echo back;
 *   figure: MiB per second.
 * In both, the echo server and the clients live in the same process. Ours: a `TcpListener` whose connections are
 * echoed with `copy(stream, stream)`, clients written as async functions, on one current-thread runtime. Node's:
 * `net.createServer(s => s.pipe(s))` and clients driven by `data` events.
 * Figures are medians over the rounds; the ratio is ours / node (at least 0.8 is the target). The CPU time of
 * each run (user + system, both sides of the echo) is printed too: on a machine shared with other work, wall
 * times swing with the load, CPU times much less.
 * `ONLY=trips` or `ONLY=bulk` in the environment runs one workload.
 */
import net from "node:net";
import { asyncBlock } from "#kata/02-state-machines";
import { Builder, spawn } from "#kata/07-current-thread";
import { NodeNetwork } from "#kata/10-mio";
import { TcpListener, TcpStream, copy, read, readExact, writeAll, type AsyncRead } from "#kata/11-io-driver";

const ROUNDS = Number(process.argv[2] ?? 5);
const CLIENTS = Number(process.argv[3] ?? 64);
const TRIPS = Number(process.argv[4] ?? 2000);
const MSG = 64;
const BULK = 256 * 1024 * 1024;
const CHUNK = 64 * 1024;

// ---------------------------------------------------------------- ours

function oursEcho(workload: "trips" | "bulk"): Promise<number> {
  const rt = Builder.newCurrentThread().enableAll().network(new NodeNetwork()).build();
  return rt
    .blockOn(
      asyncBlock(function* () {
        const listener = yield* TcpListener.bind("127.0.0.1:0");
        const addr = listener.localAddr();
        const server = spawn(
          asyncBlock(function* () {
            for (;;) {
              const [stream] = yield* listener.accept();
              spawn(
                asyncBlock(function* () {
                  using s = stream;
                  yield* copy(s, s);
                }),
              );
            }
          }),
        );
        const t0 = performance.now();
        if (workload === "trips") {
          const clients = [];
          for (let c = 0; c < CLIENTS; c++) {
            clients.push(
              spawn(
                asyncBlock(function* () {
                  using s = yield* TcpStream.connect(addr);
                  const out = new Uint8Array(MSG).fill(c);
                  const back = new Uint8Array(MSG);
                  for (let i = 0; i < TRIPS; i++) {
                    yield* writeAll(s, out);
                    yield* readExact(s, back);
                  }
                }),
              ),
            );
          }
          for (const h of clients) yield* h;
        } else {
          using s = yield* TcpStream.connect(addr);
          const reader = spawn(drain(s, BULK));
          const chunk = new Uint8Array(CHUNK);
          for (let sent = 0; sent < BULK; sent += CHUNK) yield* writeAll(s, chunk);
          yield* reader;
        }
        const ms = performance.now() - t0;
        server.abort();
        listener.close();
        return ms;
      }),
    )
    .finally(() => rt.shutdown());
}

const drain = (reader: AsyncRead, total: number) =>
  asyncBlock(function* () {
    const buf = new Uint8Array(CHUNK);
    let got = 0;
    while (got < total) {
      const n = yield* read(reader, buf);
      if (n === 0) throw new Error("echo ended early");
      got += n;
    }
  });

// ---------------------------------------------------------------- node

function nodeEcho(workload: "trips" | "bulk"): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer({ noDelay: true }, (s) => s.pipe(s));
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      const t0 = performance.now();
      const finish = () => {
        const ms = performance.now() - t0;
        server.close();
        resolve(ms);
      };
      if (workload === "trips") {
        let open = CLIENTS;
        for (let c = 0; c < CLIENTS; c++) {
          const s = net.connect({ port, host: "127.0.0.1", noDelay: true });
          const out = Buffer.alloc(MSG, c);
          let trips = 0;
          let pending = 0;
          s.on("connect", () => s.write(out));
          s.on("data", (d) => {
            pending += d.length;
            while (pending >= MSG) {
              pending -= MSG;
              if (++trips === TRIPS) {
                s.destroy();
                if (--open === 0) finish();
                return;
              }
              s.write(out);
            }
          });
          s.on("error", reject);
        }
      } else {
        const s = net.connect({ port, host: "127.0.0.1", noDelay: true });
        const chunk = Buffer.alloc(CHUNK);
        let sent = 0;
        let got = 0;
        const pump = () => {
          while (sent < BULK) {
            sent += CHUNK;
            if (!s.write(chunk)) return void s.once("drain", pump);
          }
        };
        s.on("connect", pump);
        s.on("data", (d) => {
          got += d.length;
          if (got >= BULK) {
            s.destroy();
            finish();
          }
        });
        s.on("error", reject);
      }
    });
  });
}

// ---------------------------------------------------------------- report

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Runs `f` and returns its wall time (what `f` measured) and the process's CPU time (user + system) meanwhile. */
async function timed(f: () => Promise<number>): Promise<{ wall: number; cpu: number }> {
  const before = process.cpuUsage();
  const wall = await f();
  const { user, system } = process.cpuUsage(before);
  return { wall, cpu: (user + system) / 1000 };
}

async function measure(workload: "trips" | "bulk"): Promise<void> {
  const ours: number[] = [];
  const node: number[] = [];
  const oursCpu: number[] = [];
  const nodeCpu: number[] = [];
  await oursEcho(workload); // warm-up
  await nodeEcho(workload);
  for (let r = 0; r < ROUNDS; r++) {
    const o = await timed(() => oursEcho(workload));
    const n = await timed(() => nodeEcho(workload));
    ours.push(o.wall);
    oursCpu.push(o.cpu);
    node.push(n.wall);
    nodeCpu.push(n.cpu);
  }
  const rate = (ms: number) =>
    workload === "trips" ? (CLIENTS * TRIPS) / (ms / 1000) : BULK / (1024 * 1024) / (ms / 1000);
  const unit = workload === "trips" ? "round trips/s" : "MiB/s";
  const o = rate(median(ours));
  const n = rate(median(node));
  const label = workload === "trips" ? `${CLIENTS} clients x ${TRIPS} round trips of ${MSG} B` : "bulk 256 MiB";
  console.log(
    `${label}: ours ${o.toFixed(0)} ${unit}, node ${n.toFixed(0)} ${unit}, ratio ${(o / n).toFixed(2)}` +
      ` (medians of ${ROUNDS}; ours [${ours.map((x) => x.toFixed(0)).join(", ")}] ms,` +
      ` node [${node.map((x) => x.toFixed(0)).join(", ")}] ms)`,
  );
  console.log(
    `  CPU time per run (medians): ours ${median(oursCpu).toFixed(0)} ms, node ${median(nodeCpu).toFixed(0)} ms,` +
      ` ratio node/ours ${(median(nodeCpu) / median(oursCpu)).toFixed(2)} (less sensitive to a busy machine)`,
  );
}

if (process.env.ONLY !== "bulk") await measure("trips");
if (process.env.ONLY !== "trips") await measure("bulk");
