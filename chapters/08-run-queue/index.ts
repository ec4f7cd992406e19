/**
 * Chapter 08: the work-stealing run queue, a ring of task indices on a SharedArrayBuffer.
 */
export {
  BUFFER,
  HEAD,
  LOCAL_QUEUE_CAPACITY,
  Local,
  MASK,
  NUM_TASKS_TAKEN,
  QUEUE_BYTES,
  QUEUE_WORDS,
  Steal,
  TAIL,
  len,
  local,
  newQueueBuffer,
  pack,
  realHalf,
  stealHalf,
  type Stats,
} from "./queue.ts";
export type { Overflow } from "./overflow.ts";
