/**
 * The child process of `kata trace`: runs one scenario and writes its trace as JSON to the file named on the command
 * line. Its resolve conditions (set by command.ts) decide whose chapters run: the reference, or the learner's
 * chapter 09 (or 12) over the reference of the others.
 *
 *     node --conditions=kata-ref-01 ... --import tsx grader/trace/child.ts <scenario> <seed> <workers> <source> <out.json>
 */
import { writeFileSync } from "node:fs";

const [scenario, seed, workers, source, out] = process.argv.slice(2);
if (scenario === undefined || out === undefined || source === undefined) throw new Error("usage: child.ts <scenario> <seed> <workers> <source> <out.json>");
// The seeded interleaving, whatever the environment says: a page per seed.
delete process.env.KATA_INTERLEAVING;
// Only the scenario's own chapters are loaded: the wheel needs chapter 12 alone, not the runtime of chapter 09.
const trace =
  scenario === "wheel"
    ? (await import("./wheel-scenario.ts")).recordWheel(source)
    : await (await import("./scenarios.ts")).recordScheduler(scenario, Number(seed), Number(workers), source);
writeFileSync(out, JSON.stringify(trace));
process.exit(0);
