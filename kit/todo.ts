/**
 * The error every stub throws until the learner replaces its body.
 *
 * The grader recognises it: a chapter whose tests fail only with `NotImplementedError` is reported as
 * "not started", and the message names the chapter and the function so the learner knows where to go.
 */
export class NotImplementedError extends Error {
  override readonly name = "NotImplementedError";
  constructor(
    readonly chapter: string,
    readonly item: string,
  ) {
    super(`${item} is not implemented yet (chapters/${chapter}); open chapters/${chapter}/README.md`);
  }
}

/** Throws the recognisable not-implemented error. Its return type lets a stub body be a single `return todo(...)`. */
export function todo(chapter: string, item: string): never {
  throw new NotImplementedError(chapter, item);
}

/**
 * The first stub error named in `text` (a message, a child process's output), read back from the message above:
 * its item and chapter. The grader's reporter, `kata bench` and `kata trace` all recognise stubs by it.
 */
export function notImplementedIn(text: string): { item: string; chapter: string } | undefined {
  const m = /([\w$.[\]#]+) is not implemented yet \(chapters\/(\d\d-[\w-]+)\)/.exec(text);
  return m === null ? undefined : { item: m[1]!, chapter: m[2]! };
}
