/**
 * A vitest pool for the warm host (host.ts): vitest's own `forks` pool, except that the fork for a test file is
 * started *before* the check that needs it.
 *
 * With `isolate`, vitest starts a fresh fork for every test file of every run and stops it afterwards; starting one
 * (Node, then vitest's worker runtime, loaded eagerly by its entry point) is most of what a re-check of a small
 * chapter costs. So after each run the host calls `refill()`, which forks spares with the same entry point,
 * arguments and environment vitest used, while the learner edits; the next run takes them instead of forking.
 * Each spare is a process no test has run in, used once and stopped by vitest as usual: isolation is the same.
 *
 * Invariants: a spare is handed out only if its arguments and environment are the ones the task asks for; at most
 * `size` spares wait; spares are children of the host, in its process group, so they die with it.
 */
import { fork, type ChildProcess } from "node:child_process";
import { ForksPoolWorker } from "vitest/node";
import type { PoolOptions, PoolRunnerInitializer, PoolWorker } from "vitest/node";

interface Recipe {
  entrypoint: string;
  execArgv: string[];
  env: Partial<NodeJS.ProcessEnv>;
  key: string;
}

export class Prefork implements PoolRunnerInitializer {
  readonly name = "kata-prefork";
  #recipe: Recipe | undefined;
  #spares: ChildProcess[] = [];

  constructor(readonly size: number) {}

  createPoolWorker(options: PoolOptions): PoolWorker {
    const prefork = this;
    // vitest's forks worker starts `this._fork ||= fork(...)`: a spare set before `start()` is used as is.
    const worker = new (class extends ForksPoolWorker {
      override readonly name = prefork.name;
      override async start(): Promise<void> {
        const self = this as unknown as { _fork?: ChildProcess; entrypoint: string };
        self._fork ??= prefork.#take({ entrypoint: self.entrypoint, execArgv: options.execArgv, env: options.env });
        return super.start();
      }
    })(options);
    return worker;
  }

  #take(recipe: Omit<Recipe, "key">): ChildProcess | undefined {
    const key = JSON.stringify([recipe.entrypoint, recipe.execArgv, recipe.env]);
    if (this.#recipe?.key !== key) {
      for (const spare of this.#spares.splice(0)) spare.kill("SIGKILL");
      this.#recipe = { ...recipe, key };
      return undefined;
    }
    while (this.#spares.length > 0) {
      const spare = this.#spares.shift()!;
      if (spare.exitCode === null && spare.signalCode === null && spare.connected) return spare;
    }
    return undefined;
  }

  /** Starts spares up to `size`, once a run has shown which arguments vitest uses. */
  refill(): void {
    const recipe = this.#recipe;
    if (recipe === undefined) return;
    this.#spares = this.#spares.filter((s) => s.exitCode === null && s.signalCode === null);
    while (this.#spares.length < this.size) {
      this.#spares.push(fork(recipe.entrypoint, [], { env: recipe.env, execArgv: recipe.execArgv, stdio: "pipe", serialization: "advanced" }));
    }
  }
}
