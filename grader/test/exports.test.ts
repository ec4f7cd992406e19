/**
 * Gate 3's run-time comparison of a chapter's exports with its solution's.
 */
import { describe, expect, it } from "vitest";
import { compareShapes } from "../exports.ts";
import { shapeOf } from "../exports-probe.ts";

class Solution {
  static of(): Solution {
    return new Solution();
  }
  poll(_cx: unknown): number {
    return 1;
  }
  [Symbol.dispose](): void {}
}
class Stub {
  static of(): Stub {
    return new Stub();
  }
  poll(_cx: unknown): number {
    throw new Error("todo");
  }
}

describe("export shapes", () => {
  it("describes classes, functions, plain objects and constants", () => {
    expect(shapeOf(Solution)).toEqual({ kind: "class", arity: 0, members: ["[Symbol.dispose]", "poll"], statics: ["of"] });
    expect(shapeOf((a: number, b: number) => a + b)).toEqual({ kind: "function", arity: 2 });
    expect(shapeOf({ READABLE: 1, WRITABLE: 2 })).toEqual({ kind: "object", members: ["READABLE", "WRITABLE"] });
    expect(shapeOf(64)).toEqual({ kind: "number", value: "64" });
  });

  it("reports missing, extra and different exports", () => {
    const solution = { Ready: shapeOf(Solution), ready: shapeOf((v: number) => v), LEVELS: shapeOf(6) };
    const chapter = { Ready: shapeOf(Stub), ready: shapeOf(() => 0), LEVELS: shapeOf(6), extra: shapeOf(1) };
    expect(compareShapes(chapter, solution)).toEqual([
      "Ready: methods missing from the chapter: [Symbol.dispose]",
      "ready: function, arity 0 in the chapter, function, arity 1 in the solution",
      "extra export extra: the solution does not export it",
    ]);
    expect(compareShapes(solution, solution)).toEqual([]);
  });
});
