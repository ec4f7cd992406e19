import { existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";

/** A command used wrongly (bad arguments, a missing directory): the CLI prints the message and exits 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/**
 * Makes the directory an option names (`--out`), and the missing ones above it, one level at a time. A directory
 * that cannot be made is a UsageError that says why. (Node 20's `mkdirSync(dir, { recursive: true })` never
 * returns for some such paths: under /proc, `mkdir` fails with ENOENT while the parent exists, and it retries.)
 */
export function makeOutputDir(dir: string): void {
  const missing: string[] = [];
  for (let d = resolve(dir); !existsSync(d); d = dirname(d)) missing.unshift(d);
  try {
    for (const d of missing) mkdirSync(d);
  } catch (e) {
    throw new UsageError(`cannot make the directory ${dir}: ${(e as Error).message}`);
  }
  if (!statSync(dir).isDirectory()) throw new UsageError(`${dir} is not a directory`);
}
