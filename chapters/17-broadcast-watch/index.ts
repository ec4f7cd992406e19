/**
 * Chapter 17: `Notify`, `broadcast`, `watch` and `JoinSet`; and the intrusive list every waiter queue uses.
 */
export { LinkedList, type Linked } from "./linked-list.ts";
export { Notified, Notify } from "./notify.ts";
export * as broadcast from "./broadcast.ts";
export * as watch from "./watch.ts";
export { JoinSet } from "./join-set.ts";
