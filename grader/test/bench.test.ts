/**
 * The bench harness (`grader/bench/run.ts`) as a learner meets it, in this workbook, whose chapters are the stubs:
 * - a server that dies before it is ready must end in an error that says why, not in a wait for a `close` event
 *   that has already fired (which once ended `kata bench` with exit code 13 and no table);
 * - a learner's row runs the learner's code for the chapters its workload lists and the reference's for the rest,
 *   so what stops a learner's run is a chapter the workload runs (it once stopped every spine workload at chapter
 *   10's `Token`, which the current-thread runtime only loads, so no learner could bench before chapter 13).
 */
import { describe, expect, it } from "vitest";
import { CHAPTER_NUMBERS } from "#kit/modes";
import { learnerConditions, runChild, startServer, WORKLOADS } from "../bench/run.ts";

const needsOf = (name: string): string[] => {
  const w = WORKLOADS.find((x) => x.name === name);
  if (w === undefined) throw new Error(`no workload ${name}`);
  return w.needs.chapters;
};

/** The chapter of the first "X is not implemented yet (chapters/NN-slug)" in `text`. */
const stoppedAt = (text: string): string | undefined => /is not implemented yet \(chapters\/([\w-]+)\)/.exec(text)?.[1];

describe("bench servers", () => {
  it("a learner's server that dies before it is ready: startServer rejects with the not-implemented item", async () => {
    const started = startServer("learner", learnerConditions(needsOf("redis")));
    await expect(started, "the error names what is not implemented").rejects.toThrow(
      /the server exited \(1\) before it was ready: \S+ is not implemented yet \(chapters\/\d\d-[\w-]+\)/,
    );
    const error = await started.then(
      () => "it started",
      (e: Error) => e.message,
    );
    expect(needsOf("redis"), `the chapter that stopped the learner's server, one redis runs (${error})`).toContain(stoppedAt(error));
  }, 30_000);
});

describe("the learner's runtime", () => {
  it("learnerConditions: the reference for exactly the chapters a workload does not list", () => {
    const conditions = learnerConditions(["01-poll", "07-current-thread"]);
    expect(conditions).toEqual(CHAPTER_NUMBERS.filter((n) => n !== "01" && n !== "07").map((n) => `kata-ref-${n}`));
  });

  it("a learner's spawn run stops at a chapter the workload runs, not at one it only loads", async () => {
    const res = await runChild("spine.ts", ["spawn", "1000", "1", "ct-sm"], learnerConditions(needsOf("spawn")), {}, [], 30_000);
    expect(res.ok, "the stubs cannot run the spawn workload").toBe(false);
    expect(needsOf("spawn"), `the chapter that stopped the learner's run (${res.error})`).toContain(stoppedAt(res.error));
  }, 30_000);
});
