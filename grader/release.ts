/**
 * `kata release --out DIR`: the student bundle, a workbook without solutions or hidden tests.
 *
 * What goes in: `chapters/` (stubs, lessons, hints, public examples), `kit/`, the grader (without its own tests and
 * the authors' mutation tooling), the configuration, a README for students, a GitHub Classroom workflow, the
 * manifest of the public examples (`grader/examples.json`, from a reference run here: a student's chapter is
 * graded on them) and the pristine snapshot `kata reset` restores from. What never goes in: any file of
 * `solutions/` or `tests/`, and the `kata-ref-NN` conditions of package.json (they would point at solutions/).
 *
 * In the bundle, `npm start` is watch mode on the public examples, and `npm test` (`kata test`) checks the
 * bundle and reports the student's progress: it exits 0 unless the tooling itself is broken.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { EXAMPLES_MANIFEST, loadCurriculum, SLUGS, type ExamplesManifest, type ManifestTest } from "./curriculum.ts";
import { SHARED_SETTINGS } from "./grade.ts";
import { referenceRun, testRecords } from "./manifest.ts";
import { makeOutputDir, UsageError } from "./usage.ts";
import { writePristineSnapshot } from "./watch/pristine.ts";

/** Paths of the repository copied into a bundle as they are. */
const COPIED = ["chapters", "kit", "grader", "tsconfig.base.json", "vitest.config.ts", "package-lock.json"];
/** Never copied: the grader's own tests and the authors' tools. */
const LEFT_OUT = new Set(["grader/test", "grader/mutate", "grader/bench", "grader/pristine.json", "grader/student-readme.md", EXAMPLES_MANIFEST]);
/** What a bundle must not contain. */
export const FORBIDDEN = /^(solutions|tests)\//;

export interface ReleaseResult {
  out: string;
  files: string[];
  examples: number;
}

function filesUnder(dir: string, base = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const abs = join(dir, name);
    return statSync(abs).isDirectory() ? filesUnder(abs, base) : [relative(base, abs).split("\\").join("/")];
  });
}

function gitCommit(root: string): string | null {
  try {
    return execFileSync("git", ["rev-parse", "HEAD"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return null;
  }
}

/** How the students' scripts start the CLI, as ours do (kit/ts-register.mjs says why not tsx). */
const KATA = "node --import ./kit/ts-register.mjs grader/cli.ts";

/** The bundle's package.json: ours, with imports that resolve only to chapters/ and the students' scripts. */
function bundlePackage(root: string): string {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as Record<string, unknown>;
  const imports: Record<string, string> = { "#kit/*": "./kit/*.ts" };
  for (const id of SLUGS) if (existsSync(join(root, "chapters", id, "index.ts"))) imports[`#kata/${id}`] = `./chapters/${id}/index.ts`;
  const scripts = {
    start: `${KATA} watch`,
    test: `${KATA} test`,
    kata: KATA,
    typecheck: "tsc -p tsconfig.json --noEmit",
  };
  return JSON.stringify({ ...pkg, name: `${String(pkg.name)}-student`, imports, scripts }, null, 2) + "\n";
}

const TSCONFIG = {
  "//": "The student's tree: #kata/* resolves to chapters/.",
  extends: "./tsconfig.base.json",
  include: ["chapters", "kit", "grader", "vitest.config.ts"],
};

const GITIGNORE = "node_modules/\n.kata/\n*.cpuprofile\n/coverage/\nkata-results.json\n";

export const CLASSROOM_WORKFLOW = `# GitHub Classroom autograding: the public examples of every chapter, points per test.
# (The instructor grades the hidden suites with \`kata grade --submissions\`; this gives students feedback on push.)
name: Autograding
on: [push, workflow_dispatch, repository_dispatch]
permissions:
  checks: write
  actions: read
  contents: read
jobs:
  run-autograding-tests:
    runs-on: ubuntu-latest
    if: github.actor != 'github-classroom[bot]'
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
      - run: npm ci
      - name: Public examples
        id: kata
        run: |
          npm run --silent kata -- grade --format classroom --out kata-results.json
          echo "result=$(base64 -w0 kata-results.json)" >> "$GITHUB_OUTPUT"
      - name: Autograding Reporter
        uses: classroom-resources/autograding-grading-reporter@v1
        env:
          KATA_RESULTS: "\${{ steps.kata.outputs.result }}"
        with:
          runners: kata
`;

/** The manifest of every chapter's public examples, from one reference run here. */
async function examplesManifest(root: string): Promise<ExamplesManifest> {
  const chapters = loadCurriculum(root).chapters.filter((c) => c.status === "available" && c.publicTests.length > 0);
  const outcome = await referenceRun(root, chapters.flatMap((c) => c.publicTests), SHARED_SETTINGS);
  const manifest: ExamplesManifest = { schema: "kata-examples/1", chapters: {} };
  const problems: string[] = [];
  for (const c of chapters) {
    const tests: ManifestTest[] = [];
    for (const r of testRecords(outcome, c.publicTests)) {
      if (r.state !== "passed") problems.push(`${r.file}: "${r.name}" does not pass against the reference`);
      tests.push({ file: r.file, name: r.name, task: 1, points: 1 });
    }
    for (const f of c.publicTests) if (!tests.some((t) => t.file === f)) problems.push(`${f}: no example was reported`);
    manifest.chapters[c.id] = { chapter: c.id, tests };
  }
  if (problems.length > 0) throw new UsageError(`the public examples are not ready for a release:\n  ${problems.join("\n  ")}`);
  return manifest;
}

export async function release(root: string, out: string): Promise<ReleaseResult> {
  const readme = readFileSync(join(root, "grader", "student-readme.md"), "utf8");
  if (existsSync(out) && readdirSync(out).length > 0) throw new UsageError(`${out} is not empty: give an empty or new directory`);
  // Before the examples' reference run (seconds): an --out that cannot be made is said at once.
  makeOutputDir(out);
  const examples = await examplesManifest(root);
  for (const name of COPIED) {
    if (!existsSync(join(root, name))) continue;
    cpSync(join(root, name), join(out, name), {
      recursive: true,
      filter: (src) => {
        const rel = relative(root, src).split("\\").join("/");
        return !LEFT_OUT.has(rel) && !rel.split("/").includes("node_modules") && !rel.split("/").includes(".kata");
      },
    });
  }
  writeFileSync(join(out, "package.json"), bundlePackage(root));
  writeFileSync(join(out, "tsconfig.json"), JSON.stringify(TSCONFIG, null, 2) + "\n");
  writeFileSync(join(out, ".gitignore"), GITIGNORE);
  writeFileSync(join(out, "README.md"), readme);
  mkdirSync(join(out, ".github", "workflows"), { recursive: true });
  writeFileSync(join(out, ".github", "workflows", "classroom.yml"), CLASSROOM_WORKFLOW);
  writeFileSync(join(out, EXAMPLES_MANIFEST), JSON.stringify(examples, null, 2) + "\n");
  writePristineSnapshot(out, gitCommit(root));
  const files = filesUnder(out).sort();
  const forbidden = files.filter((f) => FORBIDDEN.test(f));
  if (forbidden.length > 0) throw new Error(`the bundle holds files it must not: ${forbidden.join(", ")}`);
  const count = Object.values(examples.chapters).reduce((n, m) => n + (m?.tests.length ?? 0), 0);
  return { out, files, examples: count };
}
