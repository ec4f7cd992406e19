/**
 * Chapter 12: the hierarchical timer wheel.
 */
export { MAX_SAFE_MILLIS_DURATION, STATE_DEREGISTERED, STATE_PENDING_FIRE, TimerShared } from "./entry.ts";
export { LinkedList } from "./linked-list.ts";
export { BITS_PER_LEVEL, LEVEL_MULT, Level, NUM_LEVELS, levelRange, slotFor, slotRange, type Expiration } from "./level.ts";
export { MAX_DURATION, Wheel, levelFor } from "./wheel.ts";
