/**
 * The records a grading run leaves behind, one JSON object per line.
 *
 * `results.ndjson` is written by the reporter in the vitest main process (which runs no learner code);
 * `phases-<pid>.ndjson` by each test fork, synchronously, so it survives the fork being killed: the last phase
 * names what was running when a fork hung or crashed.
 */
import { z } from "zod";

export const ErrorRecord = z.object({
  name: z.string().optional(),
  message: z.string(),
  /** the item of a stub's NotImplementedError (kit/todo.ts), when the error is one or an assertion got one */
  item: z.string().optional(),
  /** the chapter of that stub ("03-waker") */
  chapter: z.string().optional(),
});
export type ErrorRecord = z.infer<typeof ErrorRecord>;

export const ResultRecord = z.discriminatedUnion("type", [
  z.object({ type: z.literal("run-start"), files: z.array(z.string()) }),
  z.object({
    type: z.literal("test"),
    project: z.string(),
    file: z.string(),
    /** the describe path and the test's name, joined by " > " */
    name: z.string(),
    state: z.enum(["passed", "failed", "skipped", "pending"]),
    errors: z.array(ErrorRecord),
  }),
  z.object({
    type: z.literal("module"),
    project: z.string(),
    file: z.string(),
    state: z.string(),
    errors: z.array(ErrorRecord),
  }),
  z.object({
    type: z.literal("run-end"),
    reason: z.string(),
    errors: z.array(ErrorRecord.extend({ file: z.string().optional() })),
  }),
]);
export type ResultRecord = z.infer<typeof ResultRecord>;

/**
 * What a fork was doing: `import` (the setup is done, the test file is about to load), `load` (a learner module's
 * top-level code starts), `collect` (the test file's own body runs), `test` (a test and its hooks), `after` (the
 * test is over), `teardown` (the file's afterAll hooks); `killed` is written by the watchdog just before it ends
 * the fork.
 */
export const PhaseRecord = z.object({
  file: z.string(),
  kind: z.enum(["import", "load", "collect", "test", "after", "teardown", "killed"]),
  name: z.string(),
});
export type PhaseRecord = z.infer<typeof PhaseRecord>;
