/**
 * The module hooks that load TypeScript in the `kata` CLI and in every TypeScript worker thread (`ts-register.mjs`
 * registers them; ts-worker.ts runs that first in each worker it starts).
 *
 * A `.ts` file loads as an ES module with its types stripped by esbuild, and the JavaScript is kept on disk, keyed
 * by the file's path and content, the transform's options and esbuild's version; esbuild is imported only when the
 * cache misses. Resolution (relative paths, `#kata/...` and its `--conditions`) is Node's own; every other URL
 * loads as Node loads it. A cache that cannot be written costs speed, never a load; the cache is used only if its
 * directory belongs to this user and no one else can write to it (it sits in the shared temporary directory).
 *
 * Why not tsx's own `register()`, as the benchmarks' processes use: a worker that imports tsx and runs its loader
 * started in 159 ms of CPU on this machine; these hooks start one in 56-65 ms (a bare worker: 22 ms). The tests
 * start about thirty TypeScript workers, and chapter 14's pool starts one per thread.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { threadId } from "node:worker_threads";

const OPTIONS = {
  loader: "ts",
  format: "esm",
  target: "node20",
  sourcemap: "inline",
  tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
};
const ESBUILD_VERSION = createRequire(import.meta.url)("esbuild/package.json").version;
const CACHE = join(tmpdir(), `kata-ts-${process.getuid?.() ?? "user"}`);
const CACHING = ownCache(CACHE);

/** Creates the cache directory if need be; true if it is ours alone (on systems with users and modes). */
function ownCache(dir) {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = statSync(dir);
    if (!stat.isDirectory()) return false;
    return process.getuid === undefined || (stat.uid === process.getuid() && (stat.mode & 0o022) === 0);
  } catch {
    return false;
  }
}

function transformed(path, source) {
  const key = createHash("sha256").update(JSON.stringify([ESBUILD_VERSION, OPTIONS, path, source])).digest("hex");
  return join(CACHE, `${key}.mjs`);
}

/** The JavaScript kept for `file`, if any. */
function kept(file) {
  if (!CACHING) return undefined;
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

function keep(file, code) {
  if (!CACHING) return;
  try {
    const partial = `${file}.${process.pid}-${threadId}`;
    writeFileSync(partial, code);
    renameSync(partial, file);
  } catch {
    // a read-only or full temporary directory: the next load transforms again
  }
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith("file:") || !url.endsWith(".ts")) return nextLoad(url, context);
  const path = fileURLToPath(url);
  const source = readFileSync(path, "utf8");
  const file = transformed(path, source);
  let code = kept(file);
  if (code === undefined) {
    const { transform } = await import("esbuild");
    code = (await transform(source, { ...OPTIONS, sourcefile: path })).code;
    keep(file, code);
  }
  return { format: "module", source: code, shortCircuit: true };
}
