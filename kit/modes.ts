/**
 * Grading modes: which chapters resolve to the reference solutions.
 *
 * Every `#kata/NN-slug` import resolves to `chapters/` by default and to `solutions/` under the condition
 * `kata-ref-NN` (see package.json "imports"). A mode is a set of those conditions:
 * - `reference`: all nineteen: the project's own self-check;
 * - `integrated`: none: the learner's chapters all together;
 * - `solo:NN`: all but NN: the learner's chapter NN over reference chapters.
 */
export const CHAPTER_NUMBERS = Array.from({ length: 19 }, (_, i) => String(i + 1).padStart(2, "0"));

export type Mode = { kind: "reference" } | { kind: "integrated" } | { kind: "solo"; chapter: string };

export function parseMode(text: string): Mode {
  if (text === "reference" || text === "integrated") return { kind: text };
  const m = /^solo:(\d\d)$/.exec(text);
  if (m !== null && CHAPTER_NUMBERS.includes(m[1]!)) return { kind: "solo", chapter: m[1]! };
  throw new Error(`unknown grading mode ${JSON.stringify(text)}: expected reference, integrated or solo:NN (01-19)`);
}

/** The resolve conditions of a mode. */
export function conditionsFor(mode: Mode): string[] {
  switch (mode.kind) {
    case "reference":
      return CHAPTER_NUMBERS.map((n) => `kata-ref-${n}`);
    case "integrated":
      return [];
    case "solo":
      return CHAPTER_NUMBERS.filter((n) => n !== mode.chapter).map((n) => `kata-ref-${n}`);
  }
}
