/**
 * Task 1: the inject queue.
 */
import { describe, expect, it } from "vitest";
import { Inject } from "#kata/07-current-thread";

describe("Task 1: The inject queue", () => {
  it("is a FIFO with an exact length", () => {
    const q = new Inject<string>();
    expect(q.isEmpty(), "q.isEmpty()").toBe(true);
    expect(q.push("a")).toBe(true);
    expect(q.push("b")).toBe(true);
    expect(q.push("c")).toBe(true);
    expect(q.length, "q.length").toBe(3);
    expect(q.isEmpty(), "q.isEmpty()").toBe(false);
    expect([q.pop(), q.pop()]).toEqual(["a", "b"]);
    expect(q.length, "q.length").toBe(1);
    expect(q.pop(), "q.pop()").toBe("c");
    expect(q.pop(), "empty").toBeUndefined();
    expect(q.isEmpty(), "q.isEmpty()").toBe(true);
  });

  it("pushBatch appends in order after what is queued", () => {
    const q = new Inject<number>();
    q.push(0);
    expect(q.pushBatch([1, 2, 3]), "q.pushBatch([1, 2, 3])").toBe(true);
    expect(q.length, "q.length").toBe(4);
    const out: number[] = [];
    for (let v = q.pop(); v !== undefined; v = q.pop()) out.push(v);
    expect(out).toEqual([0, 1, 2, 3]);
  });

  it("grows past its initial capacity without losing order", () => {
    const q = new Inject<number>();
    for (let i = 0; i < 1000; i++) q.push(i);
    for (let i = 0; i < 500; i++) expect(q.pop(), "q.pop()").toBe(i);
    for (let i = 1000; i < 1300; i++) q.push(i);
    expect(q.length, "q.length").toBe(800);
    for (let i = 500; i < 1300; i++) expect(q.pop(), "q.pop()").toBe(i);
  });

  it("once closed it refuses pushes (returning false) but still hands out what it holds", () => {
    const q = new Inject<string>();
    q.push("kept");
    expect(q.isClosed(), "q.isClosed()").toBe(false);
    expect(q.close(), "the first close closes").toBe(true);
    expect(q.close(), "closing twice reports false").toBe(false);
    expect(q.isClosed(), "q.isClosed()").toBe(true);
    expect(q.push("refused")).toBe(false);
    expect(q.pushBatch(["x", "y"])).toBe(false);
    expect(q.length, "q.length").toBe(1);
    expect(q.pop(), "q.pop()").toBe("kept");
    expect(q.pop()).toBeUndefined();
  });
});
