/**
 * `kata run <app> [--reference] [--port N] [--flavor current_thread|multi_thread]`: runs an app of `grader/apps/` on
 * the assembled runtime, in a child process (`main.ts`), because which chapters the facade assembles is decided by
 * the child's resolve conditions: none for the learner's chapters (integrated mode), `kata-ref-01` ... `kata-ref-19`
 * for the reference.
 *
 * The child shares the terminal: a Ctrl-C reaches it directly (same process group), and a SIGINT or SIGTERM sent to
 * this process is passed on (a signal received twice is harmless: the app's handlers stay installed, as Tokio's do),
 * so the app always shuts down through its cancellation token. Resolves with the child's exit code (a signal that
 * killed it counts as 1).
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { conditionsFor } from "#kit/modes";
import { APPS } from "./apps.ts";

export interface RunOptions {
  /** Run on the reference chapters instead of the learner's. */
  reference?: boolean;
  /** The port to listen on (default: the app's; 0: any free port). */
  port?: number;
  flavor?: "current_thread" | "multi_thread";
}

export const APP_NAMES: readonly string[] = Object.keys(APPS);

export function run(app: string, options: RunOptions = {}): Promise<number> {
  const conditions = options.reference === true ? conditionsFor({ kind: "reference" }).map((c) => `--conditions=${c}`) : [];
  const args = [...conditions, "--import", "tsx", fileURLToPath(new URL("./main.ts", import.meta.url)), app];
  if (options.port !== undefined) args.push("--port", String(options.port));
  if (options.flavor !== undefined) args.push("--flavor", options.flavor);
  const child = spawn(process.execPath, args, { stdio: "inherit", cwd: fileURLToPath(new URL("../..", import.meta.url)) });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code) => {
      process.off("SIGINT", forward);
      process.off("SIGTERM", forward);
      resolve(code ?? 1);
    });
  });
}

/** The usage line of `kata run`, for the CLI's help. */
export const RUN_USAGE = "run <app> [--reference] [--port N] [--flavor current_thread|multi_thread]";

/**
 * `kata run`'s arguments (`argv` after the word `run`) to `run(...)`. A bad argument prints why and resolves 2,
 * the CLI's exit code for a usage error.
 */
export async function runCommand(argv: readonly string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { reference: { type: "boolean" }, port: { type: "string" }, flavor: { type: "string" } },
  });
  const [app] = positionals;
  const usage = (problem: string) => {
    console.error(`kata run: ${problem}`);
    return 2;
  };
  if (app === undefined || !APP_NAMES.includes(app)) return usage(`which app? ${APP_NAMES.join(", ")} (usage: kata ${RUN_USAGE})`);
  if (values.flavor !== undefined && values.flavor !== "current_thread" && values.flavor !== "multi_thread") {
    return usage(`--flavor must be current_thread or multi_thread, got "${values.flavor}"`);
  }
  if (values.port !== undefined && !/^\d{1,5}$/.test(values.port)) {
    return usage(`--port must be a port number (0 for any free port), got "${values.port}"`);
  }
  return run(app, {
    reference: values.reference === true,
    port: values.port === undefined ? undefined : Number(values.port),
    flavor: values.flavor as RunOptions["flavor"],
  });
}
