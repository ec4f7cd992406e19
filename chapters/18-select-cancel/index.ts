/**
 * Chapter 18: `select`, `join` and `tryJoin`, cancel safety, `CancellationToken`, and a graceful shutdown.
 */
export { threadRngFor, threadRngN } from "./thread-rng.ts";
export {
  ALL_DISABLED_ERROR,
  Branch,
  MAX_BRANCHES,
  NO_BRANCHES_ERROR,
  Select,
  TOO_MANY_BRANCHES_ERROR,
  branch,
  select,
  type BranchOptions,
  type SelectOptions,
} from "./select.ts";
export { ByRef, byRef } from "./by-ref.ts";
export { MaybeDone } from "./maybe-done.ts";
export { Join, join, tryJoin, type JoinOptions, type Outputs } from "./join.ts";
export { FramedRead, LinesCodec, type Decoder } from "./framed-read.ts";
export * as treeNode from "./tree-node.ts";
export { CancellationToken, DropGuard, WaitForCancellation } from "./cancellation-token.ts";
export { serve, type ConnectionHandler, type ServeOptions, type ShutdownReport } from "./serve.ts";
