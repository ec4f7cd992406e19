/**
 * Chapter 17: `Notify`, `broadcast`, `watch` and `JoinSet`; the intrusive list every waiter queue uses, and the
 * `IdleNotifiedSet` under `JoinSet`.
 */
export { LinkedList, type Linked } from "./linked-list.ts";
export { Notified, Notify } from "./notify.ts";
export * as broadcast from "./broadcast.ts";
export * as watch from "./watch.ts";
export { IdleNotifiedSet, type ListEntry } from "./idle-notified-set.ts";
export { JoinSet } from "./join-set.ts";
