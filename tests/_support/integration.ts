/**
 * Helpers of the integration suite (`tests/integration/`): the apps of `grader/apps/` served on the assembled
 * runtime (`grader/runtime/`) over real loopback TCP, and plain `node:net` clients to talk to them.
 */
import { connect, type Socket } from "node:net";
import { net, runtime, sync, type Future, type RuntimeFlavor } from "../../grader/runtime/index.ts";
import { reach, serve, type Served } from "./served.ts";

export type { Served };

export const FLAVORS: readonly RuntimeFlavor[] = ["current_thread", "multi_thread"];

/** Serves `app` on 127.0.0.1 (a free port) on a fresh assembled runtime of `flavor` (two workers when multi-thread). */
export function serveApp<R>(
  flavor: RuntimeFlavor,
  app: (listener: net.TcpListener, shutdown: sync.CancellationToken) => Future<R>,
): Promise<Served<R>> {
  return serve(runtime.build(flavor, { workerThreads: 2, rngSeed: 5 }), app);
}

/** A line-oriented TCP client: what it received so far, and a way to wait for more. */
export class LineClient {
  readonly socket: Socket;
  #received = "";
  #ended = false;
  #waiters: (() => void)[] = [];

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.setEncoding("utf8");
    socket.on("data", (d: string) => {
      this.#received += d;
      this.#notify();
    });
    socket.on("end", () => {
      this.#ended = true;
      this.#notify();
    });
    socket.on("close", () => {
      this.#ended = true;
      this.#notify();
    });
    socket.on("error", () => {});
  }

  /** Connects to `server`; if the server has died, rejects with what it died of (`reach`). */
  static open(server: Served<unknown>): Promise<LineClient> {
    const connecting = new Promise<LineClient>((resolve, reject) => {
      const socket = connect(server.port, "127.0.0.1", () => resolve(new LineClient(socket)));
      socket.once("error", reject);
    });
    return reach(server, connecting);
  }

  get ended(): boolean {
    return this.#ended;
  }

  send(text: string): void {
    this.socket.write(text);
  }

  /** Resolves with everything received once `done(received)` holds; rejects if the stream ends first. */
  async until(done: (received: string) => boolean, what: string): Promise<string> {
    while (!done(this.#received)) {
      if (this.#ended) throw new Error(`the connection ended before ${what}; received ${JSON.stringify(this.#received)}`);
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    return this.#received;
  }

  /** The complete lines received so far. */
  lines(): string[] {
    const all = this.#received.split("\n");
    return all.slice(0, -1);
  }

  /** Resolves once the server has ended the connection. */
  async closedByServer(): Promise<void> {
    while (!this.#ended) await new Promise<void>((resolve) => this.#waiters.push(resolve));
  }

  close(): void {
    this.socket.destroy();
  }

  #notify(): void {
    for (const w of this.#waiters.splice(0)) w();
  }
}
