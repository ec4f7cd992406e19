/**
 * Mirrors: the workbook as one variant of it sees it, inside the workbook (under `.kata/`), so that many variants
 * run in one vitest project. A variant replaces one chapter: the bug corpus's patched copy of a solution, or a
 * chapter's pristine stub in `kata verify`'s stub gate (solo mode).
 *
 * A mirror holds the replaced chapter at `<mirror>/<tree>/NN-slug/` (the caller puts it there), its own
 * package.json whose `#kata/NN-slug` points at it (every other import as the workbook's), and kit/, solutions/ and
 * tests/ in which every module the mirror's tests load that refers to the replaced chapter, directly or through
 * others, is a copy, and everything else a symbolic link to the original (copying only what the tests load took
 * the bug corpus's 144 mirrors from 8-21 s of file copies to 2 s). vite resolves a link to its real file, so the modules that do
 * not depend on the chapter are the workbook's own, shared by every mirror of a run with their transforms; the
 * copies are the mirror's, and their imports resolve inside it. A run's records name a mirror's files by their
 * path in the mirror; `mirrorOutcome` gives one mirror's part of a run with the workbook's names.
 */
import { copyFileSync, type Dirent, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import type { ChapterId } from "./curriculum.ts";
import type { ResultRecord } from "./run/records.ts";
import type { RunOutcome } from "./run/spawn.ts";

/** What a module refers to: `import`/`export ... from`, `import()`, `new URL(..., import.meta.url)` (a worker). */
const REFERENCE = /(?:\bfrom\s*|\bimport\s*\(?\s*|new URL\(\s*)["']([^"']+)["']/g;

const TREES = ["kit", "solutions", "tests"] as const;

/**
 * The workbook's module graph in reference mode: each `.ts` file of kit/, solutions/, tests/ and chapters/ (whose
 * public examples a stub mirror runs), relative to the root, with the files it refers to. `#kata/NN-slug` is the
 * chapter's solution, `#kit/x` the kit's module; packages and Node's modules are left out.
 */
export function moduleGraph(root: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const files = [...TREES, "chapters"].filter((top) => existsSync(join(root, top))).flatMap((top) =>
    (readdirSync(join(root, top), { recursive: true, withFileTypes: true }) as Dirent[])
      .filter((d) => d.isFile() && d.name.endsWith(".ts"))
      .map((d) => relative(root, join(d.parentPath, d.name))),
  );
  for (const file of files) {
    const targets = [...readFileSync(join(root, file), "utf8").matchAll(REFERENCE)].flatMap(([, spec]) => {
      if (spec!.startsWith("#kata/")) return [`solutions/${spec!.slice("#kata/".length)}/index.ts`];
      if (spec!.startsWith("#kit/")) return [`kit/${spec!.slice("#kit/".length)}.ts`];
      if (spec!.startsWith(".")) return [normalize(join(dirname(file), spec!))];
      return [];
    });
    graph.set(file, targets);
  }
  return graph;
}

/** The files that refer, directly or through others, to a module of `chapter`'s solution (its own left out). */
export function dependents(graph: Map<string, string[]>, chapter: ChapterId): Set<string> {
  const own = `solutions/${chapter}/`;
  const found = new Set<string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const [file, targets] of graph) {
      if (file.startsWith(own) || found.has(file)) continue;
      if (targets.some((t) => t.startsWith(own) || found.has(t))) {
        found.add(file);
        grew = true;
      }
    }
  }
  return found;
}

/**
 * What a mirror that runs `files` must copy: the files that `files` refer to, directly or through others (`files`
 * included), and that depend on the replaced chapter (`depending`, its `dependents`). Everything else the run never
 * loads, or loads as the workbook's own.
 */
export function mirrorCopies(graph: Map<string, string[]>, depending: Set<string>, files: readonly string[]): Set<string> {
  const reached = new Set<string>();
  const stack = [...files];
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (reached.has(file)) continue;
    reached.add(file);
    stack.push(...(graph.get(file) ?? []));
  }
  return new Set([...reached].filter((f) => depending.has(f)));
}

/**
 * Completes the mirror at `mirror` (absolute), whose `<tree>/<chapter>/` the caller has filled: the copies
 * (`mirrorCopies`), the links, and the package.json.
 */
export function buildMirror(root: string, mirror: string, chapter: ChapterId, tree: "solutions" | "chapters", copies: Set<string>): void {
  const needed = (rel: string) => [...copies].some((c) => c === rel || c.startsWith(`${rel}/`));
  const fill = (rel: string) => {
    for (const entry of readdirSync(join(root, rel), { withFileTypes: true })) {
      const child = `${rel}/${entry.name}`;
      if (existsSync(join(mirror, child))) continue; // the replaced chapter
      if (!needed(child)) symlinkSync(join(root, child), join(mirror, child));
      else if (entry.isDirectory()) {
        mkdirSync(join(mirror, child));
        fill(child);
      } else copyFileSync(join(root, child), join(mirror, child));
    }
  };
  for (const top of TREES) {
    mkdirSync(join(mirror, top), { recursive: true });
    fill(top);
  }
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { type?: string; imports: Record<string, unknown> };
  const imports = { ...pkg.imports, [`#kata/${chapter}`]: `./${tree}/${chapter}/index.ts` };
  writeFileSync(join(mirror, "package.json"), JSON.stringify({ type: pkg.type, imports }));
}

/** The part of a run that concerns one mirror (relative to the root), with its files named as in the workbook. */
export function mirrorOutcome(outcome: RunOutcome, mirror: string): RunOutcome {
  const prefix = `${mirror}/`;
  const own = (file: string) => file.startsWith(prefix);
  const strip = (file: string) => file.slice(prefix.length);
  const results = outcome.results.flatMap((r): ResultRecord[] => {
    if (r.type === "test" || r.type === "module") return own(r.file) ? [{ ...r, file: strip(r.file) }] : [];
    return [r];
  });
  const phases = new Map(
    [...outcome.phases].flatMap(([pid, records]) => (records.some((r) => own(r.file)) ? [[pid, records.filter((r) => own(r.file)).map((r) => ({ ...r, file: strip(r.file) }))] as const] : [])),
  );
  return { ...outcome, results, phases };
}
