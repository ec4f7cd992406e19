/**
 * The commands of the release: `kata release --out DIR` (instructors) and `kata test` (`npm test` in the bundle).
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { release } from "./release.ts";
import { paint } from "./render.ts";
import { selfTest } from "./selftest.ts";
import { UsageError } from "./usage.ts";

export async function releaseCommand(root: string, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { out: { type: "string" } } });
  if (values.out === undefined) throw new UsageError("where to? `npm run kata -- release --out DIR`");
  const result = await release(root, resolve(values.out));
  console.log(`kata: wrote the student bundle to ${result.out}: ${result.files.length} files, ${result.examples} public examples; no solutions/, no tests/`);
  console.log(`  try it: cd ${result.out} && git init && git add -A && git commit -m bundle && npm install && npm test`);
  return 0;
}

export async function testCommand(root: string, color: boolean): Promise<number> {
  const p = paint(color);
  const { problems, lines } = await selfTest(root, p);
  for (const line of lines) console.log(line);
  if (problems.length > 0) {
    console.log(p.bad("the workbook is not whole:"));
    for (const problem of problems) console.log(p.bad(`  - ${problem}`));
    return 1;
  }
  console.log(p.ok("the workbook and its tools are whole (failing tests are your progress, not an error)"));
  return 0;
}
