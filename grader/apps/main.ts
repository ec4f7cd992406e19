/**
 * The process of `kata run <app>`: `node --import tsx [--conditions=kata-ref-NN ...] grader/apps/main.ts <app>
 * [--port N] [--flavor current_thread|multi_thread]`.
 *
 * Builds a runtime of the flavour with the facade (`runtime.build`), binds `127.0.0.1:<port>`, prints the address,
 * and serves the app until SIGINT or SIGTERM: the signal cancels the app's shutdown token (a graceful shutdown),
 * and the process prints the app's report and exits 0. A chapter that is not written yet stops it with exit code 1
 * and says which one (`--reference` runs the reference chapters instead).
 */
import { parseArgs } from "node:util";
import { NotImplementedError } from "#kit/todo";
import type { Future, Runtime, RuntimeFlavor, net, sync } from "../runtime/index.ts";
import { APPS } from "./apps.ts";

const FLAVORS: readonly RuntimeFlavor[] = ["current_thread", "multi_thread"];

type Serve = (listener: net.TcpListener, shutdown: sync.CancellationToken) => Future<unknown>;

/** The app's address could not be bound (a port in use, say): said in one line, not as a stack. */
class BindError extends Error {
  constructor(address: string, cause: unknown) {
    super(`cannot listen on ${address}: ${(cause as Error).message}`, { cause });
  }
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { port: { type: "string" }, flavor: { type: "string", default: "current_thread" } },
  });
  const name = positionals[0] ?? "";
  const app = APPS[name];
  if (app === undefined) {
    console.error(`kata run: no app "${name}"; apps: ${Object.keys(APPS).join(", ")}`);
    return 2;
  }
  const flavor = values.flavor as RuntimeFlavor;
  if (!FLAVORS.includes(flavor)) {
    console.error(`kata run: --flavor must be current_thread or multi_thread, got "${values.flavor}"`);
    return 2;
  }
  const port = values.port === undefined ? app.defaultPort : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`kata run: --port must be a port number (0 for any free port), got "${values.port}"`);
    return 2;
  }
  const chapters = import.meta.resolve("#kata/19-capstone").includes("/solutions/") ? "reference" : "your chapters";
  let rt: Runtime | null = null;
  try {
    // Imported here, not above: a chapter that is not written yet throws as it loads.
    const { asyncBlock, net, runtime, signal, spawn, sync } = await import("../runtime/index.ts");
    const serve = (await import(app.module))[app.export] as Serve;
    rt = runtime.build(flavor);
    const report = await rt.blockOn(
      asyncBlock(function* () {
        const address = `127.0.0.1:${port}`;
        let listener: net.TcpListener;
        try {
          listener = yield* net.TcpListener.bind(address);
        } catch (e) {
          throw new BindError(address, e);
        }
        console.log(`${name} listening on ${listener.localAddr().toString()} (${flavor}, ${chapters}); Ctrl-C to stop`);
        const shutdown = new sync.CancellationToken();
        spawn(
          asyncBlock(function* () {
            const sig = yield* signal.ctrlC();
            console.log(`${sig}: shutting down gracefully`);
            shutdown.cancel();
          }),
        );
        return yield* serve(listener, shutdown);
      }),
    );
    console.log(`${name} stopped: ${JSON.stringify(report)}`);
    return 0;
  } catch (e) {
    if (e instanceof NotImplementedError) {
      console.error(`kata run: ${e.message}\n(run with --reference to use the reference chapters)`);
      return 1;
    }
    if (e instanceof BindError) {
      console.error(`kata run: ${e.message}; choose another port with --port N (0 for any free port)`);
      return 1;
    }
    throw e;
  } finally {
    rt?.shutdown();
  }
}

process.exitCode = await main(process.argv.slice(2));
