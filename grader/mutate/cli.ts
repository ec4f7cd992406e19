/**
 * `npm run mutate`: mutation testing of the solutions against the hidden suites, and the plausible-bug corpus.
 *
 *     npm run mutate -- --chapter 12                 # Stryker on solutions/12-timer-wheel against tests/12-timer-wheel
 *     npm run mutate -- --chapter 12,16 --force      # several chapters; --force ignores the caches
 *     npm run mutate -- --all                        # every chapter that has a solution and a manifest
 *     npm run mutate -- --chapter 12 --rescore       # score the last run again (after editing the equivalents)
 *     npm run mutate -- --chapter 12 --equivalent 17,40 --reason "..." [--unreachable]
 *                                                    # record survivors of the last run as equivalent (or unreachable)
 *     npm run mutate -- --bugs [--chapter 12] [--record]
 *                                                    # the bug corpus against the whole hidden suites; --record writes
 *                                                    # each bug's 'rejected by:' line (the test `kata verify` checks)
 *
 * Reports go to `reports/mutation/` (gitignored): per chapter `mutation.json` and `index.html` (Stryker's),
 * `summary.json` and `survivors.md` (ours); `report.md` holds the table of every chapter mutated so far.
 * Exit code 0 when every chapter asked for reaches the release score (and every bug is rejected), 1 when not,
 * 2 on bad arguments.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { loadCurriculum, resolveChapterArg, type Chapter } from "../curriculum.ts";
import { BugCorpusError, checkBugCorpus, listBugs, recordRejectedBy } from "../bugs.ts";
import { learnerFilter } from "./given.ts";
import { bugsText, scoreTable, survivorsText } from "./render.ts";
import { equivalentEntry, loadEquivalents, recordEquivalents, RELEASE_SCORE, summarize, type ChapterSummary } from "./score.ts";
import { lastRun, mutateChapter, reportDir } from "./stryker.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");

function usage(message: string): never {
  console.error(`mutate: ${message}\nusage: npm run mutate -- --chapter NN[,NN] | --all  [--force | --rescore] [--concurrency N] [--quiet] | --bugs [--chapter NN] [--record]`);
  process.exit(2);
}

function pickChapters(values: { chapter?: string[]; all?: boolean }, bugs: boolean): Chapter[] {
  const chapters = loadCurriculum(ROOT).chapters.filter(
    (c) => c.status === "available" && c.manifest !== null && existsSync(join(ROOT, "solutions", c.id)),
  );
  const args = (values.chapter ?? []).flatMap((a) => a.split(",")).filter((a) => a !== "");
  if (args.length === 0) {
    if (values.all === true || bugs) return chapters;
    usage("which chapter? --chapter NN, or --all");
  }
  return args.map((a) => {
    const id = resolveChapterArg(a);
    const c = chapters.find((c) => c.id === id);
    if (c === undefined) usage(`no chapter "${a}" with a solution and a manifest`);
    return c;
  });
}

/** Every chapter's summary.json written so far, in chapter order. */
function allSummaries(): ChapterSummary[] {
  const dir = join(ROOT, "reports", "mutation");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((d) => existsSync(join(dir, d, "summary.json")))
    .sort()
    .map((d) => JSON.parse(readFileSync(join(dir, d, "summary.json"), "utf8")) as ChapterSummary);
}

async function mutate(chapters: Chapter[], values: { force?: boolean; concurrency?: string; quiet?: boolean; rescore?: boolean }): Promise<number> {
  const concurrency = Number(values.concurrency ?? 2);
  if (!Number.isInteger(concurrency) || concurrency < 1) usage(`--concurrency is a positive integer, not ${values.concurrency}`);
  const mine: ChapterSummary[] = [];
  for (const chapter of chapters) {
    console.log(`mutate: ${chapter.id}...`);
    const run =
      values.rescore === true
        ? (lastRun(ROOT, chapter) ?? usage(`${chapter.id} has no mutation report to score again: run it first`))
        : await mutateChapter(ROOT, chapter, { concurrency, force: values.force === true, quiet: values.quiet === true });
    const sources = Object.fromEntries(Object.entries(run.report.files).map(([f, v]) => [f, v.source]));
    const summary = summarize(chapter.id, run.report, loadEquivalents(ROOT, chapter.id), run, learnerFilter(ROOT, chapter.id, sources));
    const dir = reportDir(ROOT, chapter.id);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "summary.json"), `${JSON.stringify(summary, null, 2)}\n`);
    writeFileSync(join(dir, "survivors.md"), `${survivorsText(summary)}\n`);
    mine.push(summary);
    const cached = run.cached ? " (cached)" : "";
    console.log(
      `mutate: ${chapter.id}: ${summary.created} mutants (${summary.given} in given code), ${summary.killed} killed, ${summary.timeout} timed out, ` +
        `${summary.survived} survived, ${summary.noCoverage} not covered, ${summary.errors} errors, ${summary.equivalent} equivalent: ` +
        `score ${summary.score ?? "n/a"}%${cached}; survivors in reports/mutation/${chapter.id}/survivors.md`,
    );
  }
  const table = scoreTable(allSummaries());
  writeFileSync(join(ROOT, "reports", "mutation", "report.md"), `# Mutation scores\n\n${table}\n`);
  console.log(`\n${scoreTable(mine)}\n\n(every chapter so far: reports/mutation/report.md)`);
  return mine.every((s) => s.score !== null && s.score >= RELEASE_SCORE) ? 0 : 1;
}

