/**
 * What a trace scenario (run in a child process, `child.ts`) hands back to `kata trace`: a zod-validated JSON file,
 * so nothing the scenario's code does can reach the page except these fields.
 *
 * - `SchedulerTrace`: chapter 09's trace events of one seeded run, each poll's work in units (`work` on `poll-end`,
 *   the CPU work the scenario's tasks declared while it ran), task labels, and the runtime's counters at the end.
 * - `WheelTrace`: frames of chapter 12's wheel after each operation: per level the occupancy word as the wheel
 *   reports it, and where each timer is filed.
 */
import { z } from "zod";

const step = z.int().nonnegative();
const worker = z.int().min(-1);
const task = z.int().nonnegative();

export const TraceEventSchema = z.discriminatedUnion("kind", [
  z.object({ step, worker, kind: z.literal("poll"), task, source: z.enum(["lifo", "local", "inject", "steal"]) }),
  z.object({ step, worker, kind: z.literal("poll-end"), task, complete: z.boolean(), work: z.number().nonnegative().optional() }),
  z.object({ step, worker, kind: z.literal("wake"), task, remote: z.boolean(), lifo: z.boolean() }),
  z.object({ step, worker, kind: z.literal("steal"), victim: z.int().nonnegative(), count: z.int().nonnegative() }),
  z.object({ step, worker, kind: z.literal("overflow"), count: z.int().nonnegative() }),
  z.object({ step, worker, kind: z.literal("park"), driver: z.boolean() }),
  z.object({ step, worker, kind: z.literal("unpark") }),
  z.object({ step, worker, kind: z.literal("search"), searching: z.boolean() }),
  z.object({ step, worker, kind: z.literal("maintenance") }),
  z.object({ step, worker, kind: z.literal("block-on"), complete: z.boolean() }),
  z.object({ step, worker, kind: z.literal("idle") }),
]);
export type TraceEventData = z.infer<typeof TraceEventSchema>;

/** chapter 07's WorkerMetrics, as counted (busy time is real time, left out so that a seed gives one page) */
export const WorkerCounts = z.object({
  pollCount: z.number(),
  localScheduleCount: z.number(),
  stealCount: z.number(),
  stealOperations: z.number(),
  overflowCount: z.number(),
  parkCount: z.number(),
  parkUnparkCount: z.number(),
  noopCount: z.number(),
  budgetForcedYieldCount: z.number(),
});
export type WorkerCounts = z.infer<typeof WorkerCounts>;

export const SchedulerTrace = z.strictObject({
  schema: z.literal("kata-trace/1"),
  scenario: z.string(),
  title: z.string(),
  /** what the scenario does and what to look for, a paragraph or two */
  about: z.array(z.string()),
  /** "reference" or "your chapter 09" */
  source: z.string(),
  seed: z.int(),
  workers: z.int().positive(),
  /** the trace was cut at this many events */
  truncated: z.boolean(),
  events: z.array(TraceEventSchema),
  /** task id -> what the scenario calls it */
  tasks: z.record(z.string(), z.string()),
  metrics: z.object({
    workers: z.array(WorkerCounts),
    remoteScheduleCount: z.number(),
    spawnedTasksCount: z.number(),
    /** Tokio's debugging counters (`MultiThreadHandle.counters`), when the runtime keeps them */
    counters: z.record(z.string(), z.number()).optional(),
  }),
});
export type SchedulerTrace = z.infer<typeof SchedulerTrace>;

export const WheelEntry = z.object({ label: z.string(), deadline: z.number(), level: z.int(), slot: z.int() });
export const WheelFrame = z.object({
  /** what was just done: "insert 3, 40, 70 ms", "advance to 64 ms" */
  op: z.string(),
  /** what happened, in words */
  notes: z.array(z.string()),
  elapsed: z.number(),
  /** per level, the 64 occupancy bits as the wheel reports them (`level(l).occupied()`), slot 0 first */
  occupied: z.array(z.array(z.boolean()).length(64)),
  /** timers filed in a level, where their registered deadline puts them */
  entries: z.array(WheelEntry),
  /** timers returned by `poll` during this operation */
  fired: z.array(z.object({ label: z.string(), deadline: z.number(), at: z.number() })),
  /** timers filed on another level or slot than before this operation (a cascade) */
  moved: z.array(z.object({ label: z.string(), from: z.object({ level: z.int(), slot: z.int() }), to: z.object({ level: z.int(), slot: z.int() }) })),
});
export type WheelFrame = z.infer<typeof WheelFrame>;

export const WheelTrace = z.strictObject({
  schema: z.literal("kata-wheel/1"),
  scenario: z.string(),
  title: z.string(),
  about: z.array(z.string()),
  source: z.string(),
  frames: z.array(WheelFrame),
});
export type WheelTrace = z.infer<typeof WheelTrace>;

export const TraceFile = z.union([SchedulerTrace, WheelTrace]);
export type TraceFile = z.infer<typeof TraceFile>;
