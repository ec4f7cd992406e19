/**
 * Reading lessons and hints: the task headings and the numbered hints.
 */
import { describe, expect, it } from "vitest";
import { parseHints, sections, taskSections } from "../lesson.ts";

const hints = `# Hints

## Task 1: Ready and pending
1. A nudge.
2. Closer: look at \`Poll\`.
   It spans two lines.

## Task 2: Spin
1. Only one.

\`\`\`ts
## Task 9: not a heading (in code)
\`\`\`

## Check your understanding
`;

describe("lesson files", () => {
  it("finds the task sections in order, outside code fences", () => {
    expect(taskSections(hints).map((s) => [s.number, s.title])).toEqual([
      [1, "Ready and pending"],
      [2, "Spin"],
    ]);
    expect(sections(hints).map((s) => s.heading)).toEqual(["Task 1: Ready and pending", "Task 2: Spin", "Check your understanding"]);
  });

  it("reads the numbered hints of each task, with continuation lines", () => {
    const parsed = parseHints(hints);
    expect(parsed.get(1)).toEqual({ title: "Ready and pending", hints: ["A nudge.", "Closer: look at `Poll`.\nIt spans two lines."] });
    expect(parsed.get(2)?.hints).toEqual(["Only one."]);
  });
});
