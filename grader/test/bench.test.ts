/**
 * The bench harness's servers (`grader/bench/run.ts`): a server that dies before it is ready must end in an
 * error that says why, not in a wait for a `close` event that has already fired (which once ended `kata bench`
 * with exit code 13 and no table). The workbook's own chapters are the stubs, so the learner's mini-redis dies
 * at its first not-implemented item.
 */
import { describe, expect, it } from "vitest";
import { startServer } from "../bench/run.ts";

describe("bench servers", () => {
  it("a learner's server that dies before it is ready: startServer rejects with the not-implemented item", async () => {
    const started = startServer("learner");
    await expect(started, "the error names what is not implemented").rejects.toThrow(
      /the server exited \(1\) before it was ready: \S+ is not implemented yet \(chapters\/\d\d-[\w-]+\)/,
    );
  }, 30_000);
});
