/**
 * Chapter 05: simulated memory with moves, a self-referential future, `Pin`/`Unpin`, boxed and stack pinning,
 * projections.
 */
export { Memory, MemoryError, hex, type Address, type MemoryErrorKind, type Word } from "./memory.ts";
export { Ref } from "./ref.ts";
export { Box } from "./boxed.ts";
export { Pin, pin, type IsUnpin, type PhantomPinned, type Pointer, type Target } from "./pin.ts";
export { pollReadLater, readLater, type ReadLater } from "./read-later.ts";
export { pinned, project, unpinned, type FieldSpec, type Projection } from "./project.ts";
export { COUNT_POLLS, countPolls, pollCountPolls, type CountPolls } from "./count-polls.ts";
