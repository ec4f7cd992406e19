/**
 * `kata trace`: the pictures are pure functions of the trace data (checked on small hand-made traces), and the
 * scenarios run on the reference are deterministic for a seed and agree with the runtime's counters (checked in
 * child processes, as `kata trace` runs them). A learner's stub chapter gives a clear error, not a page.
 */
import { describe, expect, it } from "vitest";
import type { SchedulerTrace, WheelFrame, WheelTrace } from "../trace/model.ts";
import { recordTrace, renderTrace, SCENARIOS, TraceError } from "../trace/command.ts";
import { layout, renderTimeline, traceStats } from "../trace/timeline.ts";
import { renderWheel } from "../trace/wheel-html.ts";
import { ROOT } from "./workbooks.ts";

const zero = { pollCount: 0, localScheduleCount: 0, stealCount: 0, stealOperations: 0, overflowCount: 0, parkCount: 0, parkUnparkCount: 0, noopCount: 0, budgetForcedYieldCount: 0 };
const small: SchedulerTrace = {
  schema: "kata-trace/1",
  scenario: "hand-made",
  title: "A <small> trace",
  about: ["Two workers & one steal."],
  source: "the reference solutions",
  seed: 7,
  workers: 2,
  truncated: false,
  tasks: { "1": "spawner", "2": "child 1", "3": "child 2" },
  events: [
    { step: 1, worker: -1, kind: "wake", task: 1, remote: true, lifo: false },
    { step: 1, worker: -1, kind: "block-on", complete: false },
    { step: 2, worker: 0, kind: "poll", task: 1, source: "inject" },
    { step: 2, worker: 0, kind: "wake", task: 2, remote: false, lifo: true },
    { step: 2, worker: 0, kind: "wake", task: 3, remote: false, lifo: true },
    { step: 2, worker: 0, kind: "poll-end", task: 1, complete: false, work: 3 },
    { step: 3, worker: 1, kind: "search", searching: true },
    { step: 3, worker: 1, kind: "steal", victim: 0, count: 1 },
    { step: 3, worker: 1, kind: "search", searching: false },
    { step: 3, worker: 1, kind: "poll", task: 2, source: "steal" },
    { step: 3, worker: 1, kind: "poll-end", task: 2, complete: true },
    { step: 4, worker: 0, kind: "poll", task: 3, source: "lifo" },
    { step: 4, worker: 0, kind: "poll-end", task: 3, complete: true },
    { step: 5, worker: 1, kind: "park", driver: true },
    { step: 6, worker: 0, kind: "poll", task: 1, source: "local" },
    { step: 6, worker: 0, kind: "poll-end", task: 1, complete: true },
    { step: 6, worker: -1, kind: "idle" },
    { step: 7, worker: 1, kind: "unpark" },
  ],
  metrics: { workers: [{ ...zero, pollCount: 2 }, { ...zero, pollCount: 1, stealCount: 1, stealOperations: 1, parkCount: 1 }], remoteScheduleCount: 1, spawnedTasksCount: 3, counters: { lifoSchedules: 1 } },
};

