/**
 * The kit's TypeScript workers (kit/ts-worker.ts, kit/ts-hooks.mjs): a `.ts` module runs in a worker thread, its
 * errors point into the `.ts` source, and the transform cache is read only from a directory no one else can write.
 */
import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Worker } from "node:worker_threads";
import { afterEach, describe, expect, it } from "vitest";
import { startTsWorker } from "#kit/ts-worker";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function scratch(): string {
  const d = mkdtempSync(join(tmpdir(), "kata-ts-worker-test-"));
  dirs.push(d);
  return d;
}

/** The first message of the worker, or its error; the worker is ended after it. */
async function outcome(worker: Worker): Promise<{ message: unknown } | { error: Error }> {
  try {
    return await new Promise((resolve) => {
      worker.once("message", (message: unknown) => resolve({ message }));
      worker.once("error", (error) => resolve({ error }));
    });
  } finally {
    await worker.terminate();
  }
}

const MODULE = `import { parentPort } from "node:worker_threads";
const answer: number = 6 * 7;
parentPort!.postMessage(answer);
`;

describe("kit: TypeScript worker threads", () => {
  it("runs a .ts module, its types stripped, and reports an error at its line in the .ts source", async () => {
    const dir = scratch();
    writeFileSync(join(dir, "ok.ts"), MODULE);
    writeFileSync(join(dir, "bad.ts"), `const n: number = 1;\n\nthrow new Error("bad " + n);\n`);
    const env = { ...process.env, TMPDIR: scratch() };
    expect(await outcome(startTsWorker(pathToFileURL(join(dir, "ok.ts")), {}, { env }))).toEqual({ message: 42 });
    const bad = await outcome(startTsWorker(pathToFileURL(join(dir, "bad.ts")), {}, { env }));
    expect("error" in bad && bad.error.message).toBe("bad 1");
    expect("error" in bad && bad.error.stack).toContain(`${join(dir, "bad.ts")}:3:7`);
  });

  it.runIf(process.getuid !== undefined)("reads the transform cache only from a directory that no one else can write", async () => {
    const dir = scratch();
    const entry = join(dir, "answer.ts");
    writeFileSync(entry, MODULE);
    const tmp = scratch();
    const env = { ...process.env, TMPDIR: tmp };
    const cache = join(tmp, `kata-ts-${process.getuid!()}`);
    expect(await outcome(startTsWorker(pathToFileURL(entry), {}, { env }))).toEqual({ message: 42 });
    const files = readdirSync(cache).filter((f) => f.endsWith(".mjs"));
    expect(files).toHaveLength(1);
    // The cached JavaScript is what the next worker runs: changed here, it answers differently...
    writeFileSync(join(cache, files[0]!), `import { parentPort } from "node:worker_threads";\nparentPort.postMessage("from the cache");\n`);
    expect(await outcome(startTsWorker(pathToFileURL(entry), {}, { env }))).toEqual({ message: "from the cache" });
    // ...but not once others may write to the directory: then the source is transformed again.
    chmodSync(cache, 0o777);
    expect(await outcome(startTsWorker(pathToFileURL(entry), {}, { env }))).toEqual({ message: 42 });
  });
});
