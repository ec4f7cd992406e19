/**
 * Chapter 17: `broadcast`, `watch`, `Notify` and `JoinSet`.
 */
export { LinkedList, type Linked } from "./linked-list.ts";
export { EMPTY, NOTIFIED, Notified, Notify, WAITING } from "./notify.ts";
export * as broadcast from "./broadcast.ts";
export * as watch from "./watch.ts";
export { IdleNotifiedSet, ListEntry } from "./idle-notified-set.ts";
export { JoinSet } from "./join-set.ts";
