/**
 * The curriculum: the nineteen chapters, what each one's files say about it, and the zod schemas of those files.
 *
 * A chapter is *available* when `chapters/NN-slug/kata.json` exists, and *coming* otherwise; the grader works
 * with whatever is available. Per chapter: `kata.json` ({title, seed, tasks}), the public examples
 * `chapters/NN-slug/*.example.test.ts`, the hidden suite `tests/NN-slug/*.test.ts` and its manifest
 * `tests/NN-slug/manifest.json` (every hidden test with its task and points, written by `kata manifest`).
 *
 * A student's bundle (`kata release`) has no `tests/`: there a chapter is graded on its public examples, listed
 * in `grader/examples.json` (written by the release from a reference run), all under one task, "Public examples".
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";

export const SLUGS = [
  "01-poll",
  "02-state-machines",
  "03-waker",
  "04-block-on",
  "05-pin",
  "06-task",
  "07-current-thread",
  "08-run-queue",
  "09-work-stealing",
  "10-mio",
  "11-io-driver",
  "12-timer-wheel",
  "13-time",
  "14-blocking",
  "15-coloring",
  "16-channels",
  "17-broadcast-watch",
  "18-select-cancel",
  "19-capstone",
] as const;
export const ChapterId = z.enum(SLUGS);
export type ChapterId = z.infer<typeof ChapterId>;

/** `chapters/NN-slug/kata.json` */
export const KataJson = z.strictObject({
  title: z.string().min(1),
  /** sections of the seed article the chapter teaches, e.g. "6.5" */
  seed: z.array(z.string().regex(/^\d+(\.\d+)*$/, "a seed section is a number like 6 or 6.5")).min(1),
  tasks: z.array(z.string().min(1)).min(1),
});
export type KataJson = z.infer<typeof KataJson>;

/** One hidden test in `tests/NN-slug/manifest.json`. */
export const ManifestTest = z.strictObject({
  /** relative to the repository root, e.g. "tests/01-poll/poll.test.ts" (or a public example, in a student's bundle) */
  file: z.string().regex(/^(tests\/\d\d-[a-z-]+\/[^/]+\.test\.ts|chapters\/\d\d-[a-z-]+\/[^/]+\.example\.test\.ts)$/),
  /** the full name: the describe path and the test's name, joined by " > " */
  name: z.string().min(1),
  task: z.int().positive(),
  points: z.number().positive().default(1),
});
export type ManifestTest = z.infer<typeof ManifestTest>;

export const Manifest = z.strictObject({
  chapter: ChapterId,
  tests: z.array(ManifestTest),
});
export type Manifest = z.infer<typeof Manifest>;

export const Chapter = z.strictObject({
  id: ChapterId,
  /** "01" */
  number: z.string().regex(/^\d\d$/),
  status: z.enum(["available", "coming"]),
  title: z.string(),
  seed: z.array(z.string()),
  tasks: z.array(z.string()),
  /** relative paths of the public examples */
  publicTests: z.array(z.string()),
  /** relative paths of the hidden test files */
  hiddenTests: z.array(z.string()),
  /** null when the chapter has no manifest yet */
  manifest: Manifest.nullable(),
});
export type Chapter = z.infer<typeof Chapter>;

export const Curriculum = z.strictObject({ chapters: z.array(Chapter).length(SLUGS.length) });
export type Curriculum = z.infer<typeof Curriculum>;

export const chapterNumber = (id: ChapterId): string => id.slice(0, 2);

/** A problem with one of the curriculum's own files (not the learner's code). */
export class CurriculumError extends Error {
  override readonly name = "CurriculumError";
}

function listFiles(dir: string, suffix: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(suffix))
    .sort();
}

function readJson<T>(path: string, schema: z.ZodType<T>, what: string): T {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new CurriculumError(`${what}: ${(e as Error).message}`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new CurriculumError(`${what} is invalid: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export function kataJsonPath(root: string, id: ChapterId): string {
  return join(root, "chapters", id, "kata.json");
}
export function manifestPath(root: string, id: ChapterId): string {
  return join(root, "tests", id, "manifest.json");
}

/** `grader/examples.json` of a student's bundle: per chapter, the manifest of its public examples. */
export const EXAMPLES_MANIFEST = "grader/examples.json";
export const ExamplesManifest = z.strictObject({ schema: z.literal("kata-examples/1"), chapters: z.partialRecord(ChapterId, Manifest) });
export type ExamplesManifest = z.infer<typeof ExamplesManifest>;
/** The one task public examples are graded under in a student's bundle. */
export const PUBLIC_TASK = "Public examples";

/** A student's bundle: no hidden suites, and the release's manifest of the public examples. */
export function isStudentBundle(root: string): boolean {
  return !existsSync(join(root, "tests")) && existsSync(join(root, EXAMPLES_MANIFEST));
}

export function loadChapter(root: string, id: ChapterId): Chapter {
  const number = chapterNumber(id);
  const kataPath = kataJsonPath(root, id);
  if (!existsSync(kataPath)) {
    return { id, number, status: "coming", title: id.slice(3), seed: [], tasks: [], publicTests: [], hiddenTests: [], manifest: null };
  }
  const kata = readJson(kataPath, KataJson, `chapters/${id}/kata.json`);
  const bundle = isStudentBundle(root);
  const mPath = manifestPath(root, id);
  const manifest = bundle
    ? (readJson(join(root, EXAMPLES_MANIFEST), ExamplesManifest, EXAMPLES_MANIFEST).chapters[id] ?? null)
    : existsSync(mPath)
      ? readJson(mPath, Manifest, `tests/${id}/manifest.json`)
      : null;
  return {
    id,
    number,
    status: "available",
    title: kata.title,
    seed: kata.seed,
    tasks: bundle ? [PUBLIC_TASK] : kata.tasks,
    publicTests: listFiles(join(root, "chapters", id), ".example.test.ts").map((f) => `chapters/${id}/${f}`),
    hiddenTests: listFiles(join(root, "tests", id), ".test.ts").map((f) => `tests/${id}/${f}`),
    manifest,
  };
}

export function loadCurriculum(root: string): Curriculum {
  return Curriculum.parse({ chapters: SLUGS.map((id) => loadChapter(root, id)) });
}

/** Finds a chapter from what a person types: "1", "01", "01-poll" or "poll". */
export function resolveChapterArg(arg: string): ChapterId | undefined {
  const text = arg.trim().toLowerCase();
  if (/^\d{1,2}$/.test(text)) return SLUGS.find((s) => Number(s.slice(0, 2)) === Number(text));
  return SLUGS.find((s) => s === text || s.slice(3) === text);
}