/** Records survivors of the chapter's last run, by mutant id, in its equivalents file; then scores again. */
async function record(chapters: Chapter[], values: { equivalent?: string; reason?: string; unreachable?: boolean }): Promise<number> {
  if (chapters.length !== 1) usage("--equivalent takes exactly one --chapter");
  const chapter = chapters[0]!;
  if (values.reason === undefined || values.reason.trim().length < 10) usage("--equivalent needs a --reason saying why no test can tell");
  const run = lastRun(ROOT, chapter) ?? usage(`${chapter.id} has no mutation report: run it first`);
  const sources = Object.fromEntries(Object.entries(run.report.files).map(([f, v]) => [f, v.source]));
  const summary = summarize(chapter.id, run.report, loadEquivalents(ROOT, chapter.id), run, learnerFilter(ROOT, chapter.id, sources));
  const ids = (values.equivalent ?? "").split(",").filter((i) => i !== "");
  const entries = ids.map((id) => {
    const m = summary.survivors.find((s) => s.id === id);
    if (m === undefined) usage(`mutant ${id} is not a survivor of ${chapter.id}'s last run (see reports/mutation/${chapter.id}/survivors.md)`);
    return equivalentEntry(m, values.reason!.trim(), values.unreachable === true ? "unreachable" : "equivalent");
  });
  const added = recordEquivalents(ROOT, chapter.id, entries);
  console.log(`mutate: ${added} entr${added === 1 ? "y" : "ies"} added to grader/mutate/equivalents/${chapter.id}.json`);
  return mutate(chapters, { rescore: true });
}

async function bugs(chapters: Chapter[], writeNames: boolean): Promise<number> {
  const started = Date.now();
  let verdicts;
  try {
    verdicts = await checkBugCorpus(ROOT, chapters, "full");
  } catch (e) {
    if (e instanceof BugCorpusError) usage(e.message);
    throw e;
  }
  console.log(bugsText(verdicts));
  if (writeNames) {
    // the first test that fails outright (a timeout costs the gate its whole timeout), else the first that does not pass
    for (const v of verdicts) {
      const by = v.rejectedBy.find((t) => t.status === "fail") ?? v.rejectedBy[0];
      const bug = listBugs(ROOT, v.chapter).find((b) => b.name === v.bug);
      if (by !== undefined && bug !== undefined) recordRejectedBy(ROOT, bug, by.name);
    }
  }
  const bad = verdicts.filter((v) => v.status !== "rejected").length;
  console.log(`\nbugs: ${verdicts.length - bad} passed, ${bad} failed (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return bad === 0 ? 0 : 1;
}

const OPTIONS = {
  chapter: { type: "string", multiple: true },
  all: { type: "boolean" },
  force: { type: "boolean" },
  concurrency: { type: "string" },
  quiet: { type: "boolean" },
  bugs: { type: "boolean" },
  record: { type: "boolean" },
  rescore: { type: "boolean" },
  equivalent: { type: "string" },
  reason: { type: "string" },
  unreachable: { type: "boolean" },
} as const;

/** The options, or the usage line and exit 2 for one it does not know. */
function parseOptions() {
  try {
    return parseArgs({ args: process.argv.slice(2), options: OPTIONS }).values;
  } catch (e) {
    return usage((e as Error).message);
  }
}

const values = parseOptions();
const chapters = pickChapters(values, values.bugs === true);
process.exitCode =
  values.bugs === true ? await bugs(chapters, values.record === true) : values.equivalent !== undefined ? await record(chapters, values) : await mutate(chapters, values);
