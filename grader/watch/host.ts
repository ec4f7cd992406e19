/**
 * The warm vitest host of watch mode: a child process that keeps one vitest instance (and its transform cache)
 * alive between checks, so a re-check costs the test forks and nothing else.
 *
 * It is started by `checker.ts` exactly like a grading run's vitest (detached, its own process group, the run plan
 * on stdin) and loads the grader's own configuration (`../run/vitest.config.ts`): pool forks, one fresh fork per
 * test file, the watchdog and integrity setup files, the NDJSON reporter as the only reporter. The plan names one
 * project: the chapter being watched, in solo mode. The pool is vitest's forks pool with the next forks started
 * ahead of time (prefork.ts).
 *
 * Messages over the IPC channel: the host sends `{ type: "ready" }` once vitest is up; each `{ type: "run" }` makes
 * it forget every transformed module of the learner's chapter (their files changed since), run the plan's files,
 * and answer `{ type: "done" }`. It never reads the records itself: the watcher does, with the grader's trust
 * rules. A host that dies, or outlives a run's deadline, is killed with its group and started again.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createVitest } from "vitest/node";
import { readPlan } from "../run/plan.ts";
import { Prefork } from "./prefork.ts";

export type HostRequest = { type: "run" };
export type HostReply = { type: "ready" } | { type: "done" } | { type: "failed"; message: string };

const CONFIG = fileURLToPath(new URL("../run/vitest.config.ts", import.meta.url));

function send(reply: HostReply): void {
  process.send?.(reply);
}

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir, { recursive: true, encoding: "utf8" });
  } catch {
    return [];
  }
  return names.map((name) => join(dir, name));
}

async function main(): Promise<void> {
  const plan = readPlan();
  const project = plan.projects[0]!;
  const chapter = /^solo:(\d\d)$/.exec(project.name)?.[1];
  const prefork = new Prefork(Math.min(project.files.length, 4));
  const vitest = await createVitest("test", { config: CONFIG, watch: false, pool: prefork });
  const learnerDir = readdirSync(join(plan.root, "chapters")).find((d) => d.startsWith(`${chapter}-`));
  const specs = () => project.files.map((f) => vitest.projects[0]!.createSpecification(join(plan.root, f)));
  process.on("message", (request: HostRequest) => {
    if (request.type !== "run") return;
    if (learnerDir !== undefined) for (const file of filesUnder(join(plan.root, "chapters", learnerDir))) vitest.invalidateFile(file);
    vitest.runTestSpecifications(specs(), false).then(
      () => {
        send({ type: "done" });
        prefork.refill();
      },
      (e: unknown) => send({ type: "failed", message: e instanceof Error ? e.message : String(e) }),
    );
  });
  process.on("disconnect", () => process.exit(0));
  send({ type: "ready" });
}

main().catch((e: unknown) => {
  send({ type: "failed", message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  process.exit(2);
});