describe("the scheduler timeline", () => {
  it("layout: lanes, a box per poll as wide as its step plus its work, steals, parks closed by their unpark", () => {
    const t = layout(small);
    expect(t.lanes, "an outside lane first, then one per worker").toEqual([-1, 0, 1]);
    expect(t.units, "six steps of one unit plus three units of work").toBe(7 + 3);
    expect(t.polls.map((p) => [p.worker, p.task, p.source, p.u1 - p.u0, p.complete])).toEqual([
      [0, 1, "inject", 4, false],
      [1, 2, "steal", 1, true],
      [0, 3, "lifo", 1, true],
      [0, 1, "local", 1, true],
    ]);
    expect(t.steals).toEqual([expect.objectContaining({ thief: 1, victim: 0, count: 1 })]);
    const park = t.spans.find((s) => s.kind === "park-driver")!;
    expect(park.worker).toBe(1);
    expect(park.u1, "the park ends where worker 1 unparks").toBeGreaterThan(park.u0);
    expect(t.spans.filter((s) => s.kind === "search")).toHaveLength(1);
    expect(t.marks.filter((m) => m.kind === "wake").map((m) => m.to)).toEqual(["inject", "lifo", "lifo"]);
    expect(t.idles).toHaveLength(1);
  });

  it("stats: polls by source, migrations, the longest gap per kind of task and the longest poll", () => {
    const stats = traceStats(layout(small), small.tasks);
    expect(stats.bySource).toEqual({ lifo: 1, local: 1, inject: 1, steal: 1 });
    expect(stats.migrations).toBe(0);
    expect(stats.longestGap.get("spawner"), "steps 3, 4 and 5 between its polls").toEqual({ task: 1, units: 3 });
    expect(stats.longestPoll?.work).toBe(3);
  });

  it("the page: self-contained, escaped, with lanes, boxes, a steal, a park, the legend and the counters", () => {
    const html = renderTimeline(small);
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).not.toMatch(/<link|<img|src=|@import|url\(http|href="http/);
    expect(html.match(/http[s]?:\/\/[^"\s]+/g), "only the SVG namespace").toEqual(expect.arrayContaining(["http://www.w3.org/2000/svg"]));
    expect(new Set(html.match(/http[s]?:\/\/[^"\s]+/g))).toEqual(new Set(["http://www.w3.org/2000/svg"]));
    expect(html).toContain("A &lt;small&gt; trace");
    expect(html).toContain("Two workers &amp; one steal.");
    expect(html.match(/class="lane" data-lane=/g)).toHaveLength(3);
    expect(html.match(/<rect class="poll (lifo|local|inject|steal) /g)).toHaveLength(4);
    expect(html).toContain('<g class="steal"');
    expect(html).toContain("worker 1 steals 1 task from worker 0");
    expect(html).toContain('class="park driver"');
    expect(html).toContain("polls task 3 (child 2) from the LIFO slot; it completes");
    expect(html).toContain('id="legend"');
    expect(html).toMatch(/<td>polls \(pollCount\)<\/td><td>2<\/td><td>1<\/td><td>3<\/td>/);
    expect(html).toContain("counters.lifoSchedules");
    expect(renderTimeline(small), "the same input, the same page").toBe(html);
  });
});

const frame = (over: Partial<WheelFrame>): WheelFrame => ({
  op: "insert 70 ms",
  notes: [],
  elapsed: 0,
  occupied: Array.from({ length: 6 }, () => Array.from({ length: 64 }, () => false)),
  entries: [],
  fired: [],
  moved: [],
  ...over,
});

describe("the wheel picture", () => {
  it("six levels of 64 slots per frame, occupied slots counted, disagreements red, moves marked", () => {
    const occupied = frame({}).occupied.map((l) => [...l]);
    occupied[1]![1] = true;
    occupied[2]![5] = true; // a bit with no timer: a bug in a learner's wheel
    const trace: WheelTrace = {
      schema: "kata-wheel/1",
      scenario: "wheel",
      title: "Wheel",
      about: [],
      source: "the reference solutions",
      frames: [
        frame({ op: "a new wheel" }),
        frame({ occupied, entries: [{ label: "70 ms", deadline: 70, level: 1, slot: 1 }], moved: [{ label: "70 ms", from: { level: 2, slot: 0 }, to: { level: 1, slot: 1 } }] }),
      ],
    };
    const html = renderWheel(trace);
    expect(html.match(/<svg class="wheel-frame"/g)).toHaveLength(2);
    expect(html.match(/<g class="level"/g)).toHaveLength(12);
    expect(html.match(/<rect class="slot/g)).toHaveLength(2 * 6 * 64);
    expect(html.match(/<rect class="slot occupied" /g)).toHaveLength(1);
    expect(html.match(/<rect class="slot occupied wrong"/g)).toHaveLength(1);
    expect(html).toContain("occupancy bit set, but no timer is filed here");
    expect(html).toContain('class="moved-from"');
    expect(html).toContain("70 ms (moved)");
  });
});

describe("the scenarios on the reference, in child processes", () => {
  it("the same seed gives the same page; another seed another; the counters agree with the trace", async () => {
    const options = { root: ROOT, scenario: "spawn-burst", learner: false, seed: 1, workers: 4 };
    const [a, b, c] = await Promise.all([recordTrace(options), recordTrace(options), recordTrace({ ...options, seed: 2 })]);
    expect(renderTrace(a)).toBe(renderTrace(b));
    expect(renderTrace(c)).not.toBe(renderTrace(a));
    if (a.schema !== "kata-trace/1") throw new Error("a scheduler trace");
    const stolen = a.events.reduce((n, e) => n + (e.kind === "steal" ? e.count : 0), 0);
    expect(stolen, "the steal events add up to the stealCount of every worker").toBe(a.metrics.workers.reduce((n, w) => n + w.stealCount, 0));
    expect(stolen, "a burst is stolen from").toBeGreaterThan(0);
    expect(a.events.filter((e) => e.kind === "park").length, "workers park").toBeGreaterThan(0);
    expect(a.metrics.spawnedTasksCount).toBe(49);
  }, 60_000);

  it("every scenario runs; the hog's longest poll is 40 units of work, one unit when it yields", async () => {
    const traces = await Promise.all(Object.keys(SCENARIOS).map((scenario) => recordTrace({ root: ROOT, scenario, learner: false, seed: 1, workers: 4 })));
    const byName = new Map(traces.map((t) => [t.scenario, t]));
    const longest = (name: string) => {
      const t = byName.get(name)!;
      if (t.schema !== "kata-trace/1") throw new Error("a scheduler trace");
      return traceStats(layout(t), t.tasks).longestPoll?.work;
    };
    expect(longest("cpu-hog")).toBe(40);
    expect(longest("cpu-hog-yield")).toBe(1);
    const wheel = byName.get("wheel")!;
    if (wheel.schema !== "kata-wheel/1") throw new Error("a wheel trace");
    expect(wheel.frames.at(-1)!.entries, "every timer fired in the end").toEqual([]);
    expect(wheel.frames.flatMap((f) => f.fired).length).toBe(9);
    expect(wheel.frames.flatMap((f) => f.moved).length, "cascades").toBeGreaterThanOrEqual(3);
  }, 120_000);

  it("on the learner's pristine chapter 09 the command says what is missing", async () => {
    const error = await recordTrace({ root: ROOT, scenario: "ping-pong", learner: true, seed: 1, workers: 4 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TraceError);
    expect((error as Error).message).toMatch(/^on your chapter 09 \(the reference for the others\), the scenario needs \S+, which is not implemented yet \(chapters\/09-work-stealing\): finish it, or run the scenario with --reference$/);
  }, 60_000);
});
