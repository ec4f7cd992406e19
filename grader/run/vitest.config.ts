/**
 * The vitest configuration of a grading run, read in the vitest child the grader spawns (spawn.ts).
 *
 * Everything comes from the run plan (plan.ts, on stdin): the workbook root, one project per grading mode with its
 * resolve conditions and files. The settings are the isolation layers: pool forks, one fresh fork per file (unless
 * the plan shares forks between files: kata verify on this repository's own trees), a per-test timeout, a heap
 * cap, the watchdog (started here, in the vitest process, with its half in each fork), anti-delegation and
 * integrity setup files, and the grader's NDJSON reporter as the only reporter (vitest prints nothing; learner
 * output goes nowhere).
 */
import { join, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { defaultServerConditions, type Plugin } from "vite";
import { defineConfig } from "vitest/config";
import { LEARNER_VALUE_CHARS } from "../messages.ts";
import { phasePlugin } from "./phase-plugin.ts";
import { readPlan } from "./plan.ts";
import { NdjsonReporter } from "./reporter.ts";
import { startWatchdog } from "./watchdog.ts";

const plan = readPlan();
const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));

process.env.KATA_PHASES_DIR = plan.phasesDir;
process.env.KATA_ROOT = plan.root;
process.env.KATA_HARD_MS = String(plan.hardMs);
process.env.KATA_SKIP = JSON.stringify(plan.skip ?? []);
process.env.KATA_ONLY = JSON.stringify(plan.only ?? []);

const project = (p: (typeof plan.projects)[number]) => ({
  ssr: { resolve: { conditions: [...p.conditions, ...defaultServerConditions] } },
  test: { name: p.name, include: p.files },
});

startWatchdog(plan.phasesDir, plan.hardMs, plan.memMb ?? 1024);

const single = plan.projects.length === 1 ? plan.projects[0] : undefined;

/**
 * Keeps the mirrors' modules out of the module cache: a mirror (`.kata/solo-*`, `.kata/bugs-*`) is made afresh,
 * under a new name, by every run, so its copies would only pile up (about 40 MB a `kata verify`). What a mirror
 * links to resolves to the workbook's own files, which are kept.
 */
const keepNoMirrors = (root: string): Plugin => ({
  name: "kata-module-cache",
  configureVitest({ experimental_defineCacheKeyGenerator }) {
    const mirrors = join(root, ".kata") + sep;
    experimental_defineCacheKeyGenerator(({ id }) => (id.startsWith(mirrors) ? false : undefined));
  },
});

export default defineConfig({
  root: plan.root,
  plugins: [phasePlugin(plan.root), ...(plan.moduleCache === undefined ? [] : [keepNoMirrors(plan.root)])],
  ...(single === undefined ? {} : { ssr: project(single).ssr }),
  test: {
    ...(single === undefined
      ? { projects: plan.projects.map((p) => ({ extends: true as const, ...project(p) })) }
      : project(single).test),
    pool: "forks",
    isolate: plan.isolate ?? true,
    maxWorkers: plan.maxWorkers,
    fileParallelism: true,
    testTimeout: plan.testTimeoutMs,
    // chai shortens a value longer than 40 characters to `{ pending: false, …(3) }`, which hides the very field
    // that differs; a learner sees values in full up to this length (their message is capped in grader/messages.ts).
    chaiConfig: { truncateThreshold: LEARNER_VALUE_CHARS },
    hookTimeout: plan.testTimeoutMs,
    teardownTimeout: 2_000,
    // A fork lives about half a second, most of it loading modules. With two forks on two cores, V8's helper
    // threads for the collector only contend, and a young generation that starts at 16 MB spares the scavenges of
    // start-up: together 8% less CPU for `kata grade` (measured: 42.8 s of user time before, 38.7-39.7 s after).
    execArgv: [`--max-old-space-size=${plan.heapMb}`, "--single-threaded-gc", "--min-semi-space-size=16"],
    setupFiles: [here("./watchdog-setup.ts"), here("./native-setup.ts"), here("./integrity-setup.ts")],
    reporters: [new NdjsonReporter(plan.resultsDir, plan.root, plan.channel)],
    watch: false,
    passWithNoTests: true,
    allowOnly: false,
    sequence: { shuffle: false },
    dangerouslyIgnoreUnhandledErrors: false,
    ...(plan.moduleCache === undefined ? {} : { experimental: { fsModuleCache: true, fsModuleCachePath: plan.moduleCache } }),
  },
});
