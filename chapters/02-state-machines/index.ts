/**
 * Chapter 02: futures as state machines, combinators, and generator-based async functions.
 */
export { GenFuture, asyncFn, asyncBlock, type AsyncGen } from "./gen-future.ts";
export { Map, map } from "./map.ts";
export { AndThen, andThen } from "./and-then.ts";
export { JoinAll, join, joinAll } from "./join.ts";
export { Example, example, type ExampleState } from "./example.ts";
