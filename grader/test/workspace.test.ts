/**
 * The workspace a submission is graded in (grader/workspace.ts): the submission's chapters, and for a chapter it
 * leaves out, the grader's pristine stubs, so that the chapter is graded as not started instead of failing every
 * test with "Cannot find module '#kata/NN-slug'".
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { writePristineSnapshot } from "../watch/pristine.ts";
import { createWorkspace } from "../workspace.ts";

function write(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

describe("a submission's workspace", () => {
  it("takes the submission's chapters, and the pristine stubs for a chapter it leaves out", () => {
    const ours = mkdtempSync(join(tmpdir(), "kata-ours-"));
    const submission = mkdtempSync(join(tmpdir(), "kata-partial-"));
    write(ours, { "chapters/01-poll/index.ts": "// stub 01\n", "chapters/02-state-machines/index.ts": "// stub 02\n" });
    writePristineSnapshot(ours); // the grader's source of pristine stubs, as in a student release
    write(ours, { "chapters/02-state-machines/index.ts": "// the grader's own copy, edited since\n" });
    write(submission, { "chapters/01-poll/index.ts": "// mine\n" });
    const ws = createWorkspace(ours, submission);
    try {
      expect(readFileSync(join(ws.root, "chapters/01-poll/index.ts"), "utf8"), "the submission's chapter").toBe("// mine\n");
      expect(readFileSync(join(ws.root, "chapters/02-state-machines/index.ts"), "utf8"), "a chapter left out: the pristine stub").toBe("// stub 02\n");
    } finally {
      ws.dispose();
      rmSync(ours, { recursive: true, force: true });
      rmSync(submission, { recursive: true, force: true });
    }
  });
});
